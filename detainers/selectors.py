"""Reads of the detainers app. Each fetch for a user checks the permission once, and "missing" looks like
"not yours" (404), so nothing leaks through an error.

Why one module over 400 lines: every police record's access check (`*_for`), list, search and the rule's
shared definition of a detention on a hold read the same joins; clause 4's figures are apart (`figures`).
"""

from datetime import date, datetime, time, timedelta

from django.db.models import Case, Count, DateTimeField, Exists, F, OuterRef, Prefetch, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, Upper
from django.http import Http404
from django.utils import timezone

from detainers.models import (
    AccessRequest,
    AssistanceRequest,
    AssistanceSupport,
    Custody,
    Detainer,
    InformationItem,
    InformationRequest,
    JudicialAuthority,
    Person,
    Reimbursement,
)
from welcoming import supplement
from welcoming.models import Finding

VIEW = "welcoming.view_police_records"


def _visible(user, queryset):
    return queryset if user.has_perm(VIEW) else queryset.none()


def _one(queryset, pk):
    record = queryset.filter(pk=pk).first()
    if record is None:
        raise Http404("No such record.")
    return record


def persons_for(*, user, search: str = ""):
    persons = Person.objects.current()
    if search:
        persons = persons.filter(Q(full_name__icontains=search) | Q(department_id__iexact=search))
    return _visible(user, persons)


def person_for(*, user, pk) -> Person:
    return _one(_visible(user, Person.objects.all()), pk)


def person_possible_duplicates(person: Person):
    """Other current records of the same person: same department ID, or same name and birth date."""
    same = Q(pk__in=[])
    if person.department_id:
        # Both sides upper-cased by the database, so its index on UPPER(department_id) finds the match.
        same |= Q(department_id_upper=Upper(Value(person.department_id)))
    if person.date_of_birth:
        same |= Q(full_name__iexact=person.full_name, date_of_birth=person.date_of_birth)
    people = Person.objects.current().active().alias(department_id_upper=Upper("department_id"))
    return people.filter(same).exclude(pk=person.pk)


def custody_records_for(*, user):
    return _visible(user, Custody.objects.select_related("person"))


def custody_for(*, user, pk) -> Custody:
    return _one(custody_records_for(user=user), pk)


def judicial_authority_for(*, user, pk) -> JudicialAuthority:
    return _one(_visible(user, JudicialAuthority.objects.select_related("custody__person", "came_with")), pk)


def detainers_for(*, user):
    carries = JudicialAuthority.objects.active().filter(came_with=OuterRef("pk"))
    return _visible(
        user,
        Detainer.objects.select_related("custody__person")
        .prefetch_related("reasons")
        .annotate(carries_judicial_authority=Exists(carries)),
    )


def detainer_for(*, user, pk) -> Detainer:
    return _one(detainers_for(user=user), pk)


def detainers_search(
    *,
    user,
    query: str = "",
    kind: str = "",
    form: str = "",
    reason: str = "",
    lodged_from=None,
    lodged_to=None,
    with_open_findings: bool = False,
):
    """Detainers matching a name, booking number or ICE reference, narrowed by kind, form, reason, the local
    dates they were lodged between (inclusive), or only those with unresolved findings."""
    detainers = detainers_for(user=user)
    if query:
        # The ids from each index, put together (an OR of subqueries here read every booking and every detainer).
        of_custody = Detainer.objects.filter(custody__in=_custody_matching(query)).order_by().values("pk")
        by_reference = Detainer.objects.filter(federal_reference__iexact=query).order_by().values("pk")
        detainers = detainers.filter(pk__in=of_custody.union(by_reference, all=True))
    # Local days as moments, so the index on lodged_at serves them (a lookup on the date of each moment cannot).
    zone = timezone.get_current_timezone()
    # The calendar's first and last days bound nothing (and their midnights may not exist in UTC).
    first_day = lodged_from and lodged_from > date.min and lodged_from
    day_after = lodged_to and lodged_to < date.max and lodged_to + timedelta(days=1)
    exact = {
        "kind": kind,
        "form": form,
        "reasons__code": reason,
        "lodged_at__gte": first_day and datetime.combine(first_day, time.min, tzinfo=zone),
        "lodged_at__lt": day_after and datetime.combine(day_after, time.min, tzinfo=zone),
    }
    detainers = detainers.filter(**{lookup: value for lookup, value in exact.items() if value})
    if with_open_findings:
        open_ids = Finding.objects.unresolved().filter(record_type="detainers.detainer").values("record_id")
        detainers = detainers.filter(pk__in=open_ids)
    return detainers


