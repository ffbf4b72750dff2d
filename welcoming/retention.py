"""Retention (DESIGN.md section 6): once a period's report has been signed for the retention period, the personal
identifiers of the records in that period are replaced, in the records and in their history; every count, and so
every figure and report, stays as it was.

The core imports no app: each app registers what it keeps about people (a Policy per model), and the reports app
registers which periods are reported and when. `personal_data_purge` below does the writing.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import partial

from dateutil.relativedelta import relativedelta
from django.db import models, transaction
from django.db.models import Case, Q, QuerySet, Value, When
from django.db.models.functions import Replace
from django.urls import reverse
from django.utils import timezone

from welcoming import selectors
from welcoming.acting import require
from welcoming.audit import audit_many
from welcoming.models import (
    Attachment,
    AuditEntry,
    Finding,
    Notification,
)
from welcoming.periods import window

PURGED = "[purged]"  # what a purged text field holds from then on


def purged_unless(condition: Q, then=""):
    """[purged], except where `condition` holds: then `then`. For a field a constraint wants blank in some rows (an
    anonymous complainant's name) or filled in others (a declined request's reason, kept non-empty as [purged])."""
    return Case(When(condition, then=Value(then)), default=Value(PURGED))


@dataclass(frozen=True)
class ReportedPeriod:
    start: date
    end: date
    reported_at: datetime  # when the report that stands for it was signed


@dataclass(frozen=True)
class Policy:
    """What to replace in one model's rows, and which rows are due.

    `dated_by` names the date or datetime field that puts a row in a reporting period; a row is due when that
    period was reported at least the retention period ago. `select` narrows further (a complaint must be closed)
    or, for a row with no date of its own (a person), replaces the test entirely: it is given the function that
    turns a model and a field path into the condition "in a period due for purging".
    """

    model: type
    replace: dict
    dated_by: str = ""
    select: Callable[[QuerySet, Callable[[type, str], Q]], QuerySet] | None = None
    # Texts elsewhere (findings' messages, notifications) that quote one of these fields: scrubbed too.
    quoted: tuple[str, ...] = field(default=())

    def due(self, in_period: Callable[[type, str], Q]) -> QuerySet:
        rows = self.model._default_manager.all()
        if self.dated_by:
            rows = rows.filter(in_period(self.model, self.dated_by))
        if self.select is not None:
            rows = self.select(rows, in_period)
        return rows.exclude(**{self.marker: PURGED}) if self.marker else rows  # purged once is enough

    @property
    def marker(self) -> str | None:
        """A field that holds [purged] once a row is purged (so that a row purged once is not purged again)."""
        return next((name for name, value in self.replace.items() if isinstance(value, str) and value == PURGED), None)


_policies: list[Policy] = []
_reported_periods: list[Callable[[], list[ReportedPeriod]]] = []


def register(policy: Policy) -> None:
    _policies.append(policy)


def register_reported_periods(provider: Callable[[], list[ReportedPeriod]]) -> None:
    _reported_periods.append(provider)


def policies() -> list[Policy]:
    return list(_policies)


def reported_periods() -> list[ReportedPeriod]:
    return [period for provider in _reported_periods for period in provider()]


def policy_for(model) -> Policy | None:
    return next((policy for policy in _policies if policy.model is model), None)


def referred_to_only_by_due_records(rows: QuerySet, in_period) -> QuerySet:
    """For a row with no date of its own (a person): due once every registered record that refers to it is due,
    and at least one does. A person held in 2019 and again in 2031 keeps their name until 2031's period is due.
    One that no record refers to (entered, then never booked) is due by when it was entered."""
    model = rows.model
    some_due, none = Q(pk__in=[]), Q()
    for relation in model._meta.related_objects:
        policy = policy_for(relation.related_model)
        if policy is None or not policy.dated_by:
            continue
        referring = relation.related_model._default_manager
        in_due_period = in_period(relation.related_model, policy.dated_by)
        rows = rows.exclude(pk__in=referring.exclude(in_due_period).values(relation.field.attname))
        some_due |= Q(pk__in=referring.filter(in_due_period).values(relation.field.attname))
        none &= ~Q(pk__in=referring.values(relation.field.attname))
    return rows.filter(some_due | (none & in_period(model, "created_at")))


@dataclass
class PurgeResult:
    periods: list  # the reported periods whose records were due
    rows: dict[str, int]  # model label -> rows purged (or, on a dry run, that would be)
    applied: bool


def _in_periods(periods, zone: str):
    """model, field path -> the condition "falls in one of these periods" (a date by the calendar, a moment by the
    town's clock)."""

    def in_period(model, path: str) -> Q:
        target = model
        for part in path.split("__"):
            field_ = target._meta.get_field(part)
            target = field_.related_model or target
        condition = Q(pk__in=[])
        for period in periods:
            if isinstance(field_, models.DateTimeField):
                span = window(period.start, period.end, zone=zone)
                condition |= Q(**{f"{path}__gte": span.starts_at, f"{path}__lt": span.ends_at})
            else:
                condition |= Q(**{f"{path}__range": (period.start, period.end)})
        return condition

    return in_period


@transaction.atomic
def personal_data_purge(*, by, now=None, apply: bool = False) -> PurgeResult:
    """Replace the personal identifiers of every record in a period reported at least `retention_years` ago, in
    the records, their history, their files, and the texts that quote them (findings, notifications). Counts,
    dates, kinds and outcomes stay, so every figure and every stored report is unchanged. A dry run (the default)
    only counts. The audit log names `by` (the scheduler) for every record purged."""
    require(by, "welcoming.run_scheduled_jobs", message="Only the scheduler purges personal data.")
    now = now or timezone.now()
    municipality = selectors.municipality_get()
    if municipality is None:
        return PurgeResult([], {}, apply)
    since = now - relativedelta(years=municipality.retention_years)
    periods = sorted((period for period in reported_periods() if period.reported_at <= since), key=lambda p: p.start)
    in_period = _in_periods(periods, municipality.time_zone)
    counts, purged, quoted = {}, Q(pk__in=[]), set()
    for policy in policies():
        label = policy.model._meta.label_lower
        ids = list(policy.due(in_period).values_list("pk", flat=True))
        counts[policy.model._meta.label] = len(ids)
        if not apply or not ids:
            continue
        if policy.quoted:  # every spelling the record ever had, its history's included
            rows = [policy.model._default_manager.filter(pk__in=ids), policy.model.history.filter(id__in=ids)]
            # (Three letters at least: a shorter "name" would be cut out of other words.)
            quoted |= {value for row in rows for value in row.values_list(*policy.quoted, flat=True) if len(value) >= 3}
        policy.model._default_manager.filter(pk__in=ids).update(**policy.replace)
        if hasattr(policy.model, "history"):
            policy.model.history.filter(id__in=ids).update(**policy.replace)
        # A scan names the person on every page: the file goes, once the purge is committed.
        files = Attachment.objects.filter(record_type=label, record_id__in=ids).exclude(original_name=PURGED)
        for attachment in files:
            transaction.on_commit(partial(attachment.file.storage.delete, attachment.file.name))
        gone = {"file": "", "original_name": PURGED}
        files.update(**gone)
        if hasattr(Attachment, "history"):
            Attachment.history.filter(record_type=label, record_id__in=ids).update(**gone)
        purged |= Q(record_type=label, record_id__in=ids)
        audit_many(
            user=by, action=AuditEntry.Action.PURGE, record_type=label, record_ids=ids, fields=list(policy.replace)
        )
    if apply and quoted:
        # The findings about purged records quote the person's name: only theirs are scrubbed (a namesake's
        # findings, and words that merely contain the name elsewhere, stay as they are). Purged records of earlier
        # runs count too: a person is purged only once their last record is due, years after their first.
        about_purged = Q(pk__in=[])
        for policy in policies():
            if policy.marker:
                rows = policy.model._default_manager.filter(**{policy.marker: PURGED}).values("pk")
                about_purged |= Q(record_type=policy.model._meta.label_lower, record_id__in=rows)
        findings = Finding.objects.filter(about_purged)
        links = [reverse("welcoming:finding-detail", args=[pk]) for pk in findings.values_list("pk", flat=True)]
        for text in sorted(quoted, key=len, reverse=True):
            _scrub(findings, ["message"], text)
            _scrub(Finding.history.filter(about_purged), ["message"], text)
            _scrub(Notification.objects.filter(link__in=links), ["subject", "body"], text)
    return PurgeResult(periods, counts, apply)


def _scrub(rows, fields: list[str], text: str) -> None:
    for name in fields:
        rows.filter(**{f"{name}__contains": text}).update(**{name: Replace(name, Value(text), Value(PURGED))})
