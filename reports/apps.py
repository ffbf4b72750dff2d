from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """The semiannual report of clause 4, its periods, figures, docket and public pages."""

    name = "reports"
    verbose_name = "Reports"

    def ready(self):
        from reports import api, demo, selectors
        from welcoming import dashboards, navigation
        from welcoming.api_router import register
        from welcoming.demo import register_seeder
        from welcoming.roles import Role

        register("reports", api.ReportViewSet, "report")
        register("meetings", api.MeetingViewSet, "meeting")
        register("docket", api.DocketViewSet, "docket")
        register_seeder(demo.seed)
        from reports.models import Report
        from welcoming import retention

        retention.register_reported_periods(
            lambda: [
                retention.ReportedPeriod(report.period_start, report.period_end, report.signed_at)
                for report in Report.objects.current()
            ]
        )
        from reports import services
        from welcoming import periodic

        periodic.register("reports awaiting signature", lambda: services.reports_awaiting_signature_notify())
        navigation.register(navigation.MenuEntry("Reports", "reports:periods", "welcoming.view_report_drafts"))
        navigation.register(navigation.MenuEntry("Signed reports", "reports:clerk", "welcoming.process_signed_reports"))
        navigation.register(navigation.MenuEntry("Meetings", "reports:meetings", "welcoming.view_meetings"))
        navigation.register(navigation.MenuEntry("Docket", "reports:docket", "welcoming.view_meetings"))
        period = dashboards.Panel(
            "This reporting period", "reports/panels/period.html", selectors.period_panel, order=30
        )
        for role in (Role.RECORDS_CLERK, Role.INTERNAL_AFFAIRS, Role.POLICE_CHIEF):
            dashboards.register(role, period)
        dashboards.register(
            Role.MUNICIPAL_CLERK,
            dashboards.Panel("Signed reports", "reports/panels/clerk.html", selectors.clerk_panel, 10),
        )
        next_meeting = dashboards.Panel(
            "Next meeting", "reports/panels/meeting.html", selectors.council_panel, order=20
        )
        for role in (Role.MUNICIPAL_CLERK, Role.COUNCIL_STAFF, Role.POLICE_CHIEF):
            dashboards.register(role, next_meeting)
