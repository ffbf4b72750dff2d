"""Upload attacks: a file is judged by its first bytes, capped in size, and stored under a random name; the name it
came with is kept as a plain name only, so neither a path nor a line break in it can reach the disk or a header."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from detainers import services as detainer_services
from tests.conftest import A_JPEG, A_PDF, A_PNG, sign_in_verified
from welcoming.attachments import attachment_add
from welcoming.models import Attachment

PDF = A_PDF


@pytest.fixture
def detainer(clerk, municipality, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    person = detainer_services.person_create(full_name="Ana File", by=clerk)
    custody = detainer_services.custody_create(
        person=person, booked_at=timezone.now() - timezone.timedelta(days=1), basis="sentence", by=clerk
    )
    return detainer_services.detainer_create(
        judicial_warrant=False,
        custody=custody,
        form="I-247A",
        lodged_at=timezone.now() - timezone.timedelta(hours=2),
        received_via="fax",
        reasons=[("final_order", "")],
        by=clerk,
    )


@pytest.mark.parametrize(
    ("sent_as", "kept_as"),
    [
        ("../../../../etc/cron.d/evil.pdf", "evil.pdf"),
        ("..\\..\\windows\\system32\\evil.pdf", "evil.pdf"),
        ("scan\r\nSet-Cookie: sessionid=stolen.pdf", "scanSet-Cookie: sessionid=stolen.pdf"),
        ("...pdf", "pdf"),
    ],
)
def test_a_path_or_a_line_break_in_the_name_reaches_neither_the_disk_nor_a_header(
    clerk, detainer, tmp_path, sent_as, kept_as
):
    attachment = attachment_add(record=detainer, upload=SimpleUploadedFile(sent_as, PDF), by=clerk)
    assert attachment.original_name == kept_as
    stored = tmp_path / attachment.file.name
    assert stored.parent == tmp_path / "attachments" and stored.read_bytes() == PDF
    assert [path for path in tmp_path.rglob("*") if path.is_file()] == [stored]
    client = sign_in_verified(Client(), clerk)
    download = client.get(reverse("welcoming:attachment", args=[attachment.pk]))
    disposition = download["Content-Disposition"]
    assert "\r" not in disposition and "\n" not in disposition and ".." not in disposition and "/" not in disposition
    assert "stolen" not in download.get("Set-Cookie", "")


def test_a_program_named_pdf_and_an_oversized_scan_are_refused_and_nothing_is_written(clerk, detainer, tmp_path):
    with pytest.raises(ValidationError, match="is not a PDF, JPEG or PNG"):
        attachment_add(record=detainer, upload=SimpleUploadedFile("scan.pdf", b"MZ\x90\x00"), by=clerk)
    with pytest.raises(ValidationError, match="the limit is 10 MB"):
        huge = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (11 * 1024 * 1024))
        attachment_add(record=detainer, upload=huge, by=clerk)
    assert not Attachment.objects.exists() and not [path for path in tmp_path.rglob("*") if path.is_file()]


def test_a_file_removed_at_retention_answers_not_found_not_an_error(clerk, detainer):
    attachment = attachment_add(record=detainer, upload=SimpleUploadedFile("scan.pdf", PDF), by=clerk)
    Attachment.objects.filter(pk=attachment.pk).update(file="", original_name="[purged]")
    client = sign_in_verified(Client(), clerk)
    answer = client.get(reverse("welcoming:attachment", args=[attachment.pk]))
    assert answer.status_code == 404


@pytest.mark.parametrize(
    ("sent_as", "content", "served_as", "stored_extension"),
    [
        ("evil.html", A_PDF, "evil.pdf", ".pdf"),
        ("evil.svg", A_PNG, "evil.png", ".png"),
        ("photo.PNG", A_JPEG, "photo.jpg", ".jpg"),
        ("no name", A_PDF, "no name.pdf", ".pdf"),
    ],
)
def test_a_file_is_stored_and_served_under_the_extension_of_what_it_is(
    clerk, detainer, tmp_path, sent_as, content, served_as, stored_extension
):
    """The name it came with is a label; the browser downloads it under its content's extension, so an HTML or
    SVG name never makes a browser run what it holds."""
    attachment = attachment_add(record=detainer, upload=SimpleUploadedFile(sent_as, content), by=clerk)
    assert attachment.original_name == sent_as  # shown as the label
    assert (tmp_path / attachment.file.name).suffix == stored_extension
    download = sign_in_verified(Client(), clerk).get(reverse("welcoming:attachment", args=[attachment.pk]))
    assert download["Content-Disposition"] == f'attachment; filename="{served_as}"'
    assert download["Content-Type"] == attachment.content_type


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (A_PDF[: len(A_PDF) // 2], "cut short"),
        (b"%PDF-1.7\n<html><body><script>alert(document.cookie)</script></body></html>\n%%EOF\n", "html body"),
        (A_PNG[:20], "a PNG's first bytes only"),
        (b"\xff\xd8\xff\xe0<svg onload=alert(1)>", "a JPEG's first bytes, then markup"),
    ],
)
def test_a_file_that_only_starts_like_a_pdf_or_an_image_is_refused(clerk, detainer, tmp_path, content, why):
    with pytest.raises(ValidationError, match="does not open as a (PDF|PNG|JPG): it may be cut short or damaged"):
        attachment_add(record=detainer, upload=SimpleUploadedFile("scan.pdf", content), by=clerk)
    assert not Attachment.objects.exists() and not [path for path in tmp_path.rglob("*") if path.is_file()]
