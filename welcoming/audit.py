"""The audit log's writes: one chained entry per look or change, ids and field names only, never values
(the chain itself: `audit_chain`)."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from welcoming import audit_chain, selectors
from welcoming.acting import require
from welcoming.models import (
    AuditChain,
    AuditEntry,
    Notification,
)
from welcoming.notifications import notify_permission

RUN = "welcoming.run_scheduled_jobs"


@transaction.atomic(savepoint=False)
def audit(*, user, action: str, record_type: str, record_id, fields: list[str] = ()) -> AuditEntry:
    """Write one audit entry: ids and field names only, never values; chained to the entry before it.

    The chain's head row is locked first (SELECT ... FOR UPDATE), so concurrent writers chain one after another;
    the lock is held until the writer's transaction ends, which is short: views write in autocommit, services
    in their own transaction.
    """
    user = user if user is not None and getattr(user, "is_authenticated", False) else None
    chain = _head_locked()
    entry = AuditEntry(
        at=timezone.now(),
        user=user,
        username=user.get_username() if user else "",
        action=action,
        record_type=record_type,
        record_id="" if record_id is None else str(record_id),
        fields=sorted(fields),
        previous_hash=chain.head_hash,
    )
    entry.entry_hash = audit_chain.digest_of(entry)
    entry.save(force_insert=True)
    _advance(chain, head_hash=entry.entry_hash, length=chain.length + 1)
    return entry


def audit_view(*, user, record) -> AuditEntry:
    """Log that someone looked at a person-level record (selectors call this when they fetch one for a user)."""
    return audit(user=user, action=AuditEntry.Action.VIEW, record_type=record._meta.label_lower, record_id=record.pk)


def audit_export(*, user, record_type: str, record_ids=()) -> AuditEntry:
    return audit(
        user=user,
        action=AuditEntry.Action.EXPORT,
        record_type=record_type,
        record_id="",
        fields=[str(pk) for pk in record_ids][:1000],
    )


_HISTORY_ACTIONS = {"+": AuditEntry.Action.CREATE, "~": AuditEntry.Action.UPDATE, "-": AuditEntry.Action.DELETE}


def audit_history_record(*, history) -> AuditEntry:
    """Every change kept in a record's history (django-simple-history) also goes to the audit log, by name."""
    model = history.instance_type
    tracked = [
        field.attname
        for field in history.instance_type._meta.concrete_fields
        if field.attname in {f.attname for f in history._meta.concrete_fields}
    ]
    if history.history_type == "~" and history.prev_record is not None:
        fields = history.diff_against(history.prev_record).changed_fields
    elif history.history_type == "+":
        fields = [name for name in tracked if getattr(history, name) not in (None, "")]
    else:
        fields = []
    return audit(
        user=history.history_user,
        action=_HISTORY_ACTIONS[history.history_type],
        record_type=model._meta.label_lower,
        record_id=history.instance.pk,
        fields=fields,
    )


def audit_many(*, user, action: str, record_type: str, record_ids, fields: list[str] = ()) -> int:
    """Many entries of one kind at once (a purge of thousands of records), chained under one lock of the head."""
    return _audit_chained(
        user=user, action=action, records=[(record_type, record_id, sorted(fields)) for record_id in record_ids]
    )


# A reload of a list by the same reader showing the same records is the same look, not a new one.
SAME_LOOK = timedelta(minutes=15)


def audit_list(*, user, records) -> int:
    """Log that someone saw these person-level records on one page (a list, the release board, the search's
    results, a comparison): one "Seen in a list" entry per kind, naming the ids in the order shown (never the
    values), in one insert. The same ids of a kind seen by the same user within SAME_LOOK write nothing new."""
    shown: dict[str, list[str]] = {}
    for record in records:
        shown.setdefault(record._meta.label_lower, []).append(str(record.pk))
    if not shown:
        return 0
    user = user if user is not None and getattr(user, "is_authenticated", False) else None
    recent = AuditEntry.objects.filter(
        user=user, action=AuditEntry.Action.LIST, record_type__in=shown, at__gte=timezone.now() - SAME_LOOK
    )
    seen = {(kind, tuple(ids)) for kind, ids in recent.values_list("record_type", "fields")}
    fresh = [(kind, "", ids) for kind, ids in shown.items() if (kind, tuple(ids)) not in seen]
    return _audit_chained(user=user, action=AuditEntry.Action.LIST, records=fresh) if fresh else 0


