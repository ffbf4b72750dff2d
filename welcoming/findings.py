"""The findings engine: the registry of rules, the context they read, and the services that keep the stored
findings in line with what the rules find. Apps declare their rules in their `registrations.RULES`; the core
imports no app.

A rule is a pure function `(record, context) -> iterable of FindingDraft`: it writes nothing and reads nothing
but the record (with the related rows its registration selects) and the `RuleContext`, which the scheduler's pass
builds once per batch of records and a save once for its record. So a rule is tested directly on unsaved records.
"""

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, OperationalError, transaction
from django.urls import reverse
from django.utils import timezone

from welcoming import selectors
from welcoming.acting import require
from welcoming.audit import audit_head_hold
from welcoming.models import Finding, Municipality, Notification
from welcoming.notifications import notify_permission
from welcoming.ordinance import clause


@dataclass(frozen=True)
class FindingDraft:
    section: str  # the clause, e.g. "2(d)"
    severity: str  # Finding.Severity
    code: str  # unique per record, e.g. "2d-held-past-release"
    message: str  # one plain sentence
    facts: dict = field(default_factory=dict)  # what it rests on; a change here reopens a dismissed finding
    # When the breach happened (a detention began, a deadline passed, information went out): the report counts
    # a finding in the period of the event, not of the day someone entered the record. None: when found.
    occurred_at: datetime | None = None

    def __post_init__(self):
        clause(self.section)  # an unknown clause is a programming error


@dataclass(frozen=True)
class RuleContext:
    """Everything a rule may read besides its record: `now`, the town's settings with their defaults filled in
    (`selectors.town_profile`), and what the registration precomputed for the records at hand, by name and then
    by record id (a custody's detention on a hold, its judicial authorities)."""

    now: datetime
    town: Municipality
    known: Mapping[str, Mapping[Any, Any]] = field(default_factory=dict)

    @cached_property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.town.time_zone)

    def lookup(self, name: str, record, default=None):
        """What was precomputed under `name` for this record; a name nobody precomputed is a programming error."""
        return self.known[name].get(record.pk, default)


Rule = Callable[[Any, RuleContext], Iterable[FindingDraft]]
# (records at hand, now) -> {record id: what the rules read}, in one query whatever the number of records.
Precompute = Callable[[list, datetime], Mapping[Any, Any]]


@dataclass
class _Registration:
    rules: list[Rule] = field(default_factory=list)
    # The records worth re-evaluating on the schedule (rules that fire because time passes); records with
    # unresolved findings are always re-evaluated too, so they can close.
    scheduled: Callable[[], Any] | None = None
    model: Any = None
    related: tuple[str, ...] = ()  # the forward relations the rules read, joined when the pass reads records
    precompute: dict[str, Precompute] = field(default_factory=dict)


_REGISTRY: dict[str, _Registration] = {}
_ON_REFER: list[Callable] = []


def register_rule(
    model,
    rule: Rule,
    *,
    scheduled: Callable[[], Any] | None = None,
    related: tuple[str, ...] = (),
    precompute: Mapping[str, Precompute] | None = None,
) -> None:
    registration = _REGISTRY.setdefault(model._meta.label_lower, _Registration(model=model))
    if rule not in registration.rules:
        registration.rules.append(rule)
    if scheduled is not None:
        registration.scheduled = scheduled
    registration.related = tuple(dict.fromkeys([*registration.related, *related]))
    registration.precompute.update(precompute or {})


@dataclass(frozen=True)
class RuleSet:
    """A model's rules as an app declares them in its `registrations.RULES`, with what they read: the records a
    time-based rule may fire on, the forward relations joined, and the precomputations by name."""

    model: Any
    rules: tuple[Rule, ...]
    scheduled: Callable[[], Any] | None = None
    related: tuple[str, ...] = ()
    precompute: Mapping[str, Precompute] = field(default_factory=dict)


def register_rule_set(rule_set: RuleSet) -> None:
    for rule in rule_set.rules:
        register_rule(
            rule_set.model,
            rule,
            scheduled=rule_set.scheduled,
            related=rule_set.related,
            precompute=rule_set.precompute,
        )


def unregister_rule(model, rule: Rule) -> None:
    registration = _REGISTRY.get(model._meta.label_lower)
    if registration and rule in registration.rules:
        registration.rules.remove(rule)
        if not registration.rules:
            del _REGISTRY[model._meta.label_lower]


def registrations() -> dict[str, _Registration]:
    return dict(_REGISTRY)


def context_for(records: list, *, now: datetime, town: Municipality) -> RuleContext:
    """The context for these records (all of one model): each precomputation of their registration, run once."""
    registration = _REGISTRY.get(records[0]._meta.label_lower) if records else None
    known = {name: compute(records, now) for name, compute in (registration.precompute if registration else {}).items()}
    return RuleContext(now=now, town=town, known=known)


def evaluate(record, context: RuleContext) -> list[FindingDraft]:
    """Every registered rule's findings about this record, in this context. Pure."""
    registration = _REGISTRY.get(record._meta.label_lower)
    drafts = [draft for rule in (registration.rules if registration else []) for draft in rule(record, context)]
    codes = [draft.code for draft in drafts]
    if len(codes) != len(set(codes)):
        raise ValueError(f"Two rules gave the same finding code for {record._meta.label}: {codes}")
    return drafts


