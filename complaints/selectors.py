"""Reads of the complaints app. One access rule decides who sees which complaint (DESIGN.md section 1):

- the complaints coordinator sees every complaint;
- internal affairs and the chief see complaints about police officers and staff — never those about internal
  affairs or the chief — once the coordinator has routed them (before triage a complaint's subject is only what
  the complainant said, and one about the chief must not reach internal affairs by a misfiled first guess);
- nobody else sees any.

A fetch for a user answers 404 alike for "missing" and "not yours".
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.utils import timezone, translation

from complaints import rules
from complaints.models import (
    ALLEGEABLE_CLAUSES,
    Allegation,
    Complaint,
    ComplaintEvent,
    InvolvedPerson,
    Letter,
    next_deadline,
)
from welcoming import findings as findings_registry
from welcoming import supplement
from welcoming.models import Finding
from welcoming.periods import Window
from welcoming.selectors import (  # noqa: F401 (local_date: callers use it here)
    business_calendar,
    local_date,
    municipality_get,
    today_local,
    users_with_permission,
)

VIEW_POLICE = "welcoming.view_police_complaints"
VIEW_OTHER = "welcoming.view_other_complaints"
CHANGE_POLICE = "welcoming.change_police_complaints"
CHANGE_OTHER = "welcoming.change_other_complaints"
ROUTE = "welcoming.route_complaints"

POLICE_OFFICERS = Q(department=Complaint.Department.POLICE, about=Complaint.About.OFFICERS)


def may_see_complaints(user) -> bool:
    return user.has_perm(VIEW_POLICE) or user.has_perm(VIEW_OTHER)


def visible_filter(user) -> Q:
    seen = Q(pk__in=[])
    if user.has_perm(VIEW_OTHER):
        seen |= ~POLICE_OFFICERS
    if user.has_perm(VIEW_POLICE):
        seen |= POLICE_OFFICERS if user.has_perm(ROUTE) else POLICE_OFFICERS & ~Q(stage=Complaint.Stage.RECEIVED)
    return seen


def may_work(user, complaint: Complaint) -> bool:
    """May this user take the steps of the investigation on this complaint (not routing: see may_route)?"""
    if not Complaint.objects.filter(visible_filter(user), pk=complaint.pk).exists():
        return False
    return user.has_perm(CHANGE_POLICE if complaint.about_police_officers else CHANGE_OTHER)


def reads_police_records(user) -> bool:
    """Police records and findings are the police side's: whoever does not read them does not learn that one
    exists, or is linked to a complaint."""
    return user.has_perm("welcoming.view_police_records") and user.has_perm("welcoming.view_findings")


def may_route(user) -> bool:
    return user.has_perm(ROUTE)


def may_take_in(user) -> bool:
    """Staff intake: the coordinator's office, and internal affairs (complaints reach it by phone and in person)."""
    return user.has_perm(ROUTE) or user.has_perm(CHANGE_POLICE)


def with_next_deadline(complaints):
    """Annotate `next_deadline_on`: the first date by which something must still be done (see rules)."""
    return complaints.annotate(next_deadline_on=next_deadline())


def overdue_filter(today: date) -> Q:
    """Open complaints with a step past its deadline (due today is not yet late)."""
    return ~Q(stage=Complaint.Stage.CLOSED) & (
        Q(acknowledged_at__isnull=True, acknowledgement_due_on__lt=today)
        | Q(post_forwarded_at__isnull=True, post_due_on__lt=today)
        | Q(investigation_due_on__lt=today)
    )


def complaints_for(*, user):
    return Complaint.objects.filter(visible_filter(user)).select_related("investigator")


class Queue:
    AWAITING_TRIAGE = "triage"
    OPEN = "open"
    OVERDUE = "overdue"
    CLOSED = "closed"
    ALL = "all"
    CHOICES = [
        (AWAITING_TRIAGE, "Awaiting triage"),
        (OPEN, "Open"),
        (OVERDUE, "Overdue"),
        (CLOSED, "Closed"),
        (ALL, "All"),
    ]


