"""Reads for clause 4's figures: the police records behind 4(a)–(d), counted and listed by the same selectors,
so the list behind a number always has that many entries. The reports app reads the figures through these; the
2(d) rule and 4(b) share one definition of a detention on a hold (`selectors.custody_detained_on_hold`).
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Sum
from django.urls import reverse

from detainers.models import Custody, Detainer, DetainerReason, JudicialAuthority, Person, Reimbursement
from detainers.selectors import HOLD_ONLY_BASES, custody_detained_on_hold
from welcoming.drift import changed_since_read, then_and_now
from welcoming.periods import Window
from welcoming.selectors import local_date

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


# --- Drift of a signed report: what its figures rest on, and what changed since it was signed ---------------


@dataclass(frozen=True)
class CountingRule:
    """A change to how the figures are counted: a report signed under an earlier version may count differently
    today with no record changed, and its drift then names the change."""

    version: int
    landed: date
    change: str


COUNTING_RULES = [
    CountingRule(
        1,
        date(2026, 12, 7),
        "A judicial warrant or court order counts from the moment it was received, and never before: detention on "
        "an ICE hold before that moment stays detention (4(b); “The records clerk's day, part 2”).",
    ),
]
COUNTING_RULES_VERSION = COUNTING_RULES[-1].version


def counting_rules_since(*, version: int | None, signed_at) -> list[str]:
    """The changes of the counting rule since a report was signed. A report signed before the version was frozen
    with it is placed by the day each change landed."""
    if version is None:
        return [rule.change for rule in COUNTING_RULES if rule.landed >= local_date(signed_at)]
    return [rule.change for rule in COUNTING_RULES if rule.version > version]


CUSTODY_MOMENTS = ("booked_at", "eligible_for_release_at", "released_at", "transferred_to_ice_at")
CHUNK = 500  # ids per IN list: SQLite limits a query's parameters


def _chunks(ids) -> list[list]:
    ids = sorted(ids)
    return [ids[i : i + CHUNK] for i in range(0, len(ids), CHUNK)]


def _custody_moments(*, custody_ids=(), person_ids=(), documents: bool = False) -> set:
    """The moments of these custody records (or those of these people); with `documents`, their documents'
    lodging too, for a void that takes the documents out of 4(a) with the custody or the person."""
    moments = set()
    for field, ids in (("pk__in", custody_ids), ("person_id__in", person_ids)):
        for chunk in _chunks(ids):
            for row in Custody.objects.filter(**{field: chunk}).values_list(*CUSTODY_MOMENTS):
                moments.update(row)
            if documents:
                through = {"custody_id__in" if field == "pk__in" else "custody__person_id__in": chunk}
                moments.update(Detainer.objects.filter(**through).values_list("lodged_at", flat=True))
    return moments


# What each saved record touched (`welcoming.drift`): its own moments, now and as read, and for a record that
# changes how a custody counts, that custody's. A person counts only through custody, and only a void or a
# merge changes that; a custody's or a person's void also takes their documents out of 4(a).
def touched_by_custody(records) -> set:
    moments = {moment for record in records for moment in then_and_now(record, *CUSTODY_MOMENTS)}
    voided = {r.pk for r in records if changed_since_read(r, "voided_at")}
    return moments | (_custody_moments(custody_ids=voided, documents=True) if voided else set())


def touched_by_detainer(records) -> set:
    lodged_at = {moment for record in records for moment in then_and_now(record, "lodged_at")}
    return lodged_at | _custody_moments(custody_ids={c for r in records for c in then_and_now(r, "custody_id")})


def touched_by_judicial_authority(records) -> set:
    return _custody_moments(custody_ids={c for r in records for c in then_and_now(r, "custody_id")})


def touched_by_person(records) -> set:
    changed = {r.pk for r in records if changed_since_read(r, "voided_at", "merged_into_id")}
    return _custody_moments(person_ids=changed, documents=True) if changed else set()


def touched_by_reimbursement(records) -> set:
    return {moment for record in records for moment in then_and_now(record, "received_on")}


RECORD_MODELS = {
    "person": Person,
    "custody": Custody,
    "detainer": Detainer,
    "judicial_authority": JudicialAuthority,
    "reimbursement": Reimbursement,
}
HISTORY_COLUMNS = ("history_type", "history_date", "voided_at", "history_user__username")
HISTORY_NAMES = ("history_user__first_name", "history_user__last_name")


def _history_changes(record_type: str, since, *, by: str = "id", ids) -> list[tuple[int, dict]]:
    """Each record's change since `since`, from its history, as drift names it: "added" if it was created since,
    "voided" if voided since, else "changed" (its latest entry), with who and when. The records are those whose
    field `by` is one of `ids`; each change comes with that field's value."""
    found = {}
    for chunk in _chunks(ids):
        rows = (
            RECORD_MODELS[record_type]
            .history.filter(history_date__gt=since, **{f"{by}__in": chunk})
            .order_by("history_date", "history_id")
            .values("id", by, *HISTORY_COLUMNS, *HISTORY_NAMES)
        )
        for row in rows:
            earlier = found.get(row["id"], (None, {}))[1].get("change")
            if earlier == "added":
                continue  # created since signing: that is the change, whatever followed
            if row["history_type"] == "+":
                change = "added"
            elif row["voided_at"] is not None and row["voided_at"] > since:
                change = "voided"
            elif earlier == "voided":
                continue
            else:
                change = "changed"
            name = " ".join(filter(None, (row[field] for field in HISTORY_NAMES)))
            found[row["id"]] = (
                row[by],
                {
                    "type": record_type,
                    "id": row["id"],
                    "change": change,
                    "by": name or row["history_user__username"] or "",
                    "at": row["history_date"].isoformat(),
                },
            )
    return list(found.values())


