"""Every rule on both sides of its line, with `now` fixed."""

from datetime import timedelta

import pytest

from detainers import services
from tests.detainers.conftest import NOW, at
from welcoming.findings import finding_dismiss, findings_reconcile
from welcoming.models import Finding
from welcoming.roles import Role


def findings_of(record):
    return {f.code: f for f in Finding.objects.of_record(record).unresolved()}


# --- 2(d): detention on a hold ---------------------------------------------------------------------------------


def test_released_one_minute_after_eligibility_with_a_detainer_open_is_a_violation(custody, lodge, clerk):
    lodge()
    services.custody_release(
        custody=custody,
        at=at(5) + timedelta(minutes=1),
        eligible_at=at(5),
        eligibility_reason="bail_posted",
        by=clerk,
        now=NOW,
    )
    finding = findings_of(custody)["2d-detained-on-hold"]
    assert finding.section == "2(d)" and finding.severity == "violation"
    assert (
        finding.message
        == "Maria Example stayed in custody 1 minute past eligibility for release, with an ICE hold open when "
        "they became eligible."
    )


def test_released_at_eligibility_is_no_violation(custody, lodge, clerk):
    lodge()
    services.custody_release(
        custody=custody, at=at(5), eligible_at=at(5), eligibility_reason="bail_posted", by=clerk, now=NOW
    )
    assert "2d-detained-on-hold" not in findings_of(custody)


def test_only_a_notification_request_open_is_no_detention_on_a_hold(custody, lodge, clerk):
    lodge(form="I-247N", reasons=[("not_stated", "")])
    services.custody_release(
        custody=custody, at=at(6), eligible_at=at(5), eligibility_reason="bail_posted", by=clerk, now=NOW
    )
    assert "2d-detained-on-hold" not in findings_of(custody)


def test_a_detainer_backed_by_a_judicial_warrant_is_no_violation(custody, lodge, clerk):
    lodge(judicial_warrant=True, judicial_warrant_received_at=at(1))
    services.custody_release(
        custody=custody, at=at(6), eligible_at=at(5), eligibility_reason="bail_posted", by=clerk, now=NOW
    )
    assert "2d-detained-on-hold" not in findings_of(custody)


def test_voiding_the_detainer_closes_the_violation(custody, lodge, clerk, make_staff):
    detainer = lodge()
    services.custody_release(
        custody=custody, at=at(6), eligible_at=at(5), eligibility_reason="bail_posted", by=clerk, now=NOW
    )
    assert "2d-detained-on-hold" in findings_of(custody)
    ia = make_staff("ia", Role.INTERNAL_AFFAIRS)
    services.record_void(record=detainer, by=ia, reason="Entered on the wrong person.", now=NOW)
    assert "2d-detained-on-hold" not in findings_of(custody)
    assert Finding.objects.of_record(custody).get().status == Finding.Status.CLOSED


def test_a_detainer_lifted_before_eligibility_is_no_violation(custody, lodge, clerk):
    detainer = lodge()
    services.detainer_update(detainer=detainer, lifted_at=at(4), by=clerk, now=NOW)
    services.custody_release(
        custody=custody, at=at(6), eligible_at=at(5), eligibility_reason="bail_posted", by=clerk, now=NOW
    )
    assert "2d-detained-on-hold" not in findings_of(custody)


def test_a_detainer_lodged_after_eligibility_is_not_the_hold_the_rule_means(custody, lodge, clerk):
    services.custody_eligible(custody=custody, at=at(2), reason="bail_posted", by=clerk, now=NOW)
    lodge(hours=3)
    services.custody_release(custody=custody, at=at(4), by=clerk, now=NOW)
    assert "2d-detained-on-hold" not in findings_of(custody)


def test_a_person_still_held_past_eligibility_is_a_violation_as_time_passes(custody, lodge, clerk):
    lodge()
    services.custody_eligible(custody=custody, at=at(5), reason="bail_posted", by=clerk, now=at(5))
    assert "2d-detained-on-hold" not in findings_of(custody)  # checked at the very moment of eligibility
    findings_reconcile(record=custody, now=at(5) + timedelta(minutes=1))
    assert "and is still held" in findings_of(custody)["2d-detained-on-hold"].message


@pytest.mark.parametrize("basis", ["detainer_only", "administrative_warrant_only"])
def test_custody_on_a_hold_alone_is_a_violation_from_booking(person, clerk, basis):
    custody = services.custody_create(person=person, booked_at=at(0), basis=basis, by=clerk, now=NOW)
    finding = findings_of(custody)["2d-detained-on-hold"]
    assert finding.facts["detention_began_at"].startswith("2026-10-06T02:00")  # 22:00 local is 02:00 UTC
    assert "was taken into custody on the basis" in finding.message


