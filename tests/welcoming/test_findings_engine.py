"""The findings engine: rules are pure, findings are reconciled per (record, rule code), never deleted."""

import threading
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.urls import reverse

from tests.conftest import scheduler_actor, sign_in_verified
from welcoming import findings
from welcoming.findings import finding_dismiss, findings_reconcile
from welcoming.models import Finding, LocalHoliday, Notification
from welcoming.roles import Role

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=ZoneInfo("America/New_York"))


@pytest.fixture
def holiday(municipality, toy_rule):
    return LocalHoliday.objects.create(municipality=municipality, name="breach day", month=1, day=2)


def rename(holiday, name):
    holiday.name = name
    holiday.save()
    return holiday


def test_a_rule_that_finds_a_breach_opens_a_finding_naming_the_clause(holiday):
    result = findings_reconcile(record=holiday, now=NOW)
    [finding] = result.opened
    assert (finding.section, finding.severity, finding.status) == ("2(d)", "violation", "open")
    assert finding.message == "Toy breach on breach day."
    assert finding.facts == {"name": "breach day"}


def test_reconciling_again_with_nothing_new_changes_nothing(holiday):
    findings_reconcile(record=holiday, now=NOW)
    result = findings_reconcile(record=holiday, now=NOW + timedelta(hours=1))
    assert not (result.opened or result.reopened or result.closed or result.updated)
    assert Finding.objects.count() == 1


def test_a_finding_that_no_longer_holds_is_closed_not_deleted(holiday):
    findings_reconcile(record=holiday, now=NOW)
    result = findings_reconcile(record=rename(holiday, "quiet day"), now=NOW)
    assert [f.status for f in result.closed] == ["closed"]
    assert Finding.objects.get().status == Finding.Status.CLOSED


def test_a_closed_finding_reopens_when_it_holds_again(holiday):
    findings_reconcile(record=holiday, now=NOW)
    findings_reconcile(record=rename(holiday, "quiet day"), now=NOW)
    result = findings_reconcile(record=rename(holiday, "breach day"), now=NOW)
    assert len(result.reopened) == 1 and Finding.objects.get().status == Finding.Status.OPEN
    assert Finding.objects.count() == 1  # one row per (record, rule code)


def test_a_dismissed_finding_stays_dismissed_until_its_facts_change(holiday, make_staff):
    ia = make_staff("ia", Role.INTERNAL_AFFAIRS)
    finding = findings_reconcile(record=holiday, now=NOW).opened[0]
    finding_dismiss(finding=finding, by=ia, reason="Paperwork lag; the person was never held.")
    findings_reconcile(record=holiday, now=NOW + timedelta(days=1))
    assert Finding.objects.get().status == Finding.Status.DISMISSED
    # Same breach, different facts: it opens again for a fresh look.
    result = findings_reconcile(record=rename(holiday, "another breach day"), now=NOW)
    assert len(result.reopened) == 1
    finding.refresh_from_db()
    assert finding.status == Finding.Status.OPEN and finding.facts == {"name": "another breach day"}


def test_dismissing_needs_a_reason(holiday, make_staff):
    finding = findings_reconcile(record=holiday, now=NOW).opened[0]
    with pytest.raises(ValidationError, match="Say why"):
        finding_dismiss(finding=finding, by=make_staff("ia", Role.INTERNAL_AFFAIRS), reason="  ")
    assert Finding.objects.get().status == Finding.Status.OPEN


def test_time_based_rules_see_the_now_they_are_given(municipality):
    holiday = LocalHoliday.objects.create(municipality=municipality, name="deadline", month=5, day=5)

    def overdue_after_noon(record, context):
        if context.now.hour >= 12:
            yield findings.FindingDraft(section="2(g)", severity="warning", code="late", message="Late.")

    findings.register_rule(LocalHoliday, overdue_after_noon, scheduled=lambda: LocalHoliday.objects.all())
    try:
        assert not findings_reconcile(record=holiday, now=NOW).opened
        assert findings_reconcile(record=holiday, now=NOW.replace(hour=13)).opened
        assert findings_reconcile(record=holiday, now=NOW.replace(hour=8)).closed
    finally:
        findings.unregister_rule(LocalHoliday, overdue_after_noon)


