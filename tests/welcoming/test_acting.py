"""One way to check who may act: every service is told who acts and refuses with one error; the scheduler, the
command-line import and the set-up act as named system actors that hold only their capabilities, cannot sign in
and are named by the history and the audit log; a constraint the database enforces comes back as a sentence."""

import io
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse

from detainers import services as detainer_services
from detainers.models import Custody, Person
from tests.conftest import PASSWORD, scheduler_actor
from welcoming import findings
from welcoming.acting import is_system_actor, system_actor
from welcoming.models import AuditEntry, Finding, LocalHoliday
from welcoming.notifications import notify_permission
from welcoming.roles import Role, SystemActor
from welcoming.saving import save

SAMPLE = Path(__file__).resolve().parents[2] / "detainers" / "samples" / "records-sample.csv"
NOW = datetime(2026, 11, 2, 9, 0, tzinfo=ZoneInfo("America/New_York"))


def test_a_service_told_no_one_acts_refuses_to_run(municipality):
    with pytest.raises(ValueError, match="must be told who acts"):
        detainer_services.person_create(full_name="Nobody Said", by=None)
    assert not Person.objects.exists()


def test_every_refusal_is_the_same_error_with_a_sentence_saying_who_may(municipality, make_staff, toy_rule):
    coordinator = make_staff("coordinator", Role.COMPLAINTS_COORDINATOR)
    with pytest.raises(PermissionDenied, match="Only the records clerk enters and changes police records."):
        detainer_services.person_create(full_name="Not Theirs", by=coordinator)
    holiday = LocalHoliday.objects.create(municipality=municipality, name="breach day", month=1, day=2)
    finding = findings.findings_reconcile(record=holiday, now=NOW).opened[0]
    clerk = make_staff("clerk", Role.RECORDS_CLERK)  # reads findings, may not act on them
    with pytest.raises(PermissionDenied, match="Only internal affairs and the chief act on findings."):
        findings.finding_dismiss(finding=finding, by=clerk, reason="Not mine to dismiss.")
    assert Finding.objects.get().status == Finding.Status.OPEN


def test_the_scheduler_holds_only_its_own_capability(municipality):
    scheduler = scheduler_actor()
    assert scheduler.has_perm("welcoming.run_scheduled_jobs")
    for capability in ("change_police_records", "view_police_records", "view_findings", "act_on_findings"):
        assert not scheduler.has_perm(f"welcoming.{capability}")
    with pytest.raises(PermissionDenied):
        detainer_services.person_create(full_name="Scheduled Person", by=scheduler)
    clerk_like = system_actor(SystemActor.IMPORT)
    with pytest.raises(PermissionDenied, match="Only the scheduler runs the findings pass."):
        findings.findings_evaluate_all(by=clerk_like, now=NOW)


def test_a_system_actor_cannot_sign_in_even_with_a_password_set(client, municipality):
    scheduler = scheduler_actor()
    assert is_system_actor(scheduler)
    scheduler.set_password(PASSWORD)  # as if someone gave it one
    scheduler.save()
    response = client.post(reverse("welcoming:login"), {"username": scheduler.username, "password": PASSWORD})
    assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_the_scheduler_is_told_nothing_though_it_holds_a_capability(municipality):
    scheduler_actor()
    told = notify_permission(permission="welcoming.run_scheduled_jobs", event="report_signed", subject="Signed")
    assert told == []


def test_the_command_line_import_is_recorded_as_its_system_actor(municipality):
    call_command("import_records", str(SAMPLE), stdout=io.StringIO())
    assert {custody.created_by.username for custody in Custody.objects.all()} == {"system-import"}
    assert {entry.history_user.username for entry in Custody.history.all()} == {"system-import"}
    assert set(AuditEntry.objects.filter(record_type="detainers.custody").values_list("username", flat=True)) == {
        "system-import"
    }
    assert not get_user_model().objects.get(username="system-import").has_perm("welcoming.view_findings")


def test_a_rule_the_database_enforces_comes_back_as_a_sentence_and_nothing_is_saved(municipality, clerk):
    custody = detainer_services.book_person(
        full_name="Maria Example",
        date_of_birth=None,
        department_id="",
        booked_at=NOW - timedelta(days=1),
        basis="criminal_charge",
        by=clerk,
        now=NOW,
    )
    custody.released_at = custody.booked_at - timedelta(hours=1)  # past the services' own checks
    with pytest.raises(ValidationError) as refused:
        save(custody, by=clerk)
    assert refused.value.messages == ["The release cannot come before the booking."]
    custody.refresh_from_db()
    assert custody.released_at is None


def test_the_administrators_count_of_active_users_counts_people_only(municipality, make_staff):
    from welcoming.selectors import administrator_overview

    make_staff("it-lead", Role.ADMINISTRATOR)
    scheduler_actor()
    system_actor(SystemActor.IMPORT)
    assert administrator_overview()["active_users"] == 1


def test_setting_up_the_roles_puts_each_system_actor_back_in_its_own_group_alone(municipality):
    from django.contrib.auth.models import Group

    from welcoming.accounts import roles_sync

    scheduler = scheduler_actor()
    scheduler.groups.set(Group.objects.filter(name__in=["Police chief"]))  # someone moved it in the admin
    roles_sync()
    assert [group.name for group in scheduler.groups.all()] == ["System: Scheduler"]
    assert not get_user_model().objects.get(pk=scheduler.pk).has_perm("welcoming.view_police_records")


def test_the_import_command_names_a_user_who_may_not_enter_records_and_saves_nothing(municipality, make_staff):
    from django.core.management.base import CommandError

    make_staff("coordinator", Role.COMPLAINTS_COORDINATOR)
    with pytest.raises(CommandError, match="Only the records clerk enters and changes police records."):
        call_command("import_records", str(SAMPLE), "--user", "coordinator", stdout=io.StringIO())
    assert not Custody.objects.exists()
