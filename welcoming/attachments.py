"""Which records may carry files, and who may read them: apps register their models from ready()."""

import hashlib
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader

from welcoming.acting import account_of
from welcoming.models import (
    ATTACHMENT_EXTENSIONS,
    Attachment,
)

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


def opens_as(upload, kind: str) -> bool:
    """Whether the file opens as the type its first bytes claim: a PDF parsed down to each of its pages, an image
    decoded far enough to know its size. A PDF cut short, or an HTML page behind a PDF's first bytes, does not."""
    upload.seek(0)
    try:
        if kind == "application/pdf":
            pages = PdfReader(upload).pages
            return len(pages) > 0 and all(page.mediabox.width > 0 for page in pages)
        with Image.open(upload) as image:
            image.verify()
            return Image.MIME.get(image.format) == kind
    except Exception:  # hostile bytes may make a parser raise anything; each means "not readable"
        return False
    finally:
        upload.seek(0)


@transaction.atomic
def attachment_add(*, record, upload, by) -> Attachment:
    """Attach an uploaded PDF, JPEG or PNG to a record: size capped, type checked by content, not by name. Who
    may attach is the caller's check (whoever may work the record); a file sent with a public complaint has no
    uploader."""
    by = account_of(by)
    if read_permission(record._meta.label_lower) is None:
        raise ValidationError({"file": "Files cannot be attached to this kind of record."})
    if upload.size > MAX_BYTES:
        raise ValidationError(
            {
                "file": f"“{upload.name}” is {upload.size / 1_048_576:.0f} MB; the limit is "
                f"{MAX_BYTES // 1_048_576} MB. Scan at a lower resolution."
            }
        )
    head = upload.read(16)
    upload.seek(0)
    kind = sniff(head)
    if kind is None:
        raise ValidationError({"file": f"“{upload.name}” is not a PDF, JPEG or PNG file (whatever its name says)."})
    if not opens_as(upload, kind):
        raise ValidationError(
            {
                "file": f"“{upload.name}” does not open as a {ATTACHMENT_EXTENSIONS[kind][1:].upper()}: it may be "
                "cut short or damaged. Save or scan it again."
            }
        )
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    attachment = Attachment(
        record_type=record._meta.label_lower,
        record_id=record.pk,
        original_name=_plain_file_name(upload.name),
        content_type=kind,
        size=upload.size,
        sha256=digest.hexdigest(),
        uploaded_by=by,
        uploaded_at=timezone.now(),
    )
    attachment.file.save("upload", upload, save=False)
    attachment._history_user = by
    attachment.save()
    return attachment


def _plain_file_name(name: str) -> str:
    """The name a file came with, as a name only: no folders (a path like ../../etc is the browser's or an
    attacker's, never ours), no control characters (they could split a download's headers)."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(character for character in base if character.isprintable()).strip(" .")
    return base[:200] or "file"
