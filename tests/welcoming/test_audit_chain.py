"""The audit log is tamper-evident: a hash chain that names the first altered or missing entry, and on PostgreSQL a
trigger that refuses any change or deletion; the administrator searches, filters and exports it."""

import csv
import io
import re
import threading
from contextlib import contextmanager
from datetime import timedelta
from urllib.parse import parse_qs

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, connections, transaction
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils import timezone

from tests.conftest import scheduler_actor, sign_in_verified
from welcoming.audit import audit, audit_checkpoint_send, audit_list
from welcoming.models import AuditChain, AuditEntry, Notification
from welcoming.roles import Role


def verify() -> str:
    out = io.StringIO()
    call_command("verify_audit_chain", stdout=out)
    return out.getvalue()


def write_entries(user, count=4):
    return [
        audit(user=user, action=AuditEntry.Action.VIEW, record_type="detainers.detainer", record_id=n)
        for n in range(1, count + 1)
    ]


@contextmanager
def tampering():
    """Go round the app, as someone with the database's own password would; on PostgreSQL they must first get
    past the append-only trigger (here: switching triggers off for the session, which takes a superuser; the
    table's owner could also disable the trigger). What they cannot do without the app's key is re-chain."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
        yield cursor
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = origin")


def test_entries_chain_one_to_the_next_and_the_check_says_intact(make_staff):
    clerk = make_staff("clerk", Role.RECORDS_CLERK)
    entries = write_entries(clerk)
    for before, after in zip(entries, entries[1:], strict=False):
        assert after.previous_hash == before.entry_hash and len(after.entry_hash) == 64
    total = AuditEntry.objects.count()
    assert AuditChain.objects.get().length == total
    assert f"intact: {total} entries, head {entries[-1].entry_hash}" in verify()


def test_a_page_of_records_is_one_entry_per_kind_naming_the_ids_in_one_insert(make_staff, django_assert_num_queries):
    """A list, the board, the search's results: one "Seen in a list" entry per kind of record shown, the ids in
    the order shown, chained; the log's lock, one insert and the head's update, after one look for a reload."""
    clerk = make_staff("clerk", Role.RECORDS_CLERK)
    write_entries(clerk, count=1)
    shown = [*AuditEntry.objects.order_by("-id")[:2], clerk]  # any records of two kinds
    with django_assert_num_queries(4):
        assert audit_list(user=clerk, records=shown) == 2
    newest = list(AuditEntry.objects.order_by("-id")[:2])[::-1]
    assert [(entry.action, entry.record_type, entry.record_id, entry.fields) for entry in newest] == [
        ("list", "welcoming.auditentry", "", [str(shown[0].pk), str(shown[1].pk)]),
        ("list", "auth.user", "", [str(clerk.pk)]),
    ]
    assert newest[1].previous_hash == newest[0].entry_hash
    assert f"intact: {AuditEntry.objects.count()} entries" in verify()


def test_a_reload_showing_the_same_records_is_the_same_look(make_staff):
    clerk, chief = make_staff("clerk", Role.RECORDS_CLERK), make_staff("chief", Role.POLICE_CHIEF)
    write_entries(clerk, count=3)
    first_page = list(AuditEntry.objects.order_by("id")[:2])
    assert audit_list(user=clerk, records=first_page) == 1
    assert audit_list(user=clerk, records=first_page) == 0  # the reload
    assert audit_list(user=chief, records=first_page) == 1  # someone else's look is theirs
    assert audit_list(user=clerk, records=first_page[:1]) == 1  # other records shown: a new look
    later = AuditEntry.objects.filter(action="list", user=clerk).order_by("id").first()
    with tampering() as cursor:  # the first look, as if written a quarter of an hour ago
        cursor.execute(
            "UPDATE welcoming_auditentry SET at = %s WHERE id = %s", [later.at - timedelta(minutes=15), later.pk]
        )
    assert audit_list(user=clerk, records=first_page) == 1


def test_looking_up_a_record_finds_the_lists_that_showed_it_and_not_its_neighbours(client, make_staff):
    clerk, admin = make_staff("clerk", Role.RECORDS_CLERK), make_staff("it", Role.ADMINISTRATOR)
    target, neighbour = AuditEntry(pk=7), AuditEntry(pk=17)  # any kind of record; 17 holds "7"
    audit_list(user=clerk, records=[target])
    audit_list(user=clerk, records=[neighbour])
    listed = AuditEntry.objects.of_record(target).filter(action="list")
    assert [entry.fields for entry in listed] == [["7"]]
    sign_in_verified(client, admin)
    page = client.get(reverse("admin:welcoming_auditentry_changelist"), {"q": "7"})
    assert [entry.pk for entry in page.context["cl"].result_list if entry.action == "list"] == [listed.get().pk]


def test_the_check_names_an_altered_entry(make_staff):
    entries = write_entries(make_staff("clerk", Role.RECORDS_CLERK))
    with tampering() as cursor:
        # Someone hides which record they looked at.
        cursor.execute("UPDATE welcoming_auditentry SET record_id = '99' WHERE id = %s", [entries[1].pk])
    with pytest.raises(CommandError, match=f"broken at entry #{entries[1].pk}: its contents were changed"):
        verify()


def test_the_check_names_the_entry_after_a_removed_one(make_staff):
    entries = write_entries(make_staff("clerk", Role.RECORDS_CLERK))
    with tampering() as cursor:
        cursor.execute("DELETE FROM welcoming_auditentry WHERE id = %s", [entries[1].pk])
    with pytest.raises(CommandError, match=f"broken at entry #{entries[2].pk}: the entry before it was removed"):
        verify()


def test_the_check_notices_the_newest_entries_removed(make_staff):
    entries = write_entries(make_staff("clerk", Role.RECORDS_CLERK))
    with tampering() as cursor:
        cursor.execute("DELETE FROM welcoming_auditentry WHERE id >= %s", [entries[-2].pk])
    with pytest.raises(CommandError, match="broken at the end of the log: .* the newest were removed"):
        verify()


def test_a_rehashed_entry_still_breaks_the_chain_after_it(make_staff):
    """Recomputing the altered entry's own hash does not help: the next entry still points at the old one."""
    entries = write_entries(make_staff("clerk", Role.RECORDS_CLERK))
    altered = AuditEntry.objects.get(pk=entries[1].pk)
    altered.record_id = "99"
    from welcoming.audit_chain import digest_of

    with tampering() as cursor:
        cursor.execute(
            "UPDATE welcoming_auditentry SET record_id = '99', entry_hash = %s WHERE id = %s",
            [digest_of(altered), altered.pk],
        )
    with pytest.raises(CommandError, match=f"broken at entry #{entries[2].pk}"):
        verify()