# --- 2(c): transfer to ICE -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("authority", "violation"),
    [
        ("court_order", False),
        ("judicial_warrant", False),
        ("detainer", True),
        ("administrative_warrant", True),
        ("none", True),
    ],
)
def test_a_transfer_needs_a_judicial_warrant_or_court_order(custody, clerk, authority, violation):
    services.custody_transfer_to_ice(
        custody=custody,
        at=at(5),
        authority=authority,
        authority_received_at=None if violation else at(4),
        eligible_at=at(5),
        eligibility_reason="release_ordered",
        by=clerk,
        now=NOW,
    )
    assert ("2c-transfer-without-judicial-authority" in findings_of(custody)) is violation


# --- 2(g): the copy served on the person ------------------------------------------------------------------------


def test_a_copy_served_at_the_deadline_is_on_time_and_one_minute_later_is_not(lodge, clerk):
    on_time = lodge(copy_served_at=at(1) + timedelta(hours=24))
    late = lodge(hours=1.5, copy_served_at=at(1.5) + timedelta(hours=24, minutes=1))
    assert "2g-copy-not-served" not in findings_of(on_time)
    finding = findings_of(late)["2g-copy-not-served"]
    assert "served at 2026-10-06 23:31" in finding.message and "due by 2026-10-06 23:30" in finding.message


def test_a_copy_not_yet_served_is_due_before_release_if_sooner(custody, lodge, clerk):
    detainer = lodge(now=at(2))
    assert "2g-copy-not-served" not in findings_of(detainer)
    services.custody_release(
        custody=custody,
        at=at(3),
        eligible_at=at(3),
        eligibility_reason="bail_posted",
        by=clerk,
        now=at(3) + timedelta(minutes=1),
    )
    assert "due by 2026-10-06 01:00" in findings_of(detainer)["2g-copy-not-served"].message


def test_an_unserved_copy_becomes_a_violation_when_the_hours_run_out(lodge):
    detainer = lodge(now=at(2))
    assert not findings_reconcile(record=detainer, now=at(25)).opened
    assert findings_reconcile(record=detainer, now=at(25) + timedelta(minutes=1)).opened


# --- 2(e): information and notification requests -----------------------------------------------------------


@pytest.mark.parametrize(("basis", "violation"), [("none", True), ("public_record", False), ("judicial_order", False)])
def test_a_restricted_disclosure_needs_a_public_record_or_judicial_basis(custody, clerk, basis, violation):
    request = services.information_request_create(
        custody=custody,
        agency="ICE ERO Boston",
        received_at=at(2),
        received_via="phone",
        by=clerk,
        now=NOW,
        items=[
            {"item": "home_address", "disclosed": True, "basis": basis},
            {"item": "pending_release", "disclosed": False},
        ],
    )
    assert ("2e-disclosed-home_address" in findings_of(request)) is violation
    assert "2e-disclosed-pending_release" not in findings_of(request)


def test_status_is_not_restricted_by_2e(custody, clerk):
    request = services.information_request_create(
        custody=custody,
        agency="ICE",
        received_at=at(2),
        received_via="phone",
        by=clerk,
        now=NOW,
        items=[{"item": "citizenship_or_status", "disclosed": True, "basis": "none"}],
    )
    assert not findings_of(request)


@pytest.mark.parametrize(("response", "violation"), [("declined", False), ("ice_notified", True)])
def test_a_notification_request_is_answered_by_declining(lodge, clerk, response, violation):
    request = lodge(form="release_inquiry", reasons=[("not_stated", "")], copy_served_at=at(2))
    services.notification_respond(detainer=request, response=response, at=at(3), by=clerk, now=NOW)
    assert ("2e-ice-notified-of-release" in findings_of(request)) is violation


# --- 2(h), 2(j), 2(k) ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("warrant", "granted", "violation"), [(False, True, True), (True, True, False), (False, False, False)]
)
def test_ice_access_needs_a_judicial_warrant_or_court_order(custody, clerk, warrant, granted, violation):
    request = services.access_request_create(
        custody=custody,
        agency="ICE",
        requested_at=at(3),
        mode="video",
        judicial_warrant_or_court_order=warrant,
        granted=granted,
        by=clerk,
        now=NOW,
    )
    assert ("2h-access-without-judicial-authority" in findings_of(request)) is violation