def _named(query: str):
    """The people whose name contains `query`, found on the name's trigram index (welcoming/search_indexes.py).
    Searches start here rather than joining every booking to its person (110 ms at 223,000 bookings)."""
    return Person.objects.filter(full_name__icontains=query).values("pk")


def _custody_matching(query: str):
    """Ids of the bookings of the people named `query`, and of the booking numbered `query`: each from its own
    index, put together with UNION ALL (an OR across the join to the people reads every booking)."""
    named = Custody.objects.filter(person__in=_named(query)).order_by().values("pk")
    return named.union(Custody.objects.filter(booking_number__iexact=query).order_by().values("pk"), all=True)


def custody_search(*, user, query: str = "", in_custody: bool = False):
    records = custody_records_for(user=user)
    if query:
        # An OR on the booking itself: the first page is read in its order from the booking date's index.
        records = records.filter(Q(person__in=_named(query)) | Q(booking_number__iexact=query))
    return records.in_custody() if in_custody else records


def release_board(*, user):
    """Everyone in custody with an open detainer or administrative warrant, soonest eligible first."""
    open_holds = Detainer.objects.active().holds().filter(custody=OuterRef("pk"), lifted_at__isnull=True)
    return (
        custody_records_for(user=user)
        .active()
        .in_custody()
        .filter(Exists(open_holds))
        .prefetch_related(Prefetch("detainers", queryset=Detainer.objects.holds().prefetch_related("reasons")))
        .order_by(F("eligible_for_release_at").asc(nulls_last=True), "booked_at")
    )


def copy_deadline(detainer: Detainer, hours: int):
    """2(g): the copy is due the configured hours after lodging, or when the person leaves custody if sooner.
    The rule, the board and the detainer's page all use this one."""
    deadline = detainer.lodged_at + timedelta(hours=hours)
    left_at = detainer.custody.left_at
    if left_at is not None and detainer.lodged_at <= left_at < deadline:
        deadline = left_at
    return deadline


def release_board_rows(*, user, copy_hours: int, now) -> list[dict]:
    """The board's rows: each person's open holds, when the copy is due (2(g)) and whether they are past
    eligibility for release (2(d)), as of `now`."""
    rows = []
    for custody in release_board(user=user):
        holds = [d for d in custody.detainers.all() if not d.is_voided and d.lifted_at is None]
        copy_due = min((copy_deadline(d, copy_hours) for d in holds if d.copy_served_at is None), default=None)
        eligible = custody.eligible_for_release_at
        rows.append(
            {
                "custody": custody,
                "holds": holds,
                "copy_due": copy_due,
                "copy_overdue": copy_due is not None and copy_due < now,
                "eligible": eligible,
                "past_eligibility": eligible is not None and eligible <= now,
            }
        )
    return rows


def board_summary(user) -> dict:
    """For the dashboard: how many are held with an open hold, and how many copies are still to serve (2 queries)."""
    held = release_board(user=user)
    return {
        "held": held.count(),
        "copies_due": Detainer.objects.active()
        .filter(custody__in=held.values("pk"), copy_served_at__isnull=True, lifted_at__isnull=True)
        .count(),
    }


def information_requests_for(*, user):
    return _visible(user, InformationRequest.objects.select_related("custody__person").prefetch_related("items"))


def access_requests_for(*, user):
    return _visible(user, AccessRequest.objects.select_related("custody__person"))


def information_requests_search(*, user, query: str = ""):
    """Information requests about the person named, or the booking numbered, `query`."""
    requests = information_requests_for(user=user)
    return requests.filter(custody__in=_custody_matching(query)) if query else requests


def access_requests_search(*, user, query: str = ""):
    """Access requests to see the person named, or held under the booking numbered, `query`."""
    requests = access_requests_for(user=user)
    return requests.filter(custody__in=_custody_matching(query)) if query else requests


def assistance_requests_for(*, user):
    return _visible(user, AssistanceRequest.objects.prefetch_related("supports"))


def reimbursements_for(*, user):
    return _visible(user, Reimbursement.objects.all())


# --- Detention on a hold (2(d) and figure 4(b)) ---------------------------------------------------------------