@pytest.mark.postgres
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE welcoming_auditentry SET record_id = '99' WHERE id = %s",
        "DELETE FROM welcoming_auditentry WHERE id = %s",
    ],
)
def test_postgresql_itself_refuses_to_change_or_delete_an_entry(make_staff, statement):
    entry = write_entries(make_staff("clerk", Role.RECORDS_CLERK), count=1)[0]
    with (
        pytest.raises(DatabaseError, match="the audit log is append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement, [entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).record_id == "1"


@pytest.mark.postgres
def test_postgresql_refuses_it_through_the_orm_too(make_staff):
    entry = write_entries(make_staff("clerk", Role.RECORDS_CLERK), count=1)[0]
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).delete()
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_writers_at_the_same_moment_chain_one_after_the_other(make_staff):
    clerk = make_staff("clerk", Role.RECORDS_CLERK)
    start = threading.Barrier(8)

    def writer(n):
        try:
            start.wait()
            for i in range(10):
                audit(user=clerk, action="view", record_type="detainers.detainer", record_id=f"{n}-{i}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert AuditEntry.objects.filter(record_type="detainers.detainer").count() == 80
    assert "intact" in verify()


def test_deleting_a_user_who_is_in_the_log_is_refused(client, make_staff):
    """Nulling the entries' user would alter the log: the administrator switches such an account off instead."""
    admin = make_staff("it", Role.ADMINISTRATOR)
    clerk = make_staff("clerk", Role.RECORDS_CLERK)
    write_entries(clerk, count=1)
    sign_in_verified(client, admin)
    answer = client.post(reverse("admin:auth_user_delete", args=[clerk.pk]), {"post": "yes"})
    assert answer.status_code == 403 and clerk.__class__.objects.filter(pk=clerk.pk).exists()
    # Even a path round the admin site is refused, before anything is changed.
    with pytest.raises(ProtectedError), transaction.atomic():
        clerk.delete()
    assert "intact" in verify()


def test_the_administrator_searches_filters_and_exports_what_is_shown(client, make_staff):
    admin = make_staff("it", Role.ADMINISTRATOR)
    clerk = make_staff("clerk", Role.RECORDS_CLERK)
    write_entries(clerk, count=3)
    audit(user=clerk, action="export", record_type="complaints.complaint", record_id="")
    sign_in_verified(client, admin)
    changelist = reverse("admin:welcoming_auditentry_changelist")
    shown = {"q": "detainers.detainer", "action__exact": "view"}
    page = client.get(changelist, shown).content.decode()
    assert "3 results" in page
    # The export link carries the same search and filter.
    link = re.search(r'href="([^"]*export.csv[^"]*)"', page).group(1).replace("&amp;", "&")
    path, query = link.split("?")
    assert path == reverse("admin:welcoming_auditentry_export")
    assert {key: values[0] for key, values in parse_qs(query).items()} == shown

    answer = client.get(path + "?" + query)
    assert answer["Content-Disposition"] == 'attachment; filename="audit-log.csv"'
    rows = list(csv.reader(io.StringIO(b"".join(answer.streaming_content).decode())))
    assert rows[0][:6] == ["id", "at", "username", "action", "record_type", "record_id"]
    assert sorted(row[5] for row in rows[1:]) == ["1", "2", "3"]
    assert {row[2] for row in rows[1:]} == {"clerk"}
    # The export is itself in the log, by the administrator.
    assert AuditEntry.objects.filter(action="export", record_type="welcoming.auditentry", user=admin).exists()
    assert "intact" in verify()


def test_nobody_else_may_export_the_log(client, make_staff):
    write_entries(make_staff("clerk", Role.RECORDS_CLERK), count=1)
    sign_in_verified(client, make_staff("chief", Role.POLICE_CHIEF))
    answer = client.get(reverse("admin:welcoming_auditentry_export"))
    assert answer.status_code in (302, 403) and not answer.get("Content-Disposition")


def test_a_log_rewritten_without_the_apps_key_does_not_pass(make_staff, settings):
    """Someone who can write to the database (the table's owner can switch the trigger off) but does not hold
    AUDIT_CHAIN_KEY rewrites an entry and recomputes every hash and the head: the check still fails."""
    from welcoming.audit_chain import digest_of

    entries = write_entries(make_staff("clerk", Role.RECORDS_CLERK))
    real_key = settings.AUDIT_CHAIN_KEY
    settings.AUDIT_CHAIN_KEY = "a guess at the key"
    previous = ""
    with tampering() as cursor:
        for entry in AuditEntry.objects.order_by("id"):
            entry.record_id = "99" if entry.pk == entries[1].pk else entry.record_id
            entry.previous_hash = previous
            previous = entry.entry_hash = digest_of(entry)
            cursor.execute(
                "UPDATE welcoming_auditentry SET record_id = %s, previous_hash = %s, entry_hash = %s WHERE id = %s",
                [entry.record_id, entry.previous_hash, entry.entry_hash, entry.pk],
            )
    AuditChain.objects.update(head_hash=previous)
    settings.AUDIT_CHAIN_KEY = real_key
    with pytest.raises(CommandError, match="its contents were changed"):
        verify()


def checkpoint() -> str:
    out = io.StringIO()
    call_command("verify_audit_chain", checkpoint=True, stdout=out)
    return re.search(r"Checkpoint \(keep it outside the database\): (\S+)", out.getvalue()).group(1)


def verify_since(text: str) -> str:
    out = io.StringIO()
    call_command("verify_audit_chain", since=text, stdout=out)
    return out.getvalue()


def test_a_head_rewritten_to_hide_the_newest_entries_removed_does_not_pass(make_staff):
    """The attack the head alone let through: remove the newest entries and set the head and length to the entry
    now last. The head is sealed with the app's key, so the rewrite shows."""
    entries = write_entries(make_staff("clerk", Role.RECORDS_CLERK))
    with tampering() as cursor:
        cursor.execute("DELETE FROM welcoming_auditentry WHERE id >= %s", [entries[-2].pk])
    AuditChain.objects.update(head_hash=entries[-3].entry_hash, length=AuditEntry.objects.count())
    with pytest.raises(CommandError, match="broken at the end of the log: the chain's head and length were rewritten"):
        verify()


def rolled_back(to: AuditChain):
    """The database as an older backup (or a rollback) leaves it: the entries written since gone, the head as it
    was then, seal and all: everything in it is genuine, so only a checkpoint kept outside can tell."""
    with tampering() as cursor:
        cursor.execute(
            "DELETE FROM welcoming_auditentry WHERE id > %s",
            [AuditEntry.objects.order_by("id").filter(entry_hash=to.head_hash).get().pk],
        )
    AuditChain.objects.update(head_hash=to.head_hash, length=to.length, seal=to.seal)


def an_older_copy_and_a_later_checkpoint(clerk, *, written_between: int) -> tuple[AuditChain, str]:
    """The head as a copy of the database holds it, then a checkpoint taken `written_between` entries later."""
    write_entries(clerk, count=2)
    older_copy = AuditChain.objects.get()
    write_entries(clerk, count=written_between)
    return older_copy, checkpoint()


def test_a_log_cut_back_to_an_older_copy_passes_alone_but_not_against_a_later_checkpoint(make_staff):
    older_copy, kept = an_older_copy_and_a_later_checkpoint(make_staff("clerk", Role.RECORDS_CLERK), written_between=3)
    assert "extends the checkpoint" in verify_since(kept)

    rolled_back(to=older_copy)
    assert "intact" in verify()
    with pytest.raises(
        CommandError,
        match=rf"holds {older_copy.length} entries but the checkpoint .* counted "
        rf"{older_copy.length + 3}: entries were removed, or the database was rolled back",
    ):
        verify_since(kept)


def test_a_log_rolled_back_and_written_on_does_not_extend_the_checkpoint(make_staff):
    """After a rollback the app goes on writing, past the checkpoint's length: the entry at its length differs."""
    clerk = make_staff("clerk", Role.RECORDS_CLERK)
    older_copy, kept = an_older_copy_and_a_later_checkpoint(clerk, written_between=2)
    rolled_back(to=older_copy)
    write_entries(clerk, count=5)
    assert "intact" in verify()
    with pytest.raises(CommandError, match="the log no longer extends the checkpoint of .* UTC: it was rewritten"):
        verify_since(kept)


UNSEALED = "This checkpoint was not sealed with this app.s key"


@pytest.mark.parametrize(
    "change, complaint",
    [  # a space for a dash; a length one more; the seal's last digit
        (lambda text: text.replace("-", " ", 1), "This is not an audit checkpoint"),
        (lambda text: re.sub(r"-(\d+)-", lambda m: f"-{int(m.group(1)) + 1}-", text, count=1), UNSEALED),
        (lambda text: text[:-1] + ("0" if text[-1] != "0" else "1"), UNSEALED),
    ],
)
def test_a_checkpoint_altered_or_mistyped_is_refused_by_name(make_staff, change, complaint):
    write_entries(make_staff("clerk", Role.RECORDS_CLERK), count=1)
    with pytest.raises(CommandError, match=f"--since: {complaint}"):
        verify_since(change(checkpoint()))


def test_the_scheduler_sends_the_administrators_a_checkpoint_once_a_day(
    make_staff, municipality, mailoutbox, django_capture_on_commit_callbacks
):
    admin = make_staff("it", Role.ADMINISTRATOR)
    admin.email = "it@town.example"
    admin.save()
    make_staff("chief", Role.POLICE_CHIEF)
    write_entries(make_staff("clerk", Role.RECORDS_CLERK), count=2)
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        assert audit_checkpoint_send(by=scheduler_actor(), now=now) is True
    [notice] = Notification.objects.filter(event=Notification.Event.AUDIT_CHECKPOINT)
    assert notice.recipient == admin and f"intact: {AuditEntry.objects.count()} entries" in notice.body
    [mail] = mailoutbox
    sent = re.search(r"WAC1-\S+", mail.body).group(0)
    assert mail.to == ["it@town.example"] and "extends the checkpoint" in verify_since(sent)
    # The scheduler runs every few minutes: the rest of the day sends nothing more; the next day, a new one.
    assert audit_checkpoint_send(by=scheduler_actor(), now=now + timedelta(minutes=5)) is False
    assert audit_checkpoint_send(by=scheduler_actor(), now=now + timedelta(days=1)) is True
    assert Notification.objects.filter(event=Notification.Event.AUDIT_CHECKPOINT).count() == 2


def test_a_broken_chain_is_reported_instead_of_a_checkpoint(make_staff, municipality):
    make_staff("it", Role.ADMINISTRATOR)
    entries = write_entries(make_staff("clerk", Role.RECORDS_CLERK))
    with tampering() as cursor:
        cursor.execute("DELETE FROM welcoming_auditentry WHERE id = %s", [entries[1].pk])
    assert audit_checkpoint_send(by=scheduler_actor()) is True
    [notice] = Notification.objects.filter(event=Notification.Event.AUDIT_CHECKPOINT)
    assert notice.subject == "The audit log's chain is broken"
    assert f"broken at entry #{entries[2].pk}" in notice.body and "WAC1" not in notice.body
