"""What the reports add to the core, as data the core reads at start-up (`welcoming.apps`): which periods are
reported (for retention), the reminder to sign, the drift checks, the menu, the panels and the demo's reports."""

from reports import demo, drift, selectors, services
from reports.models import Report
from welcoming.dashboards import Panel
from welcoming.navigation import MenuEntry
from welcoming.retention import ReportedPeriod
from welcoming.roles import Role

REPORTED_PERIODS = [
    lambda: [
        ReportedPeriod(report.period_start, report.period_end, report.signed_at) for report in Report.objects.current()
    ]
]

PERIODIC = [
    ("reports awaiting signature", lambda *, by: services.reports_awaiting_signature_notify(by=by)),
    ("signed reports that drifted from their records", lambda *, by: services.reports_drift_check(by=by)),
]

# After a transaction saved records the figures count, the signed reports whose windows they touched.
DRIFT_CHECKS = [services.reports_touched_check]

MENU = [
    MenuEntry("Reports", "reports:periods", "welcoming.view_report_drafts"),
    MenuEntry("Signed reports", "reports:clerk", "welcoming.process_signed_reports"),
    MenuEntry("Meetings", "reports:meetings", "welcoming.view_meetings"),
    MenuEntry("Docket", "reports:docket", "welcoming.view_meetings"),
]

PANELS = [
    (
        (Role.POLICE_CHIEF, Role.MUNICIPAL_CLERK),
        Panel("Signed reports and their records", "reports/panels/drift.html", drift.drift_panel, order=5),
    ),
    (
        (Role.RECORDS_CLERK, Role.INTERNAL_AFFAIRS, Role.POLICE_CHIEF),
        Panel("This reporting period", "reports/panels/period.html", selectors.period_panel, order=30),
    ),
    ((Role.MUNICIPAL_CLERK,), Panel("Signed reports", "reports/panels/clerk.html", selectors.clerk_panel, 10)),
    (
        (Role.MUNICIPAL_CLERK, Role.COUNCIL_STAFF, Role.POLICE_CHIEF),
        Panel("Next meeting", "reports/panels/meeting.html", selectors.council_panel, order=20),
    ),
]

DEMO_SEEDERS = [demo.seed]
