"""Which records may carry files, and who may read them: apps register their models from ready()."""

from collections.abc import Callable

_READ_PERMISSION: dict[str, str] = {}
# For records whose readers depend on the record itself (a complaint about the chief is not internal affairs'):
# (user, record_id) -> may this user read that record?
_READABLE: dict[str, Callable[..., bool]] = {}

MAX_BYTES = 10 * 1024 * 1024  # a phone photo or a multi-page scan fits; a 20 MB file does not
SIGNATURES = {
    b"%PDF-": "application/pdf",
    b"\xff\xd8\xff": "image/jpeg",
    b"\x89PNG\r\n\x1a\n": "image/png",
}


def register(model, *, read_permission: str, readable: Callable[..., bool] | None = None) -> None:
    _READ_PERMISSION[model._meta.label_lower] = read_permission
    if readable is not None:
        _READABLE[model._meta.label_lower] = readable


def read_permission(record_type: str) -> str | None:
    return _READ_PERMISSION.get(record_type)


def may_read(user, record_type: str, record_id) -> bool:
    permission = _READ_PERMISSION.get(record_type)
    if permission is None or not user.has_perm(permission):
        return False
    readable = _READABLE.get(record_type)
    return readable is None or readable(user, record_id)


def sniff(head: bytes) -> str | None:
    """The file's type from its first bytes, never from its name."""
    return next((kind for signature, kind in SIGNATURES.items() if head.startswith(signature)), None)