def complaints_queue(
    *, user, queue: str = Queue.OPEN, query: str = "", department: str = "", mine: bool = False, today: date
):
    """A queue ordered by deadline, the most urgent first; the closed ones, and all of them, newest first (in a
    town's ten years of complaints, "all" by deadline would open on the oldest closed ones)."""
    complaints = with_next_deadline(complaints_for(user=user))
    if queue == Queue.AWAITING_TRIAGE:
        complaints = complaints.filter(stage=Complaint.Stage.RECEIVED)
    elif queue == Queue.OPEN:
        complaints = complaints.open()
    elif queue == Queue.OVERDUE:
        # The same complaints as overdue_filter (a step is late exactly when the first deadline still ahead of it
        # has passed), asked on the indexed deadline: the open queue's index reads only the late ones.
        complaints = complaints.open().filter(next_deadline_on__lt=today)
    elif queue == Queue.CLOSED:
        complaints = complaints.filter(stage=Complaint.Stage.CLOSED)
    if department:
        complaints = complaints.filter(department=department)
    if mine:
        complaints = complaints.filter(investigator=user)
    if query := query.strip():
        complaints = complaints.filter(pk__in=_matching(query))
    if queue == Queue.CLOSED:
        return complaints.order_by("-closed_at", "-id")
    if queue == Queue.ALL:
        return complaints.order_by("-received_at", "-id")
    return complaints.order_by("next_deadline_on", "received_at", "id")


def queue_counts(*, user, today: date) -> dict[str, int]:
    """How many complaints wait in each open queue, by its name (one query, over the open ones only)."""
    return (
        complaints_for(user=user)
        .open()
        .aggregate(
            **{
                Queue.AWAITING_TRIAGE: Count("pk", filter=Q(stage=Complaint.Stage.RECEIVED)),
                Queue.OPEN: Count("pk"),
                Queue.OVERDUE: Count("pk", filter=overdue_filter(today)),
            }
        )
    )


def complaints_search(*, user, query: str):
    """The header search's complaints: the "all" queue searched for the same words, which its "more" link opens."""
    # Only the overdue queue reads the day; "all" is ordered by when each complaint came in.
    return complaints_queue(user=user, queue=Queue.ALL, query=query, today=timezone.localdate())


def _matching(query: str):
    """Ids of the complaints whose tracking code, complainant, or a person involved (name or badge) matches. Each
    table is searched on its own indexes (welcoming/search_indexes.py) and the ids put together: one OR across the
    join to the people involved read every complaint (29 ms at 24,800 complaints, PostgreSQL; now about 1)."""
    own = Complaint.objects.filter(
        Q(tracking_code=rules.tracking_code_normalised(query)) | Q(complainant_name__icontains=query)
    )
    involved = InvolvedPerson.objects.filter(Q(name__icontains=query) | Q(badge_number__iexact=query))
    return own.order_by().values("pk").union(involved.order_by().values("complaint_id"))


def complaint_for(*, user, pk) -> Complaint:
    complaint = (
        complaints_for(user=user)
        .prefetch_related(
            "people",
            Prefetch("allegations", queryset=Allegation.objects.select_related("person", "disposed_by")),
            Prefetch("events", queryset=ComplaintEvent.objects.select_related("by")),
            "letters",
            "links",
            "findings",
        )
        .filter(pk=pk)
        .first()
    )
    if complaint is None:
        raise Http404("No such complaint.")
    return complaint


def complaint_by_tracking_code(*, user, code: str) -> Complaint | None:
    return complaints_for(user=user).filter(tracking_code__iexact=code.strip()).first()


def linkable_record_types() -> dict[str, str]:
    """The police records a complaint may be linked to: label → the record's name. These are the records that
    can be voided (every police record is), registered by the apps that hold them."""
    return {model._meta.label_lower: model._meta.verbose_name for model in findings_registry.voidable_models()}


def linked_records(complaint: Complaint) -> list[dict]:
    """Each linked police record with its page, fetched with one query per kind of record."""
    models = {model._meta.label_lower: model for model in findings_registry.voidable_models()}
    by_type: dict[str, list[int]] = {}
    for link in complaint.links.all():
        by_type.setdefault(link.record_type, []).append(link.record_id)
    found = {}
    for record_type, ids in by_type.items():
        if model := models.get(record_type):
            for record in model._default_manager.filter(pk__in=ids):
                found[(record_type, record.pk)] = record
    return [
        {
            "link": link,
            "label": f"{models[link.record_type]._meta.verbose_name.capitalize()} #{link.record_id}"
            if link.record_type in models
            else str(link),
            "record": found.get((link.record_type, link.record_id)),
        }
        for link in complaint.links.all()
    ]


