from django.apps import AppConfig


class CertificationsConfig(AppConfig):
    """U visa certification requests (clause 2(i))."""

    name = "certifications"
    verbose_name = "U visa certifications"

    def ready(self):
        from certifications import api, demo, rules, selectors, services
        from certifications.models import UVisaRequest
        from welcoming import dashboards, findings, navigation, periodic, supplement
        from welcoming.api_router import register
        from welcoming.demo import register_seeder
        from welcoming.roles import Role

        findings.register_rule(
            UVisaRequest, rules.decision_due, scheduled=lambda: UVisaRequest.objects.active().pending()
        )
        findings.register_rule(UVisaRequest, rules.declined_though_eligible)
        findings.register_voidable(UVisaRequest)
        navigation.register(navigation.MenuEntry("U visa requests", "certifications:list", selectors.VIEW))
        queue = dashboards.Panel("U visa decisions", "certifications/panel.html", selectors.queue_summary, order=6)
        for role in (Role.POLICE_CHIEF, Role.CERTIFYING_OFFICIAL):
            dashboards.register(role, queue)
        supplement.register(
            supplement.Section(
                "u_visa_requests", "U visa certification requests (2(i))", selectors.supplement_lines, order=15
            )
        )
        periodic.register("U visa requests due soon", lambda: services.u_visa_due_soon_notify())
        register("u-visa-requests", api.UVisaRequestViewSet, "u-visa-request")
        from django.db.models import Q

        from welcoming import retention

        # The victim is a person (purged with their other records); the request keeps who asked and why.
        retention.register(
            retention.Policy(
                UVisaRequest,
                dated_by="received_on",
                replace={
                    "requester_name": retention.PURGED,
                    "requester_contact": "",
                    "case_number": "",
                    "crime_other": "",
                    "expedite_reason": "",
                    "reason": retention.purged_unless(Q(reason="")),  # a decline keeps a (purged) reason
                },
            )
        )
        register_seeder(demo.seed)
