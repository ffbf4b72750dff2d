from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    """Complaints under clause 3: intake, routing, investigation, deadlines and letters."""

    name = "complaints"
    verbose_name = "Complaints"

    def ready(self):
        from complaints import api, demo, selectors, services
        from complaints.models import Complaint
        from welcoming import attachments, dashboards, findings, navigation, periodic, supplement
        from welcoming.api_router import register
        from welcoming.demo import register_seeder
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
        register_seeder(demo.seed)