def test_traffic_control_is_allowed_and_transport_is_not(clerk, municipality):
    allowed = services.assistance_request_create(
        deputized_functions=False,
        agency="ICE",
        requested_at=at(1),
        operation="Arrest at a residence",
        by=clerk,
        now=NOW,
        supports=[{"kind": "traffic_control", "provided": True}, {"kind": "transport", "provided": False}],
    )
    assert not findings_of(allowed)
    beyond = services.assistance_request_create(
        deputized_functions=False,
        agency="ICE",
        requested_at=at(1),
        operation="Arrest at a residence",
        by=clerk,
        now=NOW,
        supports=[{"kind": "traffic_control", "provided": True}, {"kind": "transport", "provided": True}],
    )
    assert findings_of(beyond)["2j-support-beyond-allowed"].message.endswith("transport of detainees.")


def test_performing_deputized_functions_breaks_2k(clerk, municipality):
    request = services.assistance_request_create(
        agency="ICE",
        requested_at=at(1),
        operation="Task force",
        supports=[],
        deputized_functions=True,
        by=clerk,
        now=NOW,
    )
    assert findings_of(request)["2k-immigration-officer-functions"].section == "2(k)"


def test_a_dismissed_finding_stays_dismissed_when_the_record_is_read_back(custody, lodge, clerk, make_staff):
    # Facts computed from fresh local times and from the database's UTC times must be the same facts.
    lodge()
    services.custody_release(
        custody=custody, at=at(6), eligible_at=at(5), eligibility_reason="bail_posted", by=clerk, now=NOW
    )
    finding = Finding.objects.get(code="2d-detained-on-hold")
    finding_dismiss(finding=finding, by=make_staff("ia", Role.INTERNAL_AFFAIRS), reason="Paperwork lag.")
    custody = type(custody).objects.get(pk=custody.pk)
    result = findings_reconcile(record=custody, now=NOW + timedelta(days=1))
    assert not (result.reopened or result.updated)
    assert Finding.objects.get(code="2d-detained-on-hold").status == Finding.Status.DISMISSED


def test_a_judicial_warrant_on_one_document_covers_the_documents_lodged_with_it(custody, lodge, clerk):
    detainer = lodge(judicial_warrant=True, judicial_warrant_received_at=at(1))
    lodge(form="I-200", reasons=[("not_stated", "")], lodged_with=detainer)
    services.custody_release(
        custody=custody, at=at(6), eligible_at=at(5), eligibility_reason="bail_posted", by=clerk, now=NOW
    )
    assert "2d-detained-on-hold" not in findings_of(custody)


def test_a_hold_lifted_after_eligibility_still_detained_the_person(custody, lodge, clerk):
    detainer = lodge()
    services.custody_eligible(custody=custody, at=at(5), reason="bail_posted", by=clerk, now=at(5))
    services.detainer_update(detainer=detainer, lifted_at=at(5.5), by=clerk, now=NOW)
    services.custody_release(custody=custody, at=at(6), by=clerk, now=NOW)
    assert "2d-detained-on-hold" in findings_of(custody)


@pytest.mark.parametrize(("authority", "held_on_hold"), [("court_order", False), ("detainer", True)])
def test_a_transfer_after_eligibility_is_a_hold_unless_a_judge_authorised_it(
    custody, lodge, clerk, authority, held_on_hold
):
    lodge()
    services.custody_transfer_to_ice(
        custody=custody,
        at=at(7),
        authority=authority,
        authority_received_at=at(4) if authority == "court_order" else None,
        eligible_at=at(5),
        eligibility_reason="release_ordered",
        by=clerk,
        now=NOW,
    )
    assert ("2d-detained-on-hold" in findings_of(custody)) is held_on_hold


def test_voiding_a_custody_closes_its_detainers_copy_findings(custody, lodge, clerk, make_staff):
    detainer = lodge(now=NOW)  # never served: a 2(g) violation
    assert "2g-copy-not-served" in findings_of(detainer)
    services.record_void(record=custody, by=make_staff("chief", Role.POLICE_CHIEF), reason="Wrong person.", now=NOW)
    assert not findings_of(detainer)


def test_a_void_custody_on_a_hold_alone_counts_nowhere(person, clerk, make_staff):
    custody = services.custody_create(person=person, booked_at=at(0), basis="detainer_only", by=clerk, now=NOW)
    services.record_void(record=custody, by=make_staff("ia", Role.INTERNAL_AFFAIRS), reason="Test entry.", now=NOW)
    assert not findings_of(custody)
