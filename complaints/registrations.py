"""What the complaints add to the core, as data the core reads at start-up (`welcoming.apps`): a referral's
complaint, the files, the menu, the search, the panels, the supplement, the deadlines' reminders, retention and
the demo's complaints."""

from django.db.models import Q

from complaints import demo, selectors, services
from complaints.models import Allegation, Complaint, ComplaintEvent, Letter
from welcoming.dashboards import Panel
from welcoming.navigation import MenuEntry
from welcoming.retention import PURGED, Policy, purged_unless
from welcoming.roles import Role
from welcoming.search import SearchKind
from welcoming.supplement import Section

# A finding referred to internal affairs opens a complaint routed to it.
ON_REFER = [services.complaint_from_finding]

# A complaint's files are read by whoever may read the complaint (not by everyone with the permission).
ATTACHMENTS = [
    (
        Complaint,
        selectors.VIEW_POLICE,
        lambda user, pk: selectors.complaints_for(user=user).filter(pk=pk).exists(),
    )
]

MENU = [MenuEntry("Complaints", "complaints:queue", selectors.VIEW_POLICE)]

SEARCH_KINDS = [
    SearchKind(
        "complaints",
        "Complaints",
        (selectors.VIEW_POLICE, selectors.VIEW_OTHER),  # as may_see_complaints; the queue narrows to which
        selectors.complaints_search,
        "complaints:queue",
        "complaints/partials/found_complaint.html",
        list_params=(("queue", selectors.Queue.ALL),),
        order=20,  # after the police records
    )
]

PANELS = [
    (
        (Role.COMPLAINTS_COORDINATOR, Role.INTERNAL_AFFAIRS, Role.POLICE_CHIEF),
        Panel("Complaints", "complaints/panels/queue.html", selectors.dashboard_summary, order=8),
    )
]

SUPPLEMENT = [Section("complaints", "Complaints (clause 3)", selectors.supplement_complaints, order=20)]

PERIODIC = [("complaint deadlines", lambda *, by: services.complaints_deadlines_notify(by=by))]

# Closed complaints only: who complained, how to reach them and their story, and the free texts written about it.
# The officers involved stay (the town's record of its employees' conduct).
_complaint_policy = Policy(
    Complaint,
    dated_by="received_at",
    select=lambda rows, _: rows.filter(stage=Complaint.Stage.CLOSED),
    replace={
        # An anonymous complaint has no name, and must keep none (a constraint says so).
        "complainant_name": purged_unless(Q(anonymous=True)),
        "complainant_contact": "",
        "narrative": PURGED,
        "incident_place": "",
        "department_answer": "",
        "outcome": "",
    },
)
# The complaint's own texts go after those of its events, allegations and letters, which find their complaints
# among those not yet purged.
RETENTION = [
    *(
        Policy(
            model,
            replace=replace,
            select=lambda rows, in_period: rows.filter(complaint__in=_complaint_policy.due(in_period).values("pk")),
        )
        for model, replace in [
            (ComplaintEvent, {"note": ""}),
            (Allegation, {"summary": PURGED, "letter_summary": ""}),
            (Letter, {"explanation": ""}),
        ]
    ),
    _complaint_policy,
]

DEMO_SEEDERS = [demo.seed]