def investigators():
    """Who may be assigned: members of internal affairs."""
    return users_with_permission(CHANGE_POLICE).exclude(pk__in=users_with_permission(ROUTE).values("pk"))


def findings_linkable(*, complaint: Complaint, today: date):
    """Findings that may be linked to a complaint: those still unresolved or opened in the last year, not yet
    linked (older ones are closed history; a complaint concerns what is recent)."""
    recent = Q(status__in=Finding.UNRESOLVED) | Q(opened_at__date__gte=today - timedelta(days=365))
    return Finding.objects.filter(recent).exclude(pk__in=complaint.findings.values("pk")).order_by("-opened_at")


# --- Letters ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LetterSources:
    """What a letter about this complaint must not borrow from (welcoming.letters)."""

    staff_english: list[str]
    personnel: list[str]
    names: list[str]


def letter_sources(complaint: Complaint) -> LetterSources:
    """The staff's own text of the complaint, the action taken, and every name and number recorded on it (the
    complainant's own name is the letter's addressee, and stays)."""
    allegations = list(complaint.allegations.all())
    people = list(complaint.people.all())
    investigator = complaint.investigator
    return LetterSources(
        staff_english=[
            *(allegation.summary for allegation in allegations),
            complaint.outcome,
            complaint.department_answer,
            complaint.referred_to,
        ],
        personnel=[allegation.action_taken for allegation in allegations],
        names=[
            value
            for person in people
            for value in (person.name, person.badge_number, person.post_certification_number)
            if value
        ]
        + ([investigator.get_full_name() or investigator.username] if investigator else []),
    )


def letter_missing(letter: Letter, allegations) -> list[str]:
    """What the outcome letter still needs typed before it can be made final (the acknowledgement needs none)."""
    if letter.kind != Letter.Kind.OUTCOME:
        return []
    missing = [] if letter.explanation.strip() else ["the outcome, explained"]
    return missing + [
        f"allegation {number} ({allegation.clause})"
        for number, allegation in enumerate(allegations, start=1)
        if not allegation.letter_summary.strip()
    ]


def letter_for(*, user, pk, kind: str) -> Letter:
    """A complaint's letter of `kind`, for a user who may see the complaint (404 alike otherwise)."""
    complaint = complaint_for(user=user, pk=pk)
    letter = next((letter for letter in complaint.letters.all() if letter.kind == kind), None)
    if letter is None:
        raise Http404("No such letter.")
    letter.complaint = complaint  # with its prefetched people, allegations and events
    return letter


def letters_to_write(user):
    """Letters waiting for their text (a translation, unless the complainant reads English), oldest first."""
    return (
        Letter.objects.filter(complaint__in=complaints_for(user=user), final_at__isnull=True, delivery="")
        .select_related("complaint")
        .order_by("written_at", "id")
    )


def letters_to_send(user):
    """Letters made final that have not gone out, oldest first."""
    return (
        Letter.objects.filter(complaint__in=complaints_for(user=user), final_at__isnull=False, delivery="")
        .select_related("complaint")
        .order_by("final_at", "id")
    )


# --- Dashboards ---------------------------------------------------------------------------------------------


PANEL_LETTERS = 10  # more waiting than this is a backlog the complaint pages show one by one


def dashboard_summary(user) -> dict:
    """Counts and the most urgent complaints for a dashboard panel, in a fixed number of queries."""
    today_ = today_local(municipality_get())
    visible = complaints_for(user=user)
    counts = visible.open().aggregate(  # every count is of open complaints: the closed ten years are not read
        awaiting_triage=Count("pk", filter=Q(stage=Complaint.Stage.RECEIVED)),
        open=Count("pk", filter=~Q(stage=Complaint.Stage.CLOSED)),
        overdue=Count("pk", filter=overdue_filter(today_)),
        post_pending=Count(
            "pk",
            filter=Q(post_due_on__isnull=False, post_forwarded_at__isnull=True) & ~Q(stage=Complaint.Stage.CLOSED),
        ),
        mine=Count("pk", filter=Q(investigator=user) & ~Q(stage=Complaint.Stage.CLOSED)),
    )
    urgent = list(with_next_deadline(visible.open()).order_by("next_deadline_on", "received_at", "id")[:5])
    for complaint in urgent:
        complaint.late = rules.overdue(complaint, today_)
    return {
        **counts,
        "urgent": urgent,
        "today": today_,
        "may_route": may_route(user),
        "letters_to_write": list(letters_to_write(user)[:PANEL_LETTERS]),
        "letters_to_send": list(letters_to_send(user)[:PANEL_LETTERS]),
    }


