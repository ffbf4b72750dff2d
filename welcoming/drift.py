"""Drift: whether a signed document still says what its records say (DESIGN.md section 5).

A signed document freezes its figures and the ids of the records behind each. It has drifted when the same
counting today gives other figures or other ids. `drift` compares the two and explains each difference by the
records added, voided or changed since signing; a difference no record explains is a change of the app's
counting rule. The semiannual report uses it (`reports.drift`); any other signed document can.

Saves of the records a signed document rests on (`DRIFT_SOURCES` in an app's `registrations.py`) are gathered
per transaction and handed, once it commits, to the checks (`DRIFT_CHECKS`) with the moments they touched: an
import of 10,000 rows checks once, and a save that touches no signed window checks nothing.
"""

import hashlib
import json
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import transaction

ADDED, VOIDED, CHANGED = "added", "voided", "changed"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Frozen:
    """What a document rests on: its figures by key, and per category the type and ids of the records behind
    them (`{"lodged.immigration_detainer": ("detainer", {4, 9})}`)."""

    figures: dict
    records: dict[str, tuple[str, set]]


def drift(*, signed: Frozen, live: Frozen, behind: Callable[[str], Iterable[str]], changes, checked_at) -> dict:
    """How the live counting differs from the signed one.

    `behind(key)` names the categories a figure rests on. `changes(records)` takes a set of (type, id) and
    answers, for each it can explain, the changes since signing that explain it: the record's own, or those of
    the records it is counted through, each `{"type", "id", "change", "by", "at"}`.
    """
    figures = {
        key: {"signed": signed.figures.get(key), "now": live.figures.get(key)}
        for key in sorted(signed.figures.keys() | live.figures.keys())
        if signed.figures.get(key) != live.figures.get(key)
    }
    # A category a document signed under an older version did not freeze cannot be compared.
    shared = signed.records.keys() & live.records.keys()

    def records_of(category, ids) -> set:
        return {(signed.records[category][0], pk) for pk in ids}

    moved_in = {c: records_of(c, set(signed.records[c][1]) ^ set(live.records[c][1])) for c in shared}
    moved = set().union(*moved_in.values())
    # A figure can change with no record moving (a reimbursement's amount edited): then the records behind it
    # are asked whether they changed.
    unmoved = {
        key: set().union(
            *(records_of(c, {*signed.records[c][1], *live.records[c][1]}) for c in behind(key) if c in shared)
        )
        for key in figures
        if not any(moved_in.get(c) for c in behind(key))
    }
    explained = changes(moved | set().union(*unmoved.values()))
    unexplained_figure = any(not (records & explained.keys()) for records in unmoved.values())
    rule_changed = bool(moved - explained.keys()) or unexplained_figure
    records = {}
    for change in (change for found in explained.values() for change in found):
        records.setdefault((change["type"], change["id"]), change)
    return {
        "changed": bool(figures or moved),
        "checked_at": checked_at.isoformat(),
        "figures": figures,
        "records": sorted(records.values(), key=lambda r: (r["at"] or "", r["type"], r["id"])),
        "rule_changed": rule_changed,
    }


def digest(found: dict) -> str:
    """What differed, as a hash: the same differences give the same digest whenever they are checked; none, ""."""
    if not found["changed"]:
        return ""
    essence = {
        "figures": found["figures"],
        "records": sorted((r["type"], r["id"], r["change"]) for r in found["records"]),
        "rule_changed": found["rule_changed"],
    }
    return hashlib.sha256(json.dumps(essence, sort_keys=True, default=str).encode()).hexdigest()


# --- Watching the saves a signed document rests on --------------------------------------------------------

_SOURCES: dict[type, Callable[[list], Iterable]] = {}
_CHECKS: list[Callable[[frozenset], object]] = []


def register_source(entry: tuple[type, Callable[[list], Iterable]]) -> None:
    """A model a signed document counts, and what gives the moments (datetimes or dates) its saved records
    touched, as they are now and as they were read."""
    model, moments = entry
    _SOURCES[model] = moments


def register_check(check: Callable[[frozenset], object]) -> None:
    """Called once a transaction that saved such records commits, with the moments they touched."""
    _CHECKS.append(check)


class RemembersLoaded:
    """Keeps the values a row was read with, so a save that moves a record out of a signed window still names
    the window it left (the pattern of Django's `Model.from_db` documentation)."""

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded = dict(zip(field_names, values, strict=True))
        return instance

    def refresh_from_db(self, using=None, fields=None, from_queryset=None):
        # A service locks the row and reads it again before changing it (`saving.lock`): the values as read are
        # then the row's as it was locked, which a change is measured from.
        super().refresh_from_db(using=using, fields=fields, from_queryset=from_queryset)
        loaded = [f.attname for f in self._meta.concrete_fields if f.attname in self.__dict__]  # none deferred
        self._loaded = {**getattr(self, "_loaded", {}), **{name: self.__dict__[name] for name in loaded}}


def then_and_now(record, *attnames) -> set:
    """The values of these fields now and as the record was read, without the empty ones."""
    loaded = getattr(record, "_loaded", {})
    values = {getattr(record, name) for name in attnames} | {loaded.get(name) for name in attnames}
    return values - {None}


def changed_since_read(record, *attnames) -> bool:
    loaded = getattr(record, "_loaded", None)
    return loaded is not None and any(loaded.get(name) != getattr(record, name) for name in attnames)


class _Touched:
    """The records of a transaction's saves, handed to the checks once it commits."""

    def __init__(self):
        # Every instance saved, not one per row: a row saved twice through two copies keeps both copies' values
        # as read, so the window it left before the first save is not lost.
        self.records = defaultdict(list)
        self.__qualname__ = "welcoming.drift._Touched"  # Django names a callback by it when one fails

    def add(self, record) -> None:
        self.records[type(record)].append(record)

    def __call__(self):
        moments = set()
        for model, records in self.records.items():
            moments.update(_SOURCES[model](records))
        moments.discard(None)
        for check in _CHECKS if moments else ():
            try:
                check(frozenset(moments))
            except Exception:  # the saves committed: a failed check is logged and left to the scheduler's pass
                log.exception("A drift check after a save failed; the scheduler's pass will check again.")


def record_saved(record) -> None:
    """Every save kept in a history comes here (`welcoming.apps`). One callback per transaction gathers them."""
    if type(record) not in _SOURCES or not _CHECKS:
        return
    connection = transaction.get_connection()
    # Django keeps the callbacks of the open transaction here; one dropped by a rollback is gone from it too.
    touched = next((f for _, f, _ in connection.run_on_commit if isinstance(f, _Touched)), None)
    if touched is None:
        touched = _Touched()
        touched.add(record)  # before registering: outside a transaction, on_commit runs it at once
        transaction.on_commit(touched, robust=True)  # a failed check must not fail the save that committed
        return
    touched.add(record)