def _through_custody(custody_ids, since, *, own: bool, related: bool) -> dict[int, list[dict]]:
    """Changes since `since` that change how each custody counts: its own (if `own`), its person's and, if
    `related`, its judicial authorities' and its documents' (4(b) reads both), by custody id."""
    found = defaultdict(list)
    if own:
        for custody, change in _history_changes("custody", since, ids=custody_ids):
            found[custody].append(change)
    if related:
        for kind in ("judicial_authority", "detainer"):
            for custody, change in _history_changes(kind, since, by="custody_id", ids=custody_ids):
                found[custody].append(change)
    person_of = dict(Custody.objects.filter(pk__in=list(custody_ids)).values_list("pk", "person_id"))
    persons = dict(_history_changes("person", since, ids=set(person_of.values())))
    for custody, person in person_of.items():
        if person in persons:
            found[custody].append(persons[person])
    return found


def changes_since(records: set, since) -> dict:
    """For `welcoming.drift`: each (type, id) a change since `since` explains, with the changes that do — the
    record's own, or else those of what it is counted through: a document's custody and person; a custody's
    person, judicial authorities and documents; a person's custody records and what those are counted through."""
    ids = {kind: {pk for t, pk in records if t == kind} for kind in RECORD_MODELS}
    explained = defaultdict(list)
    for kind in ("person", "custody", "detainer", "reimbursement"):
        for pk, change in _history_changes(kind, since, ids=ids[kind]):
            explained[(kind, pk)].append(change)
    if documents := {pk for pk in ids["detainer"] if ("detainer", pk) not in explained}:
        custody_of = dict(Detainer.objects.filter(pk__in=list(documents)).values_list("pk", "custody_id"))
        through = _through_custody(set(custody_of.values()), since, own=True, related=False)
        for pk, custody in custody_of.items():
            explained[("detainer", pk)] += through.get(custody, [])
    if custody := {pk for pk in ids["custody"] if ("custody", pk) not in explained}:
        for pk, changes in _through_custody(custody, since, own=False, related=True).items():
            explained[("custody", pk)] += changes
    if persons := {pk for pk in ids["person"] if ("person", pk) not in explained}:
        person_of = dict(Custody.objects.filter(person_id__in=list(persons)).values_list("pk", "person_id"))
        for custody, changes in _through_custody(set(person_of), since, own=True, related=True).items():
            explained[("person", person_of[custody])] += changes
    return {record: changes for record, changes in explained.items() if changes}


RECORD_PAGES = {
    "person": "detainers:person-detail",
    "custody": "detainers:custody-detail",
    "detainer": "detainers:detainer-detail",
    "reimbursement": "detainers:reimbursement-detail",
}
RECORD_LABELS = {
    "person": "Person",
    "custody": "Custody record",
    "detainer": "Document",
    "judicial_authority": "Judicial warrant or court order",
    "reimbursement": "Reimbursement",
}


def record_link(record_type: str, pk: int) -> str:
    """The page of a record drift names (a judicial authority's is its custody's, which the page cannot know
    without a query, so it is named without a link)."""
    name = RECORD_PAGES.get(record_type)
    return reverse(name, args=[pk]) if name else ""
