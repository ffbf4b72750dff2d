"""Clause 2(i): due dates (normal and expedited), the warning window and the deadline, each on both sides of its
line with `now` fixed; a decline of an eligible victim; and who may log and decide."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from certifications import services
from certifications.models import UVisaRequest
from tests.certifications.conftest import at
from welcoming.findings import findings_reconcile
from welcoming.models import Finding
from welcoming.roles import Role

RECEIVED = date(2026, 3, 2)


def codes(request, day):
    request.refresh_from_db()
    findings_reconcile(record=request, now=at(day))
    return {f.code: f.severity for f in Finding.objects.of_record(request).unresolved()}


def test_the_due_date_is_the_municipalitys_deadline_and_shorter_when_expedited(log):
    assert log(RECEIVED).due_on == RECEIVED + timedelta(days=90)
    expedited = log(RECEIVED, expedited=True, expedite_reason="Removal proceedings")
    assert expedited.due_on == RECEIVED + timedelta(days=14)


def test_a_pending_request_warns_inside_the_window_and_is_a_violation_after_the_due_date(log):
    request = log(RECEIVED)  # due 2026-05-31; warned from 2026-05-17 (14 days)
    due = request.due_on
    assert codes(request, due - timedelta(days=15)) == {}
    assert codes(request, due - timedelta(days=14)) == {"2i-decision-due-soon": "warning"}
    assert codes(request, due) == {"2i-decision-due-soon": "warning"}  # due today is not late
    assert codes(request, due + timedelta(days=1)) == {"2i-decision-late": "violation"}


def test_a_decision_on_time_closes_the_warning_and_a_late_one_stays_a_violation(log, staff):
    on_time = log(RECEIVED)
    codes(on_time, on_time.due_on - timedelta(days=3))
    services.u_visa_decide(
        request=on_time,
        by=staff[Role.CERTIFYING_OFFICIAL],
        decision="certified",
        decided_on=on_time.due_on,
        now=at(on_time.due_on),
    )
    assert codes(on_time, on_time.due_on + timedelta(days=30)) == {}
    late = log(RECEIVED)
    services.u_visa_decide(
        request=late,
        by=staff[Role.POLICE_CHIEF],
        decision="certified",
        decided_on=late.due_on + timedelta(days=1),
        now=at(late.due_on + timedelta(days=1)),
    )
    assert codes(late, late.due_on + timedelta(days=30)) == {"2i-decision-late": "violation"}


@pytest.mark.parametrize(
    ("crime", "helpfulness", "violation"),
    [
        ("domestic_violence", "has_been", True),
        ("stalking", "likely", True),
        ("domestic_violence", "refused", False),  # the victim refused reasonable requests
        ("other", "has_been", False),  # "similar activity": the official's judgment
    ],
)
def test_declining_an_eligible_victim_is_a_violation(log, staff, crime, helpfulness, violation):
    request = log(
        RECEIVED, qualifying_crime=crime, helpfulness=helpfulness, crime_other="Coercion" * (crime == "other")
    )
    services.u_visa_decide(
        request=request,
        by=staff[Role.CERTIFYING_OFFICIAL],
        decision="declined",
        decided_on=RECEIVED + timedelta(days=10),
        reason="See the file.",
        now=at(RECEIVED + timedelta(days=10)),
    )
    found = codes(request, RECEIVED + timedelta(days=10))
    assert ("2i-declined-eligible" in found) == violation


def test_only_the_clerk_logs_and_only_the_chief_or_a_certifying_official_decides(log, staff, victim):
    for role in Role:
        if role == Role.RECORDS_CLERK:
            continue
        with pytest.raises(PermissionDenied):
            log(RECEIVED, by=staff[role])
    request = log(RECEIVED)
    for role in (Role.RECORDS_CLERK, Role.INTERNAL_AFFAIRS, Role.COMPLAINTS_COORDINATOR, Role.ADMINISTRATOR):
        with pytest.raises(PermissionDenied):
            services.u_visa_decide(request=request, by=staff[role], decision="certified", decided_on=RECEIVED)
    decided = services.u_visa_decide(
        request=request, by=staff[Role.CERTIFYING_OFFICIAL], decision="certified", decided_on=RECEIVED
    )
    assert decided.certifying_official == staff[Role.CERTIFYING_OFFICIAL]


@pytest.mark.parametrize(
    ("decision", "decided_on", "reason", "field"),
    [
        ("certified", RECEIVED - timedelta(days=1), "", "decided_on"),
        ("declined", RECEIVED + timedelta(days=1), "  ", "reason"),
        ("certified", date(2099, 1, 1), "", "decided_on"),
        ("pending", RECEIVED, "", "decision"),
    ],
)
def test_a_bad_decision_names_its_field_and_saves_nothing(log, staff, decision, decided_on, reason, field):
    request = log(RECEIVED)
    with pytest.raises(ValidationError) as refused:
        services.u_visa_decide(
            request=request, by=staff[Role.POLICE_CHIEF], decision=decision, decided_on=decided_on, reason=reason
        )
    assert field in refused.value.message_dict
    request.refresh_from_db()
    assert request.decision == UVisaRequest.Decision.PENDING and request.decided_on is None


def test_a_request_is_decided_once(log, staff):
    request = log(RECEIVED)
    services.u_visa_decide(request=request, by=staff[Role.POLICE_CHIEF], decision="withdrawn", decided_on=RECEIVED)
    with pytest.raises(ValidationError, match="already decided"):
        services.u_visa_decide(request=request, by=staff[Role.POLICE_CHIEF], decision="certified", decided_on=RECEIVED)


def test_a_late_withdrawal_or_a_backdated_decision_is_still_late(log, staff):
    withdrawn = log(RECEIVED)
    late_day = withdrawn.due_on + timedelta(days=9)
    assert codes(withdrawn, late_day) == {"2i-decision-late": "violation"}
    services.u_visa_decide(
        request=withdrawn, by=staff[Role.POLICE_CHIEF], decision="withdrawn", decided_on=late_day, now=at(late_day)
    )
    assert codes(withdrawn, late_day) == {"2i-decision-late": "violation"}
    early_withdrawal = log(RECEIVED)
    day = RECEIVED + timedelta(days=5)
    services.u_visa_decide(
        request=early_withdrawal, by=staff[Role.POLICE_CHIEF], decision="withdrawn", decided_on=day, now=at(day)
    )
    assert codes(early_withdrawal, late_day) == {}
    backdated = log(RECEIVED)
    services.u_visa_decide(
        request=backdated,
        by=staff[Role.CERTIFYING_OFFICIAL],
        decision="certified",
        decided_on=backdated.due_on - timedelta(days=1),  # dated on time…
        now=at(late_day),  # …but entered nine days late
    )
    assert codes(backdated, late_day) == {"2i-decision-late": "violation"}


def test_the_officials_own_finding_on_helpfulness_decides_whether_a_decline_is_a_violation(log, staff):
    request = log(RECEIVED, helpfulness="has_been")
    day = RECEIVED + timedelta(days=3)
    services.u_visa_decide(
        request=request,
        by=staff[Role.CERTIFYING_OFFICIAL],
        decision="declined",
        decided_on=day,
        reason="The victim refused three requests to give a statement.",
        helpfulness="refused",
        now=at(day),
    )
    assert codes(request, day) == {}
    assert request.history.filter(helpfulness="has_been").exists()  # what the request said stays in history


def test_a_number_is_refused_in_every_free_text_field(log):
    for field in ("case_number", "requester_contact"):
        with pytest.raises(ValidationError) as refused:
            log(RECEIVED, **{field: "A-123-456-789"})
        assert field in refused.value.message_dict
    assert not UVisaRequest.objects.exists()
