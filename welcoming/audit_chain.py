"""The audit log's hash chain, as pure functions: what an entry's hash covers, and where a chain first breaks.

An entry's hash is HMAC-SHA-256, under a key the app holds and the database does not (AUDIT_CHAIN_KEY), over a
canonical JSON of its contents and the previous entry's hash: someone who can write to the database but does
not hold the key cannot recompute the chain after changing it. Changing any entry changes its hash; removing
one leaves the next entry pointing at a hash that is no longer there; removing the newest ones leaves the
chain's head (kept apart, in AuditChain) pointing past the end.
"""

import hashlib
import hmac
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC

from django.conf import settings

GENESIS = ""  # the first entry's previous hash


def entry_digest(*, at, user_id, username, action, record_type, record_id, fields, previous_hash) -> str:
    contents = {
        "at": at.astimezone(UTC).isoformat(timespec="microseconds"),
        "user_id": user_id,
        "username": username,
        "action": action,
        "record_type": record_type,
        "record_id": record_id,
        "fields": list(fields),
        "previous_hash": previous_hash,
    }
    canonical = json.dumps(contents, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hmac.new(settings.AUDIT_CHAIN_KEY.encode(), canonical.encode("utf-8"), hashlib.sha256).hexdigest()


def digest_of(entry) -> str:
    """The hash an entry (an AuditEntry, or anything with its attributes) should carry."""
    return entry_digest(
        at=entry.at,
        user_id=entry.user_id,
        username=entry.username,
        action=entry.action,
        record_type=entry.record_type,
        record_id=entry.record_id,
        fields=entry.fields,
        previous_hash=entry.previous_hash,
    )


@dataclass(frozen=True)
class Break:
    entry_id: int | None  # None: the break is at the end (entries missing after the last one)
    reason: str


@dataclass(frozen=True)
class Verdict:
    checked: int
    head_hash: str
    first_break: Break | None

    @property
    def intact(self) -> bool:
        return self.first_break is None


def verify(entries: Iterable, *, head_hash: str, length: int) -> Verdict:
    """Walk the entries in the order they were written; name the first one that does not chain."""
    previous = GENESIS
    checked = 0
    for entry in entries:
        checked += 1
        if entry.previous_hash != previous:
            reason = (
                "the entry before it was removed or changed (its previous hash matches no entry)"
                if checked > 1
                else "entries before it were removed (the first entry must start the chain)"
            )
            return Verdict(checked, previous, Break(entry.pk, reason))
        if digest_of(entry) != entry.entry_hash:
            return Verdict(checked, previous, Break(entry.pk, "its contents were changed after it was written"))
        previous = entry.entry_hash
    if (previous, checked) != (head_hash, length):
        reason = f"the log ends after {checked} entries but {length} were written: the newest were removed"
        if checked == length:
            reason = "the chain's head does not match the last entry"
        return Verdict(checked, previous, Break(None, reason))
    return Verdict(checked, previous, None)
