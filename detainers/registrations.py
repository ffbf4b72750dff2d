"""What the police records add to the core, as data the core reads at start-up (`welcoming.apps`): the rules of
clause 2 and what they read, the voidable kinds, the menu, the dashboards' panels, the search, the files, the
report's supplement, retention, what a signed report's figures rest on (drift) and the demo's records."""

from django.db.models import Q

from detainers import demo, figures, rules, selectors, services
from detainers.models import (
    AccessRequest,
    AssistanceRequest,
    Custody,
    Detainer,
    InformationRequest,
    JudicialAuthority,
    Person,
    Reimbursement,
)
from welcoming.dashboards import Panel
from welcoming.findings import RuleSet
from welcoming.navigation import MenuEntry
from welcoming.retention import PURGED, Policy, referred_to_only_by_due_records
from welcoming.roles import Role
from welcoming.search import SearchKind
from welcoming.supplement import Section

_POLICE = "welcoming.view_police_records"

# Rules that fire because time passes are re-checked on the schedule for the records they may fire on: people
# still in custody (2(d)) and copies not yet served (2(g)); and custody whose judicial authority carries an
# inferred time, so the warning opens on the first pass after the migration that inferred it.
RULES = [
    RuleSet(
        Custody,
        (
            rules.detained_on_hold,
            rules.transferred_without_judicial_authority,
            rules.judicial_authority_time_unverified,
        ),
        scheduled=lambda: Custody.objects.active().filter(
            Q(pk__in=Custody.objects.in_custody().exclude(eligible_for_release_at=None).values("pk"))
            | Q(pk__in=JudicialAuthority.objects.active().filter(time_assumed=True).values("custody"))
        ),
        related=("person",),
        precompute={
            rules.HOLD_DETENTION: selectors.hold_detentions,
            rules.JUDICIAL_AUTHORITIES: selectors.judicial_authorities_by_custody,
        },
    ),
    RuleSet(
        Detainer,
        (rules.copy_not_served, rules.notification_answered),
        scheduled=lambda: Detainer.objects.active().filter(copy_served_at__isnull=True),
        related=("custody__person",),
    ),
    RuleSet(
        InformationRequest,
        (rules.restricted_information_disclosed,),
        related=("custody__person",),
        precompute={rules.ITEMS: selectors.items_by_request},
    ),
    RuleSet(AccessRequest, (rules.access_without_judicial_authority,), related=("custody__person",)),
    RuleSet(
        AssistanceRequest,
        (rules.support_beyond_allowed, rules.deputized_functions),
        precompute={rules.SUPPORTS: selectors.supports_by_request},
    ),
]

VOIDABLE = services.VOIDABLE

ATTACHMENTS = [
    (model, _POLICE, None) for model in (Detainer, InformationRequest, AccessRequest, AssistanceRequest, Custody)
]

MENU = [
    MenuEntry("Release board", "detainers:board", _POLICE),
    MenuEntry("Records", "detainers:detainer-list", _POLICE),
    MenuEntry("People", "detainers:person-list", _POLICE),
    # Booking is where a clerk's day starts: one click from every page and from the dashboard.
    MenuEntry("Book a person", "detainers:book", "welcoming.change_police_records"),
]
SEARCH_MENU = [MenuEntry("Search police records", "detainers:search", _POLICE)]

PANELS = [
    (
        (Role.RECORDS_CLERK, Role.INTERNAL_AFFAIRS, Role.POLICE_CHIEF),
        Panel("Release board", "detainers/panels/board.html", selectors.board_summary, order=5),
    ),
    ((Role.RECORDS_CLERK,), Panel("Book a person", "detainers/panels/book.html", order=1)),
]

# Each kind is its own list's search, on that list's indexes (no OR across joins), so the list the search links to
# for "more" finds exactly the same records.
SEARCH_KINDS = [
    SearchKind(
        key,
        title,
        (_POLICE,),
        records,
        f"detainers:{list_url_name}-list",
        f"detainers/partials/found_{key}.html",
        order=order,
    )
    for order, (key, title, records, list_url_name) in enumerate(
        [
            ("people", "People", lambda *, user, query: selectors.persons_for(user=user, search=query), "person"),
            ("custody", "Custody records", selectors.custody_search, "custody"),
            # The lists' prefetches (reasons, items) are for their columns; the search shows neither.
            (
                "detainers",
                "Detainers, warrants and notification requests",
                lambda *, user, query: selectors.detainers_search(user=user, query=query).prefetch_related(None),
                "detainer",
            ),
            (
                "information_requests",
                "Information requests",
                lambda *, user, query: selectors.information_requests_search(user=user, query=query).prefetch_related(
                    None
                ),
                "information-request",
            ),
            ("access_requests", "Access requests", selectors.access_requests_search, "access-request"),
        ],
        start=10,
    )
]

SUPPLEMENT = [
    Section("information_requests", "Requests for information", selectors.supplement_information_requests, order=10),
    Section(
        "access_requests", "Requests for access to people in custody", selectors.supplement_access_requests, order=11
    ),
    Section(
        "assistance_requests",
        "Requests to assist federal operations",
        selectors.supplement_assistance_requests,
        order=12,
    ),
]

# Retention: what each record keeps about a person, replaced once its period was reported long enough ago.
RETENTION = [
    Policy(
        Person,
        replace={"full_name": PURGED, "date_of_birth": None, "department_id": ""},
        select=referred_to_only_by_due_records,
        quoted=("full_name",),  # the findings' messages name the person
    ),
    *(
        Policy(model, replace=replace, dated_by=dated_by)
        for model, dated_by, replace in [
            # The records system's own ids go too: they lead back to the person there. (Not the delay reason: a
            # finding's facts hold it, and changing it would reopen the finding.)
            (Custody, "booked_at", {"booking_number": PURGED, "external_id": ""}),
            (
                Detainer,
                "lodged_at",
                {"federal_reference": PURGED, "documents_served": "", "notes": "", "external_id": ""},
            ),
            (InformationRequest, "received_at", {"federal_reference": PURGED, "notes": PURGED}),
            (AccessRequest, "requested_at", {"notes": PURGED}),
            (AssistanceRequest, "requested_at", {"notes": PURGED}),
            # (Not the case label: the report gives reimbursements by case, and it names no one.)
            (Reimbursement, "received_on", {"notes": PURGED}),
        ]
    ),
]

# The records clause 4's figures count: a save of one is checked against the signed reports once its
# transaction commits, for the windows it touched (`welcoming.drift`).
DRIFT_SOURCES = [
    (Person, figures.touched_by_person),
    (Custody, figures.touched_by_custody),
    (Detainer, figures.touched_by_detainer),
    (JudicialAuthority, figures.touched_by_judicial_authority),
    (Reimbursement, figures.touched_by_reimbursement),
]

DEMO_SEEDERS = [demo.seed]