def on_refer(handler: Callable) -> None:
    """Register what a referral does beyond marking the finding (the complaints app opens a complaint)."""
    if handler not in _ON_REFER:
        _ON_REFER.append(handler)


def refer_handlers() -> list[Callable]:
    return list(_ON_REFER)


_VOIDABLE: list = []


def register_voidable(model) -> None:
    """A model whose records can be voided (voided_at, voided_by, void_reason): its voids are listed beside
    dismissals and automatic closures, since violations must never vanish quietly."""
    if model not in _VOIDABLE:
        _VOIDABLE.append(model)


def voidable_models() -> list:
    return list(_VOIDABLE)


@dataclass
class Reconciled:
    opened: list[Finding] = field(default_factory=list)
    reopened: list[Finding] = field(default_factory=list)
    closed: list[Finding] = field(default_factory=list)
    updated: list[Finding] = field(default_factory=list)

    def add(self, other: "Reconciled") -> None:
        for name in ("opened", "reopened", "closed", "updated"):
            getattr(self, name).extend(getattr(other, name))


class _FactsEncoder(DjangoJSONEncoder):
    def default(self, o):
        # In UTC: the same moment read back from the database (UTC) and freshly computed (local) must compare
        # equal, or a dismissed finding would reopen although nothing changed.
        if isinstance(o, datetime) and timezone.is_aware(o):
            o = o.astimezone(UTC)
        return super().default(o)


def _normalised(facts: dict) -> dict:
    # Stored JSON and fresh Python values compare equal only after the same round trip (dates, decimals).
    return json.loads(json.dumps(facts, cls=_FactsEncoder, sort_keys=True))


# The findings still standing that the writes inside `findings_raised()` opened or reopened, by id.
_raised: ContextVar[dict | None] = ContextVar("findings_raised", default=None)


@contextmanager
def findings_raised() -> Iterator[dict[int, Finding]]:
    """Collect the findings that the writes inside the block open or reopen and leave open (an import counts what
    it raised, though every write goes through services that return only their record)."""
    raised: dict[int, Finding] = {}
    token = _raised.set(raised)
    try:
        yield raised
    finally:
        _raised.reset(token)


@transaction.atomic
def findings_reconcile(*, record, now) -> Reconciled:
    """Bring a record's stored findings in line with what its rules find now.

    New findings open; findings that no longer hold close (never deleted); a dismissed finding stays dismissed
    unless the facts it rests on change, and then it opens again.
    """
    context = context_for([record], now=now, town=selectors.town_profile())
    return _reconcile(record, context, Finding.objects.select_for_update().of_record(record))


def _reconcile(record, context: RuleContext, existing) -> Reconciled:
    now = context.now
    drafts = {draft.code: draft for draft in evaluate(record, context)}
    existing = {finding.code: finding for finding in existing}
    result = Reconciled()
    for code, draft in drafts.items():
        facts = _normalised(draft.facts)
        finding = existing.get(code)
        if finding is None:
            finding = Finding.objects.create(
                record_type=record._meta.label_lower,
                record_id=record.pk,
                section=draft.section,
                code=code,
                severity=draft.severity,
                message=draft.message,
                facts=facts,
                status=Finding.Status.OPEN,
                opened_at=now,
                occurred_at=draft.occurred_at or now,
                status_changed_at=now,
            )
            result.opened.append(finding)
            continue
        facts_changed = finding.facts != facts
        if finding.status == Finding.Status.CLOSED or (finding.status == Finding.Status.DISMISSED and facts_changed):
            finding.status, finding.status_changed_at, finding.status_changed_by = Finding.Status.OPEN, now, None
            finding.status_reason, finding.opened_at = "", now
            result.reopened.append(finding)
        elif (
            facts_changed
            or finding.message != draft.message
            or finding.severity != draft.severity
            or (draft.occurred_at is not None and finding.occurred_at != draft.occurred_at)
        ):
            result.updated.append(finding)
        else:
            continue
        finding.section, finding.severity, finding.message, finding.facts = (
            draft.section,
            draft.severity,
            draft.message,
            facts,
        )
        finding.occurred_at = draft.occurred_at or finding.occurred_at
        finding.save()
    for code, finding in existing.items():
        if code not in drafts and finding.status in Finding.UNRESOLVED:
            finding.status, finding.status_changed_at, finding.status_changed_by = Finding.Status.CLOSED, now, None
            finding.status_reason = "No longer holds: the record changed or time passed."
            finding.save()
            result.closed.append(finding)
    if (raised := _raised.get()) is not None:
        raised.update((finding.pk, finding) for finding in [*result.opened, *result.reopened])
        for finding in result.closed:
            raised.pop(finding.pk, None)
    _notify_violations([*result.opened, *result.reopened])
    return result