def test_the_scheduled_pass_opens_and_closes_findings(municipality, toy_rule, capsys):
    holiday = LocalHoliday.objects.create(municipality=municipality, name="breach day", month=1, day=2)
    call_command("evaluate_findings")
    assert "1 opened" in capsys.readouterr().out
    LocalHoliday.objects.filter(pk=holiday.pk).update(name="quiet")  # changed behind the services' back
    call_command("evaluate_findings")
    assert "1 closed" in capsys.readouterr().out


def test_two_rules_may_not_claim_the_same_code(holiday):
    def twin(record, context):
        yield findings.FindingDraft(section="2(d)", severity="violation", code="toy-breach", message="Twin.")

    findings.register_rule(LocalHoliday, twin)
    try:
        with pytest.raises(ValueError, match="same finding code"):
            findings.evaluate(holiday, findings.RuleContext(now=NOW, town=holiday.municipality))
    finally:
        findings.unregister_rule(LocalHoliday, twin)


def test_an_unknown_clause_is_refused():
    with pytest.raises(KeyError):
        findings.FindingDraft(section="9(z)", severity="violation", code="x", message="x")


def test_a_new_violation_tells_internal_affairs_and_the_chief(
    holiday, make_staff, mailoutbox, django_capture_on_commit_callbacks
):
    ia = make_staff("ia", Role.INTERNAL_AFFAIRS)
    ia.email = "ia@example.org"
    ia.save()
    chief = make_staff("chief", Role.POLICE_CHIEF)
    clerk = make_staff("clerk", Role.RECORDS_CLERK)
    with django_capture_on_commit_callbacks(execute=True):
        findings_reconcile(record=holiday, now=NOW)
    assert {n.recipient for n in Notification.objects.all()} == {ia, chief}
    assert not Notification.objects.filter(recipient=clerk).exists()
    [mail] = mailoutbox  # the chief has no address: listed in the app only
    assert mail.to == ["ia@example.org"] and "Violation of clause 2(d)" in mail.subject
    assert Notification.objects.get(recipient=ia).emailed_at is not None


def test_internal_affairs_acts_on_a_finding_from_its_page(client, holiday, make_staff):
    ia = make_staff("ia", Role.INTERNAL_AFFAIRS)
    finding = findings_reconcile(record=holiday, now=NOW).opened[0]
    sign_in_verified(client, ia)
    url = reverse("welcoming:finding-act", args=[finding.pk])
    refused = client.post(url, {"action": "dismiss", "note": ""})
    assert refused.status_code == 400 and "Say why" in refused.content.decode()
    response = client.post(url, {"action": "dismiss", "note": "Not a breach: clerical."}, follow=True)
    assert "Finding dismissed." in response.content.decode()
    finding.refresh_from_db()
    assert (finding.status, finding.status_changed_by, finding.status_reason) == (
        "dismissed",
        ia,
        "Not a breach: clerical.",
    )


def test_a_clerk_reads_findings_but_cannot_act(client, holiday, clerk):
    finding = findings_reconcile(record=holiday, now=NOW).opened[0]
    sign_in_verified(client, clerk)
    page = client.get(reverse("welcoming:finding-detail", args=[finding.pk])).content.decode()
    assert "Toy breach on breach day." in page and "Act on it" not in page
    assert (
        client.post(reverse("welcoming:finding-act", args=[finding.pk]), {"action": "acknowledge"}).status_code == 403
    )


