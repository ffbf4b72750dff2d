"""Retention: `purge_personal_data` replaces the personal identifiers of records whose period was reported at
least the retention period ago (in the records, their history, their files and the texts quoting them) and leaves
every figure, every stored report and its hash exactly as they were."""

import hashlib
import io
from datetime import datetime, time, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.apps import apps
from django.core.management import call_command
from django.utils import timezone

from certifications import services as certification_services
from certifications.models import UVisaRequest
from complaints import services as complaint_services
from complaints.models import Complaint, Letter
from detainers import services as detainer_services
from detainers.models import Custody, Detainer, Person
from reports import selectors as report_selectors
from reports.models import Report
from tests.conftest import scheduler_actor
from welcoming.acting import system_actor
from welcoming.models import AuditEntry, Finding, Municipality, Notification
from welcoming.periods import window
from welcoming.retention import PURGED, personal_data_purge
from welcoming.roles import Role, SystemActor

NOW = timezone.now()
LATER = NOW + timedelta(days=365 * 8)  # past the seven-year retention of every signed period


@pytest.fixture
def demo(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.DEBUG = True  # seed_demo refuses to run otherwise
    call_command("seed_demo", stdout=io.StringIO())
    call_command("evaluate_findings", stdout=io.StringIO())
    settings.DEBUG = False


@pytest.fixture
def old_cases(demo, make_staff):
    """What the demo lacks in its signed periods: a closed anonymous complaint and a declined U visa request, the
    rows whose constraints a careless purge would break (a name where none may be, a decline with no reason)."""
    start, _ = min(signed_spans())
    received = timezone.make_aware(datetime.combine(start + timedelta(days=10), time(10)))
    coordinator = make_staff("old-coordinator", Role.COMPLAINTS_COORDINATOR)
    complaint, _ = complaint_services.complaint_create(
        received_at=received,
        channel="phone",
        anonymous=True,
        narrative="Told to show papers at the counter, by Officer Pratt.",
        department="police",
        about="officers",
        by=coordinator,
    )
    Complaint.objects.filter(pk=complaint.pk).update(stage=Complaint.Stage.CLOSED, closed_at=received)
    Letter.objects.create(
        complaint=complaint,
        kind="outcome",
        language="es",
        explanation="El agente Pratt fue amonestado.",
        written_at=received,
    )
    clerk = make_staff("old-clerk", Role.RECORDS_CLERK)
    victim = detainer_services.person_create(full_name="Odile Vantreese", by=clerk)
    request = certification_services.u_visa_request_create(
        expedited=False,
        received_on=start + timedelta(days=12),
        requester_kind="attorney",
        requester_name="Counsel Oduya",
        victim=victim,
        qualifying_crime="stalking",
        helpfulness="has_been",
        by=clerk,
        now=received + timedelta(days=2),
    )
    UVisaRequest.objects.filter(pk=request.pk).update(
        decision="declined", decided_on=start + timedelta(days=20), reason="Odile Vantreese stopped answering."
    )
    return complaint, request


def every_figure() -> dict:
    """Each period's live figures and supplement, and each stored report: its snapshot, its hash and its file."""
    municipality = Municipality.objects.get()
    live = {
        period.start: report_selectors.figures(
            municipality=municipality, window=window(period.start, period.end, zone=municipality.time_zone), now=NOW
        )
        for period in report_selectors.reporting_periods(municipality, today=timezone.localdate(NOW))
    }
    stored = {
        report.pk: (report.snapshot, report.pdf_sha256, hashlib.sha256(report.pdf.read()).hexdigest())
        for report in Report.objects.all()
    }
    return {"live": live, "stored": stored}


def every_row() -> dict:
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values_list())
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }


def signed_spans():
    return [(report.period_start, report.period_end) for report in Report.objects.current()]


def in_a_signed_period(moment) -> bool:
    day = timezone.localdate(moment) if hasattr(moment, "tzinfo") else moment
    return any(start <= day <= end for start, end in signed_spans())


