"""The roles of DESIGN.md section 1 and what each may do: the permission table, kept as data in this one place.

Each role is a Django group. Its permissions are either capabilities (rows of the table in DESIGN.md that are
not about one model, declared on `welcoming.models.Capability`) or model permissions. Everything not granted
here is denied; `roles_sync()` makes the groups match this table exactly, so an edit in the admin cannot drift.
Later features add their rows here.
"""

from django.db import models


class Role(models.TextChoices):
    RECORDS_CLERK = "records_clerk", "Records clerk"
    INTERNAL_AFFAIRS = "internal_affairs", "Internal affairs"
    POLICE_CHIEF = "police_chief", "Police chief"
    CERTIFYING_OFFICIAL = "certifying_official", "Certifying official"
    COMPLAINTS_COORDINATOR = "complaints_coordinator", "Complaints coordinator"
    MUNICIPAL_CLERK = "municipal_clerk", "Municipal clerk"
    COUNCIL_STAFF = "council_staff", "Council staff"
    ADMINISTRATOR = "administrator", "Administrator"


# Capabilities: (codename, description). The description is what the administrator reads.
CAPABILITIES = [
    (
        "view_police_records",
        "Read persons, custody, federal requests, reimbursements, U visa requests and stops",
    ),
    (
        "change_police_records",
        "Create and edit persons, custody, federal requests, reimbursements, U visa, stops",
    ),
    ("void_own_records", "Void a record one entered, if it has no open violation"),
    ("void_any_record", "Void any police record, with a reason"),
    ("view_u_visa_requests", "Read U visa certification requests"),
    ("decide_u_visa_requests", "Decide U visa certification requests"),
    ("view_findings", "Read findings"),
    ("act_on_findings", "Acknowledge, dismiss or refer findings"),
    ("view_police_complaints", "Read complaints about the police (not about internal affairs or the chief)"),
    (
        "change_police_complaints",
        "Work complaints about the police (not about internal affairs or the chief)",
    ),
    ("view_other_complaints", "Read complaints about internal affairs, the chief and other departments"),
    ("change_other_complaints", "Work complaints about internal affairs, the chief and other departments"),
    ("route_complaints", "Take in, triage and route every complaint, and record departments' answers"),
    ("view_report_drafts", "Read report drafts and live figures"),
    ("sign_report", "Sign the semiannual report"),
    ("view_signed_reports", "Read signed reports"),
    ("process_signed_reports", "Receive, forward and docket signed reports"),
    ("view_docketed_reports", "Read docketed reports"),
    ("view_meetings", "Read meetings, agendas and the docket"),
    ("change_meetings", "Manage meetings, agendas and the docket"),
    ("administer", "Manage users and roles, the municipality profile and the audit log"),
    ("run_scheduled_jobs", "Run the scheduled jobs: the findings pass and the reminders (the scheduler only)"),
]


def _capabilities(*codenames: str) -> list[str]:
    return [f"welcoming.{codename}" for codename in codenames]


PERMISSIONS: dict[Role, frozenset[str]] = {
    Role.RECORDS_CLERK: frozenset(
        _capabilities(
            "view_police_records",
            "change_police_records",
            "void_own_records",
            "view_u_visa_requests",
            "view_findings",
            "view_report_drafts",
            "view_signed_reports",
        )
    ),
    Role.INTERNAL_AFFAIRS: frozenset(
        _capabilities(
            "view_police_records",
            "void_any_record",
            "view_u_visa_requests",
            "view_findings",
            "act_on_findings",
            "view_police_complaints",
            "change_police_complaints",
            "view_report_drafts",
            "view_signed_reports",
        )
    ),
    Role.POLICE_CHIEF: frozenset(
        _capabilities(
            "view_police_records",
            "void_any_record",
            "view_u_visa_requests",
            "decide_u_visa_requests",
            "view_findings",
            "act_on_findings",
            "view_police_complaints",
            "view_report_drafts",
            "sign_report",
            "view_signed_reports",
            "view_meetings",
        )
    ),
    Role.CERTIFYING_OFFICIAL: frozenset(_capabilities("view_u_visa_requests", "decide_u_visa_requests")),
    Role.COMPLAINTS_COORDINATOR: frozenset(
        _capabilities(
            "view_police_complaints",
            "change_police_complaints",
            "view_other_complaints",
            "change_other_complaints",
            "route_complaints",
        )
    ),
    Role.MUNICIPAL_CLERK: frozenset(
        _capabilities("view_signed_reports", "process_signed_reports", "view_meetings", "change_meetings")
    ),
    Role.COUNCIL_STAFF: frozenset(_capabilities("view_docketed_reports", "view_meetings")),
    # Separation of duties: the administrator runs the system but sees no person-level records. No
    # delete_user (deactivate instead, so history keeps its author) and no change_group (roles come from here).
    Role.ADMINISTRATOR: frozenset(
        _capabilities("administer")
        + [
            "auth.view_user",
            "auth.add_user",
            "auth.change_user",
            "auth.view_group",
            "welcoming.view_apitoken",
            "welcoming.change_apitoken",
            "welcoming.view_municipality",
            "welcoming.add_municipality",
            "welcoming.change_municipality",
            "welcoming.view_localholiday",
            "welcoming.add_localholiday",
            "welcoming.change_localholiday",
            "welcoming.delete_localholiday",
            "welcoming.view_auditentry",
            "axes.view_accessattempt",
            "axes.delete_accessattempt",
            "axes.view_accesslog",
            "axes.view_accessfailurelog",
        ]
    ),
}


class SystemActor(models.TextChoices):
    """Who acts when no person does. Each is an account that cannot sign in (`welcoming.acting.system_actor`),
    holding only the capabilities below; history and the audit log name it like a person."""

    SCHEDULER = "scheduler", "Scheduler"
    IMPORT = "import", "Records import (command line)"
    SETUP = "setup", "Set-up (command line)"


SYSTEM_PERMISSIONS: dict[SystemActor, frozenset[str]] = {
    SystemActor.SCHEDULER: frozenset(_capabilities("run_scheduled_jobs")),
    # `import_records` without --user: the clerk's capability to enter police records, nothing else.
    SystemActor.IMPORT: frozenset(_capabilities("change_police_records")),
    # `configure_municipality` and `start_town`, before any administrator exists.
    SystemActor.SETUP: frozenset(["welcoming.add_municipality", "welcoming.change_municipality"]),
}
