"""Reads for clause 4's figures: the police records behind 4(a)–(d), counted and listed by the same selectors,
so the list behind a number always has that many entries. The reports app reads the figures through these; the
2(d) rule and 4(b) share one definition of a detention on a hold (`selectors.custody_detained_on_hold`).
"""

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Sum

from detainers.models import Custody, Detainer, DetainerReason, Person, Reimbursement
from detainers.selectors import HOLD_ONLY_BASES, custody_detained_on_hold
from welcoming.periods import Window

KINDS = Detainer.Kind.values  # the order of 4(a), as the ordinance lists them
REASONS = DetainerReason.Code.values


def kind_label(kind: str) -> str:
    return Detainer.Kind(kind).label


def reason_label(code: str) -> str:
    return DetainerReason.Code(code).label


def lodged(window: Window, *, kind: str | None = None, reason: str | None = None):
    """4(a): documents lodged in the window (neither they, their custody nor the person voided), of one kind and
    with one reason if asked."""
    detainers = Detainer.objects.counted().filter(lodged_at__gte=window.starts_at, lodged_at__lt=window.ends_at)
    if kind:
        detainers = detainers.filter(kind=kind)
    if reason:
        detainers = detainers.filter(reasons__code=reason)
    return detainers


def detentions_begun(window: Window, *, now):
    """4(b): custody records in which a detention on a hold began in the window — the 2(d) rule's definition."""
    # A detention begins at booking (a hold-only basis) or at eligibility: the same window on those columns,
    # which are indexed, finds the few candidates before the definition is checked on each.
    began_in_window = Q(basis__in=HOLD_ONLY_BASES, booked_at__gte=window.starts_at, booked_at__lt=window.ends_at) | Q(
        eligible_for_release_at__gte=window.starts_at, eligible_for_release_at__lt=window.ends_at
    )
    return (
        custody_detained_on_hold(now=now)
        .filter(began_in_window)
        .exclude(Exists(Person.objects.filter(pk=OuterRef("person_id"), voided_at__isnull=False)))
        .filter(hold_began_at__gte=window.starts_at, hold_began_at__lt=window.ends_at)
    )


def individuals_detained(window: Window, *, now):
    """4(b): distinct people whose detention on a hold began in the window."""
    return Person.objects.filter(pk__in=detentions_begun(window, now=now).values("person"))


def transfers(window: Window):
    """4(c): custody records ended by a transfer to ICE custody in the window, on whatever authority."""
    return Custody.objects.counted().filter(
        transferred_to_ice_at__gte=window.starts_at, transferred_to_ice_at__lt=window.ends_at
    )


def individuals_transferred(window: Window):
    """4(c): distinct people transferred to ICE custody in the window."""
    return Person.objects.filter(pk__in=transfers(window).values("person"))


NO_CASE = object()  # the reimbursements tied to no case


def reimbursements_received(window: Window, *, case=None):
    """4(d): reimbursements received in the window (local dates), of one case label, or of none (`NO_CASE`)."""
    received = Reimbursement.objects.active().filter(received_on__gte=window.start, received_on__lte=window.end)
    if case is NO_CASE:
        return received.filter(case_label="")
    return received.filter(case_label=case) if case else received


def lodged_counts(window: Window) -> dict:
    """4(a) in one query: per kind, the documents and, per reason, those giving it (a reason is given once per
    document, so its rows need no DISTINCT); only the reasons some document gives, in the form's order."""
    rows = (
        lodged(window)
        .values("kind")
        .annotate(
            total=Count("pk", distinct=True),
            **{code: Count("reasons", filter=Q(reasons__code=code)) for code in REASONS},
        )
        .order_by()
    )
    counts = {row["kind"]: row for row in rows}
    return {
        kind: {
            "total": counts.get(kind, {}).get("total", 0),
            "by_reason": {code: n for code in REASONS if (n := counts.get(kind, {}).get(code, 0))},
        }
        for kind in KINDS
    }


def reimbursement_sums(window: Window) -> list[tuple[str, object]]:
    """4(d) in one query: (case label, amount) per case, "" for the money tied to no case."""
    return list(reimbursements_received(window).values_list("case_label").annotate(amount=Sum("amount")).order_by())


def lodged_records(window: Window, *, kind: str, reason: str | None = None):
    return (
        lodged(window, kind=kind, reason=reason)
        .select_related("custody__person")
        .prefetch_related("reasons")
        .order_by("lodged_at", "pk")
    )


def detained_people(window: Window, *, now):
    """The people behind 4(b), each with the detentions that began in the window."""
    return (
        individuals_detained(window, now=now)
        .prefetch_related(
            Prefetch(
                "custody_records",
                queryset=detentions_begun(window, now=now).order_by("hold_began_at"),
                to_attr="detentions",
            )
        )
        .order_by("full_name", "pk")
    )


def transferred_people(window: Window):
    """The people behind 4(c), each with the transfers in the window."""
    return (
        individuals_transferred(window)
        .prefetch_related(
            Prefetch(
                "custody_records", queryset=transfers(window).order_by("transferred_to_ice_at"), to_attr="transfers"
            )
        )
        .order_by("full_name", "pk")
    )


def reimbursement_records(window: Window, *, case=None):
    return reimbursements_received(window, case=case).order_by("received_on", "pk")


def figure_record_ids(window: Window, *, now) -> dict:
    """The ids of the records behind each figure, frozen with a signed report (four queries)."""
    documents = {kind: [] for kind in KINDS}
    by_reason = {kind: {} for kind in KINDS}
    for pk, kind, code in lodged(window).values_list("pk", "kind", "reasons__code").order_by("pk"):
        if not documents[kind] or documents[kind][-1] != pk:
            documents[kind].append(pk)
        by_reason[kind].setdefault(code, []).append(pk)
    detained = list(detentions_begun(window, now=now).values_list("pk", "person_id").order_by("pk"))
    moved = list(transfers(window).values_list("pk", "person_id").order_by("pk"))
    return {
        "lodged": documents,
        "lodged_by_reason": by_reason,
        "individuals_detained": {"persons": sorted({p for _, p in detained}), "custody": [c for c, _ in detained]},
        "individuals_transferred": {"persons": sorted({p for _, p in moved}), "custody": [c for c, _ in moved]},
        "reimbursements": list(reimbursements_received(window).order_by("pk").values_list("pk", flat=True)),
    }