# --- Scheduler ----------------------------------------------------------------------------------------------


def complaints_post_due_soon(remind_from: date):
    """POST forwarding due by `remind_from` (the next business day) or already late, not yet forwarded, and
    nobody told yet."""
    return Complaint.objects.open().filter(
        post_due_on__lte=remind_from, post_forwarded_at__isnull=True, post_reminded_at__isnull=True
    )


def complaints_overdue(today: date):
    """Every open complaint with a step past its deadline; which steps were already notified is on each."""
    return Complaint.objects.filter(overdue_filter(today))


def deadline_settings():
    """(settings, calendar, municipality) for computing a complaint's deadlines."""
    municipality = municipality_get()
    if municipality is None:
        return rules.DeadlineSettings(), business_calendar(None), None
    return (
        rules.DeadlineSettings(
            acknowledgement_business_days=municipality.complaint_acknowledgement_business_days,
            post_forwarding_business_days=municipality.post_forwarding_business_days,
            investigation_days=municipality.investigation_days,
        ),
        business_calendar(municipality),
        municipality,
    )


# --- The report's supplement (beyond the ordinance) ---------------------------------------------------------


def supplement_complaints(window: Window) -> list[supplement.Line]:
    """Complaints received in the period by clause and department, dispositions recorded in it, and what was
    open and overdue at its end. Three queries, whatever the data."""
    # One query for what was received, grouped by the list of clauses too (few distinct lists, whatever the
    # number of complaints); each list's clauses are counted here.
    arrived = (
        Complaint.objects.received_between(window.starts_at, window.ends_at)
        .values_list("channel", "department", "clauses")
        .annotate(n=Count("pk"))
        .order_by()
    )
    # A finding referred to internal affairs is already counted with the findings: it is listed apart here.
    by_department, by_clause, referred_findings = Counter(), Counter(), 0
    for channel, department, clauses, n in arrived:
        if channel == "finding":
            referred_findings += n
            continue
        by_department[department] += n
        for code in clauses or []:
            by_clause[code] += n
    dispositions = dict(
        Allegation.objects.filter(disposed_at__gte=window.starts_at, disposed_at__lt=window.ends_at)
        .values_list("disposition")
        .annotate(n=Count("pk"))
        .values_list("disposition", "n")
    )
    end_day = window.end
    standing = Complaint.objects.filter(received_at__lt=window.ends_at).filter(
        Q(closed_at__isnull=True) | Q(closed_at__gte=window.ends_at)
    )
    at_end = standing.aggregate(
        open=Count("pk"),
        overdue=Count("pk", filter=Q(investigation_due_on__lt=end_day)),
    )
    lines = [supplement.Line("received", "Complaints received", by_department.total())]
    lines += [
        supplement.Line(f"department_{value}", label, by_department.get(value, 0))
        for value, label in [
            (Complaint.Department.POLICE, "About the police department"),
            (Complaint.Department.SCHOOLS, "About the schools"),
            (Complaint.Department.OTHER, "About another department"),
        ]
    ]
    lines += [
        supplement.Line(f"clause_{code}", f"Alleging a breach of clause {code}", by_clause.get(code, 0))
        for code in ALLEGEABLE_CLAUSES
    ]
    with translation.override("en"):  # the report is written in English, whoever signs it
        lines += [
            supplement.Line(f"disposition_{value}", f"Allegations decided: {label.lower()}", dispositions.get(value, 0))
            for value, label in Allegation.Disposition.choices
            if value != Allegation.Disposition.PENDING
        ]
    lines.append(
        supplement.Line("findings_referred", "Findings referred to internal affairs as complaints", referred_findings)
    )
    lines += [
        supplement.Line("open_at_end", "Complaints open at the end of the period", at_end["open"]),
        supplement.Line(
            "overdue_at_end", "Of those, past their investigation deadline at the end of the period", at_end["overdue"]
        ),
    ]
    return lines
