"""The audit log's hash chain, as pure functions: what an entry's hash covers, and where a chain first breaks.

An entry's hash is HMAC-SHA-256, under a key the app holds and the database does not (AUDIT_CHAIN_KEY), over a
canonical JSON of its contents and the previous entry's hash: someone who can write to the database but does
not hold the key cannot recompute the chain after changing it. Changing any entry changes its hash; removing
one leaves the next entry pointing at a hash that is no longer there; removing the newest ones leaves the
chain's head (kept apart, in AuditChain) pointing past the end. The head and length are sealed under the same
key, so rewriting them to hide such a removal shows too.

What the database alone cannot prove is that it was not rolled back, or restored from an older copy, with its
seal: a checkpoint (length and head, sealed and dated) kept outside the database proves the log still extends it.
"""

import hashlib
import hmac
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings

GENESIS = ""  # the first entry's previous hash


def _seal(contents: dict) -> str:
    canonical = json.dumps(contents, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hmac.new(settings.AUDIT_CHAIN_KEY.encode(), canonical.encode("utf-8"), hashlib.sha256).hexdigest()


def entry_digest(*, at, user_id, username, action, record_type, record_id, fields, previous_hash) -> str:
    return _seal(
        {
            "at": at.astimezone(UTC).isoformat(timespec="microseconds"),
            "user_id": user_id,
            "username": username,
            "action": action,
            "record_type": record_type,
            "record_id": record_id,
            "fields": list(fields),
            "previous_hash": previous_hash,
        }
    )


def head_seal(*, head_hash: str, length: int) -> str:
    """The seal over the chain's head and length ("kind" keeps it from ever equalling an entry's digest)."""
    return _seal({"kind": "head", "head_hash": head_hash, "length": length})


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


@dataclass(frozen=True)
class Checkpoint:
    """The log's length and head at a moment, sealed: printed by `verify_audit_chain --checkpoint` and sent to the
    administrators daily, to be kept where whoever can write the database cannot."""

    length: int
    head_hash: str
    at: datetime

    PREFIX = "WAC1"

    def _seal(self) -> str:
        return _seal({"kind": "checkpoint", "head_hash": self.head_hash, "length": self.length, "at": self._at()})

    def _at(self) -> str:
        return self.at.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")

    def text(self) -> str:
        """One word, to copy whole: prefix, length, head, UTC time, seal."""
        return "-".join([self.PREFIX, str(self.length), self.head_hash or "0", self._at(), self._seal()])


def checkpoint_read(text: str) -> Checkpoint:
    """The checkpoint a text states, if this app's key sealed it; ValueError saying what is wrong otherwise."""
    parts = text.strip().split("-")
    if len(parts) != 5 or parts[0] != Checkpoint.PREFIX or not parts[1].isdigit():
        raise ValueError("This is not an audit checkpoint: it should read WAC1-<length>-<head>-<time>-<seal>.")
    try:
        at = datetime.strptime(parts[3], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    except ValueError:
        raise ValueError("This checkpoint's time is not a time: it was copied wrongly.") from None
    checkpoint = Checkpoint(length=int(parts[1]), head_hash="" if parts[2] == "0" else parts[2], at=at)
    if not hmac.compare_digest(checkpoint._seal(), parts[4]):
        raise ValueError("This checkpoint was not sealed with this app's key, or it was changed after it was printed.")
    return checkpoint


def verify(entries: Iterable, *, head_hash: str, length: int, seal: str, since: Checkpoint | None = None) -> Verdict:
    """Walk the entries in the order they were written; name the first one that does not chain, that departs
    from the checkpoint `since`, or the head or seal that does not match the end."""
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
        if since is not None and checked == since.length and previous != since.head_hash:
            reason = f"the log no longer extends the checkpoint of {since.at:%Y-%m-%d %H:%M} UTC: it was rewritten"
            return Verdict(checked, previous, Break(entry.pk, reason))
    if since is not None and checked < since.length:
        reason = (
            f"the log holds {checked} entries but the checkpoint of {since.at:%Y-%m-%d %H:%M} UTC counted "
            f"{since.length}: entries were removed, or the database was rolled back or restored from an older copy"
        )
        return Verdict(checked, previous, Break(None, reason))
    if (previous, checked) != (head_hash, length):
        reason = f"the log ends after {checked} entries but {length} were written: the newest were removed"
        if checked == length:
            reason = "the chain's head does not match the last entry"
        return Verdict(checked, previous, Break(None, reason))
    if not hmac.compare_digest(head_seal(head_hash=head_hash, length=length), seal):
        reason = "the chain's head and length were rewritten by someone without the app's key"
        return Verdict(checked, previous, Break(None, reason))
    return Verdict(checked, previous, None)
