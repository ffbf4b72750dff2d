"""The audit log's writes: one chained entry per look or change, ids and field names only, never values
(the chain itself: `audit_chain`)."""

from django.db import transaction
from django.utils import timezone

from welcoming import audit_chain
from welcoming.models import (
    AuditChain,
    AuditEntry,
)


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
        user=user, action=action, records=[(record_type, record_id) for record_id in record_ids], fields=fields
    )


def audit_views(*, user, records) -> int:
    """Log that someone saw several person-level records on one page (the search's results, the release board):
    the "Viewed" entry each record's own page writes, one per record, so a look up by record id finds this look
    too; written under one lock of the head, so the page's queries do not grow with the records it shows."""
    return _audit_chained(
        user=user,
        action=AuditEntry.Action.VIEW,
        records=[(record._meta.label_lower, record.pk) for record in records],
    )


@transaction.atomic(savepoint=False)
def _audit_chained(*, user, action: str, records: list[tuple[str, object]], fields: list[str] = ()) -> int:
    """One entry per (record type, record id), chained in that order."""
    user = user if user is not None and getattr(user, "is_authenticated", False) else None
    chain = _head_locked()
    now, previous, entries = timezone.now(), chain.head_hash, []
    for record_type, record_id in records:
        entry = AuditEntry(
            at=now,
            user=user,
            username=user.get_username() if user else "",
            action=action,
            record_type=record_type,
            record_id=str(record_id),
            fields=sorted(fields),
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