@transaction.atomic(savepoint=False)
def _audit_chained(*, user, action: str, records: list[tuple[str, object, list[str]]]) -> int:
    """One entry per (record type, record id, fields), chained in that order, in one insert."""
    user = user if user is not None and getattr(user, "is_authenticated", False) else None
    chain = _head_locked()
    now, previous, entries = timezone.now(), chain.head_hash, []
    for record_type, record_id, fields in records:
        entry = AuditEntry(
            at=now,
            user=user,
            username=user.get_username() if user else "",
            action=action,
            record_type=record_type,
            record_id=str(record_id),
            fields=fields,
            previous_hash=previous,
        )
        entry.entry_hash = previous = audit_chain.digest_of(entry)
        entries.append(entry)
    AuditEntry.objects.bulk_create(entries, batch_size=2000)
    _advance(chain, head_hash=previous, length=chain.length + len(entries))
    return len(entries)


def _head_locked() -> AuditChain:
    empty = audit_chain.head_seal(head_hash=audit_chain.GENESIS, length=0)
    return AuditChain.objects.select_for_update().get_or_create(pk=1, defaults={"seal": empty})[0]


def _advance(chain: AuditChain, *, head_hash: str, length: int) -> None:
    seal = audit_chain.head_seal(head_hash=head_hash, length=length)
    AuditChain.objects.filter(pk=chain.pk).update(head_hash=head_hash, length=length, seal=seal)


def audit_head_hold() -> None:
    """Take the chain's head lock now, until the caller's transaction ends. Every audited write takes it at its
    first entry, so a job that takes it first, before any other lock, waits for writers in flight and then holds
    them off: it and they can never each hold what the other waits for."""
    _head_locked()


def audit_checkpoint_send(*, by, now=None) -> bool:
    """Send the administrators the day's checkpoint of the log, the first time the scheduler runs on each of the
    town's days; if the chain is broken, say so instead (each day until it is mended). Returns whether it sent."""
    require(by, RUN, message="Only the scheduler sends the audit log's checkpoints.")
    now = now or timezone.now()
    municipality = selectors.municipality_get()
    last = Notification.objects.filter(event=Notification.Event.AUDIT_CHECKPOINT).order_by("-created_at").first()
    if last and selectors.local_date(last.created_at, municipality) == selectors.today_local(municipality, now):
        return False
    verdict, checkpoint = selectors.audit_chain_verdict()
    if verdict.intact:
        subject = f"Audit log checkpoint, {selectors.today_local(municipality, now):%B %-d, %Y}"
        body = (
            f"The audit log's chain is intact: {verdict.checked} entries. Keep this checkpoint where whoever can "
            "change the app's database cannot (see the README, \"Keeping the audit log's checkpoints\"):\n\n"
            f"{checkpoint.text()}\n\n"
            "To prove later that the log still extends it (was not cut, rolled back or restored from an older "
            f"copy):\n\npython manage.py verify_audit_chain --since {checkpoint.text()}"
        )
    else:
        broken = verdict.first_break
        where = f"at entry #{broken.entry_id}" if broken.entry_id is not None else "at the end of the log"
        subject = "The audit log's chain is broken"
        body = (
            f"The daily check found the audit log's chain broken {where}: {broken.reason}. No checkpoint was made. "
            "Keep the checkpoints you have; run python manage.py verify_audit_chain --since <the latest> and "
            "compare the database with its backups."
        )
    notify_permission(
        permission="welcoming.administer", event=Notification.Event.AUDIT_CHECKPOINT, subject=subject, body=body
    )
    return True
