"""Which records may carry files, and who may read them: apps register their models from ready()."""

_READ_PERMISSION: dict[str, str] = {}

MAX_BYTES = 10 * 1024 * 1024  # a phone photo or a multi-page scan fits; a 20 MB file does not
SIGNATURES = {
    b"%PDF-": "application/pdf",
    b"\xff\xd8\xff": "image/jpeg",
    b"\x89PNG\r\n\x1a\n": "image/png",
}


def register(model, *, read_permission: str) -> None:
    _READ_PERMISSION[model._meta.label_lower] = read_permission


def read_permission(record_type: str) -> str | None:
    return _READ_PERMISSION.get(record_type)


def sniff(head: bytes) -> str | None:
    """The file's type from its first bytes, never from its name."""
    return next((kind for signature, kind in SIGNATURES.items() if head.startswith(signature)), None)
