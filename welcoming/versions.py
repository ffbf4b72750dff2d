"""No lost updates: a record's version is the id of its latest history row (django-simple-history keeps one per
save), so every kind of record has one without a column of its own.

A form carries the version it was drawn from, and the API hands it out as an ETag; a save that names an older
version than the record's own is refused, and told what changed meanwhile, by whom and when — taken from the same
history, so the message shows exactly what the other person saved.
"""

from contextlib import contextmanager
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone


@dataclass(frozen=True)
class Change:
    field: str  # its verbose name
    old: str
    new: str


class StaleVersion(ValidationError):
    """The record changed after the version the user was looking at."""

    def __init__(self, *, changes: list[Change], by: list[str], at):
        self.changes, self.by, self.at = changes, by, at
        who = ", ".join(by) or "someone"
        when = formats.date_format(timezone.localtime(at), "DATETIME_FORMAT") if at else "some time"
        what = "; ".join(f"{change.field}: {change.old or '—'} → {change.new or '—'}" for change in changes)
        super().__init__(
            f"{who} changed this record at {when} while you had it open ({what or 'no field you can see'}). Nothing "
            "of yours was saved: look at the record as it is now and, if your change still applies, make it again.",
            code="stale",
        )


def version_of(record) -> int | None:
    """The record's current version: the id of its latest history row (None for a record with no history)."""
    return record.history.order_by("-history_id").values_list("history_id", flat=True).first()


def parse(value) -> int | None:
    """A version as a form or an If-Match header sends it: 12, "12", '"12"' or 'W/"12"'; None if absent or bad."""
    text = str(value or "").strip().removeprefix("W/").strip('"')
    return int(text) if text.isdigit() else None


def changes_since(record, seen: int) -> StaleVersion:
    rows = list(record.history.filter(history_id__gte=seen).order_by("history_id").select_related("history_user"))
    if not rows:  # a version this record never had (another record's, or one from before a restore)
        return StaleVersion(changes=[], by=[], at=None)
    base = rows[0] if rows[0].history_id == seen else None
    latest = rows[-1]
    later = [row for row in rows if row.history_id > seen]
    changes = []
    if base is not None:
        for change in latest.diff_against(base).changes:
            field = record._meta.get_field(change.field)
            changes.append(Change(str(field.verbose_name).capitalize(), _shown(change.old), _shown(change.new)))
    by = sorted({row.history_user.get_full_name() or row.history_user.username for row in later if row.history_user})
    return StaleVersion(changes=changes, by=by, at=latest.history_date)


def _shown(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "tzinfo"):
        return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
    return str(value)


def check(record, seen) -> None:
    """Refuse a save based on an older version of the record (call with the record's row locked)."""
    seen = parse(seen)
    if seen is None:
        return
    current = version_of(record)
    if current is not None and current != seen:
        raise changes_since(record, seen)


def lock_and_check(record, seen) -> None:
    """Lock the record's row (until the caller's transaction ends), then check the version the user saw: a second
    save that started from the same version waits for the lock, then finds the version moved on."""
    type(record)._default_manager.select_for_update().filter(pk=record.pk).first()
    check(record, seen)


@contextmanager
def saving(record, seen):
    """Check the version the user saw under the record's lock, and let the caller save in the same transaction."""
    with transaction.atomic():
        lock_and_check(record, seen)
        yield