def test_a_dry_run_counts_what_is_due_and_changes_nothing(demo):
    before = every_row()
    result = personal_data_purge(by=scheduler_actor(), now=LATER)
    assert not result.applied and result.periods
    assert result.rows["detainers.Person"] > 0 and result.rows["detainers.Detainer"] > 0
    assert every_row() == before
    # Nothing is due yet today: the demo's reports were signed within the last seven years.
    assert personal_data_purge(by=scheduler_actor(), now=NOW).periods == []


def test_the_purge_removes_names_everywhere_and_leaves_every_figure_and_report_hash_unchanged(old_cases):
    figures = every_figure()
    due = [c for c in Custody.objects.select_related("person") if in_a_signed_period(c.booked_at)]
    # A person is purged once every record naming them (custody, U visa request) is in a period due.
    moments = {
        person: [c.booked_at for c in person.custody_records.all()]
        + [r.received_on for r in person.u_visa_requests.all()]
        or [person.created_at]  # entered and never booked: by when it was entered
        for person in Person.objects.all()
    }
    purged = {p.pk: p.full_name for p, when in moments.items() if all(map(in_a_signed_period, when))}
    kept = {p.pk: p.full_name for p, when in moments.items() if not all(map(in_a_signed_period, when))}
    assert purged and kept, "the demo has people both in signed periods and in the current one"
    # (The demo has two people of one name, one of each kind: a name is checked gone only if nobody kept has it.)
    purged_names, kept_names = set(purged.values()) - set(kept.values()), set(kept.values())

    result = personal_data_purge(by=scheduler_actor(), now=LATER, apply=True)

    assert result.applied and result.rows["detainers.Person"] == len(purged)
    assert every_figure() == figures
    assert set(Person.objects.filter(full_name=PURGED).values_list("pk", flat=True)) == set(purged)
    assert not Person.history.filter(id__in=purged).exclude(full_name=PURGED).exists()  # nor in its history
    assert set(Person.objects.filter(pk__in=kept).values_list("full_name", flat=True)) == kept_names
    for name in purged_names:
        assert not Finding.objects.filter(message__contains=name).exists()
        assert not Finding.history.filter(message__contains=name).exists()
        assert not Notification.objects.filter(link__startswith="/findings/", subject__contains=name).exists()
    for custody in due:
        custody.refresh_from_db()
        assert custody.booking_number == PURGED
        if custody.person.full_name != PURGED:  # named by a later record still
            assert custody.person.full_name in kept_names
    for detainer in Detainer.objects.filter(custody__in=[c.pk for c in due]):
        assert detainer.federal_reference == PURGED and not detainer.notes
        assert not Detainer.history.filter(id=detainer.pk).exclude(federal_reference=PURGED).exists()
    outcomes = set()
    for complaint in Complaint.objects.all():
        closed_and_due = complaint.stage == Complaint.Stage.CLOSED and in_a_signed_period(complaint.received_at)
        assert (complaint.narrative == PURGED) == closed_and_due
        outcomes.add(closed_and_due)
    assert outcomes == {True, False}  # both kinds were there to check

    # Each purged record is in the audit log, by name of field only, and the chain still holds.
    purged = AuditEntry.objects.filter(action=AuditEntry.Action.PURGE, record_type="detainers.person")
    assert purged.count() == result.rows["detainers.Person"]
    assert purged.first().fields == ["date_of_birth", "department_id", "full_name"]
    out = io.StringIO()
    call_command("verify_audit_chain", stdout=out)
    assert "intact" in out.getvalue()

    # Purged once is enough: a second run finds nothing more to purge.
    again = personal_data_purge(by=scheduler_actor(), now=LATER, apply=True)
    assert again.rows["detainers.Person"] == 0 and again.rows["detainers.Custody"] == 0