def _open_hold_at_eligibility():
    """A detainer or administrative warrant, not voided, lodged by the moment the person became eligible for
    release and not lifted by then. Whatever document a judge's warrant came with, it is judged apart, by when
    it was received (`_first_judicial_authority`)."""
    return (
        Detainer.objects.active()
        .holds()
        .filter(custody=OuterRef("pk"), lodged_at__lte=OuterRef("eligible_for_release_at"))
        .filter(Q(lifted_at__isnull=True) | Q(lifted_at__gt=OuterRef("eligible_for_release_at")))
    )


def _first_judicial_authority():
    """When the first judicial warrant or court order for the person in this custody was received."""
    return (
        JudicialAuthority.objects.active()
        .filter(custody=OuterRef("pk"))
        .order_by("received_at")
        .values("received_at")[:1]
    )


HOLD_ONLY_BASES = (Custody.Basis.DETAINER_ONLY, Custody.Basis.ADMINISTRATIVE_WARRANT_ONLY)
JUDICIAL_AUTHORITY = (Custody.TransferAuthority.JUDICIAL_WARRANT, Custody.TransferAuthority.COURT_ORDER)


def custody_detained_on_hold(*, now):
    """Custody records in which the person was detained on an ICE hold or administrative warrant (DESIGN.md
    section 3), annotated with `hold_began_at`, `hold_ended_at` and `judicial_authority_at`. The one definition
    the 2(d) rule and figure 4(b) both use:

    (i) the person stayed in custody past eligibility for release (left later, or is still held at `now`) while a
        hold lodged by that moment was open, and no judicial warrant or court order had been received by then;
        detention began at eligibility; or
    (ii) the person was taken into custody on the basis "detainer only" or "administrative warrant only";
        detention began at booking.

    Either lasted until the person left custody or judicial authority was received, whichever came first: a
    warrant that came later ends the detention, it never erases the hours before it.
    """
    left_at = Coalesce("released_at", "transferred_to_ice_at")
    # Each comparison says first that its column is set: a comparison with NULL is NULL, not false, and SQL must
    # then go on to the costly open-hold check (it did, for 11,000 bookings of a period instead of 500).
    stayed_past_eligibility = Q(eligible_for_release_at__isnull=False) & (
        Q(released_at__isnull=False, released_at__gt=F("eligible_for_release_at"))
        | Q(transferred_to_ice_at__isnull=False, transferred_to_ice_at__gt=F("eligible_for_release_at"))
        | (Q(released_at__isnull=True, transferred_to_ice_at__isnull=True) & Q(eligible_for_release_at__lt=now))
    )
    not_backed_at_eligibility = Q(judicial_authority_at__isnull=True) | Q(
        judicial_authority_at__gt=F("eligible_for_release_at")
    )
    until_left = Coalesce(F("custody_left_at"), Value(now), output_field=DateTimeField())
    return (
        Custody.objects.active()
        .annotate(judicial_authority_at=Subquery(_first_judicial_authority()), custody_left_at=left_at)
        .filter(
            Q(basis__in=HOLD_ONLY_BASES)
            | (stayed_past_eligibility & not_backed_at_eligibility & Exists(_open_hold_at_eligibility()))
        )
        .annotate(
            hold_began_at=Case(
                When(basis__in=HOLD_ONLY_BASES, then=F("booked_at")),
                default=F("eligible_for_release_at"),
                output_field=DateTimeField(),
            ),
        )
        .annotate(
            hold_ended_at=Case(
                When(
                    judicial_authority_at__gt=F("hold_began_at"),
                    judicial_authority_at__lt=until_left,
                    then=F("judicial_authority_at"),
                ),
                default=until_left,
                output_field=DateTimeField(),
            )
        )
    )


def hold_detentions(custody_records: list[Custody], now) -> dict:
    """For 2(d)'s rule: each custody's detention on a hold as of `now`, (began, ended, judicial authority
    received), by custody id, for the records at hand in one query."""
    # Cases the definition plainly excludes need no query: not booked on a hold, and never past eligibility.
    candidates = [
        custody.pk
        for custody in custody_records
        if custody.basis in HOLD_ONLY_BASES
        or (custody.eligible_for_release_at is not None and (custody.left_at or now) > custody.eligible_for_release_at)
    ]
    if not candidates:
        return {}
    rows = (
        custody_detained_on_hold(now=now)
        .filter(pk__in=candidates)
        .values_list("pk", "hold_began_at", "hold_ended_at", "judicial_authority_at")
    )
    return {pk: (began, ended, authority_at) for pk, began, ended, authority_at in rows}