def test_the_findings_list_filters_and_takes_a_fixed_number_of_queries(
    client, municipality, toy_rule, make_staff, django_assert_num_queries
):
    chief = make_staff("chief", Role.POLICE_CHIEF)
    sign_in_verified(client, chief)
    client.get(reverse("welcoming:home"))  # stamp the session

    def add(n):
        for i in range(n):
            holiday = LocalHoliday.objects.create(
                municipality=municipality,
                name=f"breach {i}",
                month=1 + i % 12,
                day=1 + i // 12 + Finding.objects.count() % 5,
            )
            findings_reconcile(record=holiday, now=NOW)

    add(3)
    # session, user, OTP device, municipality and its holidays, unread count, permissions (2), counts by clause,
    # count, page, the look in the audit log (4)
    with django_assert_num_queries(15) as captured:
        response = client.get(reverse("welcoming:findings"))
    assert response.context["page"].paginator.count == 3
    add(20)
    with django_assert_num_queries(len(captured)):
        response = client.get(reverse("welcoming:findings"))
    assert len(response.context["page"].object_list) == 23
    closed = client.get(reverse("welcoming:findings") + "?status=closed")
    assert closed.context["page"].paginator.count == 0


def breach_days(municipality, n: int) -> list[LocalHoliday]:
    return [
        LocalHoliday.objects.create(municipality=municipality, name="breach day", month=1, day=day)
        for day in range(2, 2 + n)
    ]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_pass_skips_a_record_a_save_holds_and_does_not_wait_for_it(municipality, toy_rule):
    held, quiet = breach_days(municipality, 2)
    for holiday in (held, quiet):
        findings.findings_reconcile(record=holiday, now=NOW)
    LocalHoliday.objects.filter(pk__in=[held.pk, quiet.pk]).update(name="quiet day")  # both findings no longer hold
    scheduler = scheduler_actor()
    locked, release = threading.Event(), threading.Event()

    def save_in_progress():
        try:
            with transaction.atomic():
                list(Finding.objects.select_for_update().filter(record_id=held.pk))
                locked.set()
                release.wait(10)
        finally:
            connections.close_all()

    writer = threading.Thread(target=save_in_progress)
    writer.start()
    locked.wait(10)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '2s'")  # a pass that waited would fail here, not hang
        findings.findings_evaluate_all(by=scheduler, now=NOW)
        statuses = dict(Finding.objects.values_list("record_id", "status"))
        assert statuses == {held.pk: Finding.Status.OPEN, quiet.pk: Finding.Status.CLOSED}
    finally:
        release.set()
        writer.join()
    findings.findings_evaluate_all(by=scheduler, now=NOW)
    assert Finding.objects.get(record_id=held.pk).status == Finding.Status.CLOSED


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_finding_written_while_the_pass_runs_is_not_opened_twice(municipality, toy_rule):
    racing, other = breach_days(municipality, 2)
    scheduler = scheduler_actor()
    written = threading.Event()

    def unaudited_write_in_progress():
        # A write that takes no audit lock (a bulk insert) opens the finding the pass is about to open.
        try:
            with transaction.atomic():
                Finding.objects.bulk_create([toy_finding(racing)])
                written.set()
                time.sleep(1)  # the pass reaches the same finding meanwhile, and waits for this commit
        finally:
            connections.close_all()

    writer = threading.Thread(target=unaudited_write_in_progress)
    writer.start()
    written.wait(10)
    findings.findings_evaluate_all(by=scheduler, now=NOW)
    writer.join()
    assert sorted(Finding.objects.values_list("record_id", flat=True)) == sorted([racing.pk, other.pk])


def toy_finding(holiday) -> Finding:
    return Finding(
        record_type="welcoming.localholiday",
        record_id=holiday.pk,
        section="2(d)",
        code="toy-breach",
        severity="violation",
        message=f"Toy breach on {holiday.name}.",
        facts={"name": holiday.name},
        status=Finding.Status.OPEN,
        opened_at=NOW,
        occurred_at=NOW,
        status_changed_at=NOW,
    )