def test_an_anonymous_complaint_and_a_declined_request_are_purged_within_their_rules(old_cases):
    complaint, request = old_cases
    figures = every_figure()
    personal_data_purge(by=scheduler_actor(), now=LATER, apply=True)
    complaint.refresh_from_db()
    request.refresh_from_db()
    assert (complaint.complainant_name, complaint.narrative) == ("", PURGED)
    assert complaint.letters.get().explanation == ""  # what was typed for its letter goes with it
    assert (request.requester_name, request.reason, request.decision) == (PURGED, PURGED, "declined")
    assert request.victim.full_name == PURGED
    assert every_figure() == figures


def test_an_open_complaint_keeps_its_complainant_whatever_its_age(demo):
    personal_data_purge(by=scheduler_actor(), now=LATER, apply=True)
    for complaint in Complaint.objects.exclude(stage=Complaint.Stage.CLOSED):
        assert complaint.narrative != PURGED


def test_the_command_is_a_dry_run_unless_told_to_apply(demo):
    Municipality.objects.update(retention_years=0)  # every signed period is due at once
    before = every_row()
    out = io.StringIO()
    call_command("purge_personal_data", stdout=out)
    assert "Dry run: nothing was changed" in out.getvalue() and "detainers.Person:" in out.getvalue()
    assert every_row() == before
    out = io.StringIO()
    call_command("purge_personal_data", apply=True, stdout=out)
    assert "purged" in out.getvalue() and "Dry run" not in out.getvalue()
    assert every_row() != before


def test_a_person_held_in_two_periods_leaves_no_name_in_the_first_periods_findings(demo):
    """The first record is purged a year before the person (who is purged only with their last record): the
    name quoted in that first record's findings goes when the person does."""
    spans = sorted(signed_spans())
    first, second = spans[0], spans[1]
    clerk = system_actor(SystemActor.IMPORT)  # a system import
    person = detainer_services.person_create(full_name="Zoltan Twoperiods", by=clerk)
    for start, _ in (first, second):
        booked = timezone.make_aware(datetime.combine(start + timedelta(days=3), time(8)))
        custody = detainer_services.custody_create(
            person=person, booked_at=booked, basis="criminal_charge", by=clerk, now=booked + timedelta(hours=1)
        )
        detainer_services.detainer_create(
            judicial_warrant=False,
            custody=custody,
            form="I-247A",
            lodged_at=booked + timedelta(hours=1),
            received_via="fax",
            reasons=[("final_order", "")],
            copy_served_at=booked + timedelta(hours=1, minutes=30),
            by=clerk,
            now=booked + timedelta(hours=2),
        )
        detainer_services.custody_eligible(
            custody=custody,
            at=booked + timedelta(hours=2),
            reason="bail_posted",
            by=clerk,
            now=booked + timedelta(hours=3),
        )
        detainer_services.custody_release(
            custody=custody,
            at=booked + timedelta(hours=9),
            delay_reason="paperwork",
            by=clerk,
            now=booked + timedelta(hours=10),
        )
    assert Finding.objects.filter(message__contains="Zoltan Twoperiods").count() >= 2  # held on the hold, twice
    reported = {report.period_start: report.signed_at for report in Report.objects.current()}
    # The first run comes when only the first period has been reported for seven years.
    between = reported[first[0]] + relativedelta(years=7, days=1)
    assert reported[second[0]] + relativedelta(years=7) > between
    personal_data_purge(by=scheduler_actor(), now=between, apply=True)
    assert Person.objects.get(pk=person.pk).full_name == "Zoltan Twoperiods"  # still named by the second record
    personal_data_purge(by=scheduler_actor(), now=LATER, apply=True)
    assert Person.objects.get(pk=person.pk).full_name == PURGED
    assert not Finding.objects.filter(message__contains="Zoltan Twoperiods").exists()
    assert not Finding.history.filter(message__contains="Zoltan Twoperiods").exists()
    assert not Notification.objects.filter(subject__contains="Zoltan Twoperiods").exists()