def _notify_violations(findings: list[Finding]) -> None:
    """The notice, which is also e-mailed, says what happened in general terms only: the finding's message names
    the person and the hold, which stay inside the app, behind the link and the sign-in."""
    for finding in findings:
        if finding.severity == Finding.Severity.VIOLATION:
            title = clause(finding.section).title
            notify_permission(
                permission="welcoming.act_on_findings",
                event=Notification.Event.VIOLATION_OPENED,
                subject=f"Violation of clause {finding.section} ({title}) found",
                body=f"A rule found a violation of clause {finding.section} of the ordinance ({title}). Sign in to "
                "see the record and act on it.",
                link=reverse("welcoming:finding-detail", args=[finding.pk]),
            )


# Records per step of the scheduler's pass: each step reads its records, their precomputed facts and their
# findings in a handful of queries, and holds its findings' row locks only for its own records.
PASS_BATCH = 500


def findings_evaluate_all(*, by, now) -> Reconciled:
    """The scheduler's pass: every record a time-based rule may fire on, and every record with unresolved findings."""
    require(by, "welcoming.run_scheduled_jobs", message="Only the scheduler runs the findings pass.")
    town = selectors.town_profile()
    total = Reconciled()
    for label, registration in registrations().items():
        ids = set(registration.scheduled().values_list("pk", flat=True)) if registration.scheduled else set()
        ids |= set(Finding.objects.unresolved().filter(record_type=label).values_list("record_id", flat=True))
        ids = sorted(ids)
        for start in range(0, len(ids), PASS_BATCH):
            records = registration.model._default_manager.select_related(*registration.related)
            records = list(records.filter(pk__in=ids[start : start + PASS_BATCH]).order_by("pk"))
            if not records:
                continue
            try:
                total.add(_reconcile_batch(label, records, context_for(records, now=now, town=town)))
            except (IntegrityError, OperationalError):
                # A save opened a finding of one of these records while the batch ran (or the database chose the
                # batch to break a deadlock): nothing of the batch was kept. Its records go one at a time, each
                # under its own lock, as a save reconciles them.
                for record in records:
                    total.add(findings_reconcile(record=record, now=now))
    return total


@transaction.atomic
def _reconcile_batch(label: str, records: list, context: RuleContext) -> Reconciled:
    """Reconcile a batch under the row locks of its findings. Findings a save holds locked right now are skipped,
    not waited for (the pass never waits while holding others' locks, so it cannot deadlock with a save), and so
    are their records: the save is reconciling them with fresher facts."""
    audit_head_hold()  # the findings' locks are taken after it, as every audited save takes them
    ids = [record.pk for record in records]
    existing = defaultdict(list)
    for finding in Finding.objects.select_for_update(skip_locked=True).filter(record_type=label, record_id__in=ids):
        existing[finding.record_id].append(finding)
    locked = {finding.pk for findings in existing.values() for finding in findings}
    busy = set(
        Finding.objects.filter(record_type=label, record_id__in=ids)
        .exclude(pk__in=locked)
        .values_list("record_id", flat=True)
    )
    result = Reconciled()
    for record in records:
        if record.pk not in busy:
            result.add(_reconcile(record, context, existing[record.pk]))
    return result


def _finding_set_status(*, finding: Finding, by, status: str, reason: str = "") -> Finding:
    require(by, "welcoming.act_on_findings", message="Only internal affairs and the chief act on findings.")
    if finding.status == Finding.Status.CLOSED:
        raise ValidationError("This finding no longer holds and was closed; there is nothing to act on.")
    finding.status, finding.status_changed_at, finding.status_changed_by = status, timezone.now(), by
    finding.status_reason = reason.strip()
    finding.full_clean()
    finding.save()
    return finding


@transaction.atomic
def finding_acknowledge(*, finding: Finding, by, note: str = "") -> Finding:
    return _finding_set_status(finding=finding, by=by, status=Finding.Status.ACKNOWLEDGED, reason=note)


@transaction.atomic
def finding_dismiss(*, finding: Finding, by, reason: str) -> Finding:
    if not reason.strip():
        raise ValidationError({"reason": "Say why the finding is dismissed: the reason is kept and reported."})
    return _finding_set_status(finding=finding, by=by, status=Finding.Status.DISMISSED, reason=reason)


@transaction.atomic
def finding_refer(*, finding: Finding, by, note: str = "") -> Finding:
    """Refer to internal affairs; the complaints app (when installed) opens a complaint from it."""
    finding = _finding_set_status(finding=finding, by=by, status=Finding.Status.REFERRED, reason=note)
    for handler in refer_handlers():
        handler(finding=finding, by=by)
    return finding


FINDING_ACTIONS = ("acknowledge", "dismiss", "refer")


def finding_act(*, finding: Finding, by, action: str, note: str = "") -> Finding:
    """What the findings page and the API both offer: one of acknowledge, dismiss (the note is the reason), refer."""
    if action == "acknowledge":
        return finding_acknowledge(finding=finding, by=by, note=note)
    if action == "dismiss":
        return finding_dismiss(finding=finding, by=by, reason=note)
    if action == "refer":
        return finding_refer(finding=finding, by=by, note=note)
    raise ValidationError({"action": f"Unknown action: {action}."})
