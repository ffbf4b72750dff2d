"""Backup and restore: the demo town backed up, wiped and restored comes back row for row, file for file.

Runs on whichever database the suite runs on: SQLite's backup API locally, the real pg_dump and pg_restore on
PostgreSQL. Transactional, because a backup is read by another connection (pg_dump) that sees only committed rows.
"""

import hashlib
import io
import re
import shutil
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection, models

from reports.models import Report
from welcoming.models import AuditEntry

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def media(settings, tmp_path):
    """A MEDIA_ROOT of the test's own, so the backup holds only this test's files."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def demo(settings, media):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())


def _file_digest(file) -> str | None:
    if not file:
        return None
    if not file.storage.exists(file.name):
        return "missing"
    with file.storage.open(file.name, "rb") as stored:
        return hashlib.sha256(stored.read()).hexdigest()


def fingerprint() -> dict[str, list]:
    """Every row of every table Django knows (many-to-many tables and history included), ordered by key, and the
    SHA-256 of every stored file a row points to."""
    print_ = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        rows = model._base_manager.order_by("pk")
        print_[model._meta.label] = list(rows.values_list())
        file_fields = [field for field in model._meta.concrete_fields if isinstance(field, models.FileField)]
        if file_fields:
            print_[f"{model._meta.label} files"] = [
                [_file_digest(getattr(row, field.name)) for field in file_fields] for row in rows
            ]
    return print_


def backup_path(tmp_path) -> Path:
    return tmp_path / "backups" / ("welcoming.dump" if connection.vendor == "postgresql" else "welcoming.sqlite3")


def test_backup_wipe_restore_gives_back_every_record_audit_entry_and_report_hash(demo, media, tmp_path, make_staff):
    reports = {report.pk: report.pdf_sha256 for report in Report.objects.all()}
    assert reports and AuditEntry.objects.exists()
    for report in Report.objects.all():  # each stored PDF is the one signed
        assert _file_digest(report.pdf) == report.pdf_sha256
    audit = list(AuditEntry.objects.order_by("pk").values_list())
    before = fingerprint()

    path = backup_path(tmp_path)
    out = io.StringIO()
    call_command("backup_data", output=path, stdout=out)
    media_archive = path.with_name(path.name + ".media.tar.gz")
    assert path.is_file() and media_archive.is_file()
    assert {oct(p.stat().st_mode & 0o777) for p in (path, media_archive)} == {"0o600"}  # the owner's only
    assert str(path) in out.getvalue() and str(media_archive) in out.getvalue()

    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(media)
    assert not Report.objects.exists() and not AuditEntry.objects.exists()
    assert fingerprint() != before

    out = io.StringIO()
    call_command("restore_data", path, yes=True, stdout=out)
    assert "restored" in out.getvalue()

    assert fingerprint() == before
    assert list(AuditEntry.objects.order_by("pk").values_list()) == audit
    chain = io.StringIO()
    call_command("verify_audit_chain", stdout=chain)  # the restored log still proves itself
    assert f"intact: {len(audit)} entries" in chain.getvalue()
    assert {report.pk: report.pdf_sha256 for report in Report.objects.all()} == reports
    for report in Report.objects.all():
        assert _file_digest(report.pdf) == report.pdf_sha256
    # The restored database takes new rows where it left off (PostgreSQL's sequences are restored too).
    newcomer = make_staff("newcomer")
    assert newcomer.pk > max(row[0] for row in before["auth.User"])

    # Restoring the older copy again is a genuine log, seal and all; only a later checkpoint shows it went back.
    out = io.StringIO()
    call_command("verify_audit_chain", checkpoint=True, stdout=out)
    later = out.getvalue().rsplit(" ", 1)[-1].strip()
    call_command("restore_data", path, yes=True, stdout=io.StringIO())
    call_command("verify_audit_chain", stdout=io.StringIO())
    with pytest.raises(CommandError, match="the database was rolled back or restored from an older copy"):
        call_command("verify_audit_chain", since=later, stdout=io.StringIO())


def test_restore_without_yes_changes_nothing_and_says_what_it_would_do(make_staff, media, tmp_path):
    make_staff("before")
    path = backup_path(tmp_path)
    call_command("backup_data", output=path, stdout=io.StringIO())
    make_staff("after")
    before = fingerprint()

    with pytest.raises(CommandError, match=r"Nothing restored\. This would replace the whole .* --yes"):
        call_command("restore_data", path)
    assert fingerprint() == before


def test_a_backup_is_never_overwritten(media, tmp_path):
    path = backup_path(tmp_path)
    call_command("backup_data", output=path, stdout=io.StringIO())
    with pytest.raises(CommandError, match="already exists"):
        call_command("backup_data", output=path, stdout=io.StringIO())


@pytest.mark.parametrize(
    "head, complaint",
    [
        (b"name,date\nnot a backup\n", "is not a backup made by backup_data"),
        ("other engine", "backup, but this site's database is"),
    ],
)
def test_a_file_of_the_wrong_kind_is_refused_by_name(make_staff, media, tmp_path, head, complaint):
    if head == "other engine":
        head = b"SQLite format 3\x00" if connection.vendor == "postgresql" else b"PGDMP\x01\x0e"
    make_staff("kept")
    before = fingerprint()
    wrong = tmp_path / "wrong.backup"
    wrong.write_bytes(head + b"\x00" * 100)

    with pytest.raises(CommandError, match=rf"{re.escape(str(wrong))}.*{re.escape(complaint)}"):
        call_command("restore_data", wrong, yes=True)
    with pytest.raises(CommandError, match=re.escape(f"{tmp_path / 'absent.dump'}: no such backup file")):
        call_command("restore_data", tmp_path / "absent.dump", yes=True)
    assert fingerprint() == before
