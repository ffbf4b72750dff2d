"""Retention (DESIGN.md section 6): once a period's report has been signed for the retention period, the personal
identifiers of the records in that period are replaced, in the records and in their history; every count, and so
every figure and report, stays as it was.

The core imports no app: each app registers what it keeps about people (a Policy per model), and the reports app
registers which periods are reported and when. `services.personal_data_purge` does the writing.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Case, Q, QuerySet, Value, When

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
