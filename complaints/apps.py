from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    """Complaints under clause 3: intake, routing, investigation, deadlines and letters."""

    name = "complaints"
    verbose_name = "Complaints"

    def ready(self):
        from complaints import api, bulk, demo, selectors, services
        from complaints.models import Complaint
        from welcoming import attachments, dashboards, findings, navigation, periodic, supplement
        from welcoming.api_router import register
        from welcoming.demo import register_bulk_seeder, register_seeder
        from welcoming.roles import Role

        # A finding referred to internal affairs opens a complaint routed to it.
        findings.on_refer(services.complaint_from_finding)
        # A complaint's files are read by whoever may read the complaint (not by everyone with the permission).
        attachments.register(
            Complaint,
            read_permission=selectors.VIEW_POLICE,
            readable=lambda user, pk: selectors.complaints_for(user=user).filter(pk=pk).exists(),
        )
        navigation.register(navigation.MenuEntry("Complaints", "complaints:queue", selectors.VIEW_POLICE))
        from welcoming import search

        search.register_search_kind(
            search.SearchKind(
                "complaints",
                "Complaints",
                (selectors.VIEW_POLICE, selectors.VIEW_OTHER),  # as may_see_complaints; the queue narrows to which
                selectors.complaints_search,
                "complaints:queue",
                "complaints/partials/found_complaint.html",
                list_params=(("queue", selectors.Queue.ALL),),
                order=20,  # after the police records
            )
        )
        panel = dashboards.Panel("Complaints", "complaints/panels/queue.html", selectors.dashboard_summary, order=8)
        for role in (Role.COMPLAINTS_COORDINATOR, Role.INTERNAL_AFFAIRS, Role.POLICE_CHIEF):
            dashboards.register(role, panel)
        supplement.register(
            supplement.Section("complaints", "Complaints (clause 3)", selectors.supplement_complaints, order=20)
        )
        periodic.register("complaint deadlines", lambda: services.complaints_deadlines_notify())
        register("complaints", api.ComplaintViewSet, "complaint")
        from complaints import public_api

        register("public-complaints", public_api.PublicComplaintViewSet, "public-complaint")
        from django.db.models import Q

        from complaints.models import Allegation, ComplaintEvent
        from welcoming import retention

        # Closed complaints only: who complained, how to reach them and their story, and the free texts written
        # about it. The officers involved stay (the town's record of its employees' conduct).
        complaint_policy = retention.Policy(
            Complaint,
            dated_by="received_at",
            select=lambda rows, _: rows.filter(stage=Complaint.Stage.CLOSED),
            replace={
                # An anonymous complaint has no name, and must keep none (a constraint says so).
                "complainant_name": retention.purged_unless(Q(anonymous=True)),
                "complainant_contact": "",
                "narrative": retention.PURGED,
                "incident_place": "",
                "department_answer": "",
                "outcome": "",
            },
        )
        # The complaint's own texts go after those of its events and allegations, which find their complaints
        # among those not yet purged.
        for model, replace in [(ComplaintEvent, {"note": ""}), (Allegation, {"summary": retention.PURGED})]:
            retention.register(
                retention.Policy(
                    model,
                    replace=replace,
                    select=lambda rows, in_period: rows.filter(
                        complaint__in=complaint_policy.due(in_period).values("pk")
                    ),
                )
            )
        retention.register(complaint_policy)
        register_seeder(demo.seed)
        register_bulk_seeder(bulk.seed)