def _by_parent(rows, parent: str) -> dict:
    grouped = {}
    for row in rows:
        grouped.setdefault(getattr(row, f"{parent}_id"), []).append(row)
    return grouped


def judicial_authorities_by_custody(custody_records: list[Custody], now) -> dict:
    """For the rules of 2(c) and 2(d): every judicial authority of each custody at hand, voided ones included."""
    return _by_parent(JudicialAuthority.objects.filter(custody__in=[c.pk for c in custody_records]), "custody")


def items_by_request(requests: list[InformationRequest], now) -> dict:
    """For 2(e)'s rule: what each information request at hand asked for and what was disclosed."""
    return _by_parent(InformationItem.objects.filter(request__in=[r.pk for r in requests]), "request")


def supports_by_request(requests: list[AssistanceRequest], now) -> dict:
    """For 2(j)'s rule: the support each assistance request at hand asked for and what was given."""
    return _by_parent(AssistanceSupport.objects.filter(request__in=[r.pk for r in requests]), "request")


def information_request_for(*, user, pk) -> InformationRequest:
    return _one(information_requests_for(user=user), pk)


def access_request_for(*, user, pk) -> AccessRequest:
    return _one(access_requests_for(user=user), pk)


def assistance_request_for(*, user, pk) -> AssistanceRequest:
    return _one(assistance_requests_for(user=user), pk)


def reimbursement_for(*, user, pk) -> Reimbursement:
    return _one(reimbursements_for(user=user), pk)


# --- The report's supplement: federal requests beyond the four figures (DESIGN.md section 5) ------------------


def _received_in(queryset, field: str, window):
    """Active records (of an active custody and person, where they have one) whose moment falls in the window."""
    return queryset.counted().filter(**{f"{field}__gte": window.starts_at, f"{field}__lt": window.ends_at})


def supplement_information_requests(window) -> list[supplement.Line]:
    restricted_without_basis = InformationItem.objects.filter(
        request=OuterRef("pk"), disclosed=True, item__in=InformationItem.RESTRICTED
    ).exclude(basis__in=InformationItem.LAWFUL_BASES)
    counts = _received_in(InformationRequest.objects, "received_at", window).aggregate(
        received=Count("pk"),
        answered=Count("pk", filter=Q(answered_at__isnull=False)),
        restricted=Count("pk", filter=Q(Exists(restricted_without_basis))),
    )
    return [
        supplement.Line("received", "Requests for information received", counts["received"]),
        supplement.Line("answered", "Answered", counts["answered"]),
        supplement.Line(
            "restricted_disclosed",
            "Disclosed restricted information without a public-record or judicial basis (2(e))",
            counts["restricted"],
        ),
    ]


def supplement_access_requests(window) -> list[supplement.Line]:
    counts = _received_in(AccessRequest.objects, "requested_at", window).aggregate(
        received=Count("pk"),
        n_granted=Count("pk", filter=Q(granted=True)),
        unauthorised=Count("pk", filter=Q(granted=True, judicial_warrant_or_court_order=False)),
    )
    return [
        supplement.Line("received", "Requests to interview or see a person in custody", counts["received"]),
        supplement.Line("granted", "Granted", counts["n_granted"]),
        supplement.Line(
            "granted_without_judicial_authority",
            "Granted without a judicial warrant or court order (2(h))",
            counts["unauthorised"],
        ),
    ]


def supplement_assistance_requests(window) -> list[supplement.Line]:
    beyond = AssistanceSupport.objects.filter(request=OuterRef("pk"), provided=True).exclude(
        kind__in=AssistanceSupport.ALLOWED
    )
    counts = _received_in(AssistanceRequest.objects, "requested_at", window).aggregate(
        received=Count("pk"),
        beyond=Count("pk", filter=Q(Exists(beyond))),
        deputized=Count("pk", filter=Q(deputized_functions=True)),
    )
    return [
        supplement.Line("received", "Requests to assist a federal operation", counts["received"]),
        supplement.Line(
            "support_beyond_allowed", "Support provided beyond safety and the peace (2(j))", counts["beyond"]
        ),
        supplement.Line(
            "immigration_officer_functions",
            "Officers performed immigration officers' functions (2(k))",
            counts["deputized"],
        ),
    ]
