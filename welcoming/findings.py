"""The findings engine's registry. Apps register their rules here from AppConfig.ready(); the core imports no app.

A rule is a pure function `(record, now) -> iterable of FindingDraft`: no database writes, so it is easy to test.
`welcoming.services.findings_reconcile` turns the drafts into stored findings.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

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


Rule = Callable[[Any, datetime], Iterable[FindingDraft]]


@dataclass
class _Registration:
    rules: list[Rule] = field(default_factory=list)
    # The records worth re-evaluating on the schedule (rules that fire because time passes); records with
    # unresolved findings are always re-evaluated too, so they can close.
    scheduled: Callable[[], Any] | None = None
    model: Any = None


_REGISTRY: dict[str, _Registration] = {}
_ON_REFER: list[Callable] = []


def register_rule(model, rule: Rule, *, scheduled: Callable[[], Any] | None = None) -> None:
    registration = _REGISTRY.setdefault(model._meta.label_lower, _Registration(model=model))
    if rule not in registration.rules:
        registration.rules.append(rule)
    if scheduled is not None:
        registration.scheduled = scheduled


def unregister_rule(model, rule: Rule) -> None:
    registration = _REGISTRY.get(model._meta.label_lower)
    if registration and rule in registration.rules:
        registration.rules.remove(rule)
        if not registration.rules:
            del _REGISTRY[model._meta.label_lower]


def registrations() -> dict[str, _Registration]:
    return dict(_REGISTRY)


def evaluate(record, now: datetime) -> list[FindingDraft]:
    """Every registered rule's findings about this record, as of `now`. Pure."""
    registration = _REGISTRY.get(record._meta.label_lower)
    drafts = [draft for rule in (registration.rules if registration else []) for draft in rule(record, now)]
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
