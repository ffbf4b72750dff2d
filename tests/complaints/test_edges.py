"""Edges of the complaint workflow: steps that no longer apply, what a second step may not overwrite, and what the
coordinator, who reads no police record, is never shown."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from complaints import rules, selectors, services
from complaints.models import Complaint
from tests.conftest import scheduler_actor
from welcoming.findings import finding_refer, findings_reconcile
from welcoming.models import LocalHoliday, Notification
from welcoming.roles import Role


def test_a_referred_finding_shows_the_coordinator_neither_the_finding_nor_the_record(
    toy_rule, municipality, staff, ia, coordinator, client_of
):
    finding = findings_reconcile(
        record=LocalHoliday.objects.create(municipality=municipality, name="breach day", month=1, day=2),
        now=timezone.now(),
    ).opened[0]
    finding_refer(finding=finding, by=ia)
    complaint = finding.complaints.get()
    page = client_of(coordinator).get(complaint.get_absolute_url()).content.decode()
    assert finding.message not in page and "localholiday #" not in page
    ia_page = client_of(ia).get(complaint.get_absolute_url()).content.decode()
    assert finding.message in ia_page and "localholiday #" in ia_page
    assert "read by the police side only" in page
    body = client_of(coordinator).get(f"/api/v1/complaints/{complaint.pk}/").json()
    assert (body["links"], body["findings"]) == ([], [])
    response = client_of(coordinator).post(
        f"/api/v1/complaints/{complaint.pk}/link/", {"finding": 999_999}, content_type="application/json"
    )
    assert response.status_code == 403  # refused before it could say whether finding 999999 exists
    ia_body = client_of(ia).get(f"/api/v1/complaints/{complaint.pk}/").json()
    assert ia_body["findings"] == [finding.pk] and ia_body["links"][0]["record_id"] == finding.record_id


def test_an_api_step_ignores_list_filters_in_its_address(staff, take_in, coordinator, client_of):
    complaint = take_in()
    client = client_of(coordinator)
    response = client.post(
        f"/api/v1/complaints/{complaint.pk}/route/?queue=triage&search=nothing", {}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["stage"] == "investigating"
    assert client.get(f"/api/v1/complaints/{complaint.pk}/?queue=closed").status_code == 200
    assert client.get("/api/v1/complaints/not-a-number/").status_code == 404


def test_each_overdue_step_is_notified_once_when_it_falls_due(take_in, coordinator, ia):
    complaint = services.complaint_route(complaint=take_in(hours_ago=24 * 10), by=coordinator)
    assert services.complaints_deadlines_notify(by=scheduler_actor()) == 1  # the acknowledgement is late
    assert services.complaints_deadlines_notify(by=scheduler_actor()) == 0
    later = timezone.now() + timedelta(days=90)
    assert (
        services.complaints_deadlines_notify(by=scheduler_actor(), now=later) == 1
    )  # now the investigation too, told apart
    subjects = list(
        Notification.objects.filter(recipient=coordinator, event="complaint_overdue").values_list("subject", flat=True)
    )
    assert sorted(subject.split(": ")[1] for subject in subjects) == ["acknowledgement", "investigation"]
    complaint.refresh_from_db()
    assert complaint.overdue_notified == ["acknowledgement", "investigation"]


def test_post_is_reminded_the_business_day_before_it_is_due(take_in, coordinator, municipality):
    complaint = take_in(alleges_bias=True, hours_ago=0)
    _, calendar, _ = selectors.deadline_settings()
    today = selectors.today_local(municipality)
    before = calendar.subtract_business_days(complaint.post_due_on, 2)
    the_day_before = calendar.subtract_business_days(complaint.post_due_on, 1)
    at = lambda day: timezone.now() + timedelta(days=(day - today).days)  # noqa: E731
    assert services.complaints_deadlines_notify(by=scheduler_actor(), now=at(before)) == 0
    assert services.complaints_deadlines_notify(by=scheduler_actor(), now=at(the_day_before)) == 1
    assert Notification.objects.filter(recipient=coordinator, event="post_deadline_near").count() == 1


def test_a_disposition_cannot_change_once_the_complaint_is_closed(routed, ia):
    allegation = services.allegation_add(complaint=routed, by=ia, clause="2(b)", summary="Asked")
    services.allegation_dispose(allegation=allegation, by=ia, disposition="unfounded")
    services.complaint_close(complaint=routed, by=ia, outcome="Unfounded.")
    with pytest.raises(ValidationError, match="closed"):
        services.allegation_dispose(allegation=allegation, by=ia, disposition="sustained", action_taken="x")
    allegation.refresh_from_db()
    assert allegation.disposition == "unfounded"


def test_a_department_answer_is_recorded_once(take_in, coordinator):
    complaint = services.complaint_route(
        complaint=take_in(department="other", about=""), by=coordinator, referred_to="Housing"
    )
    services.complaint_answer_record(complaint=complaint, by=coordinator, answer="Fixed.", answered_at=timezone.now())
    with pytest.raises(ValidationError, match="already recorded"):
        services.complaint_answer_record(complaint=complaint, by=coordinator, answer="Oops", answered_at=timezone.now())


def test_back_to_triage_the_old_referral_is_forgotten(take_in, coordinator):
    complaint = services.complaint_route(
        complaint=take_in(department="other", about=""), by=coordinator, referred_to="Housing"
    )
    services.complaint_answer_record(complaint=complaint, by=coordinator, answer="Not ours", answered_at=timezone.now())
    services.complaint_classify(complaint=complaint, by=coordinator, department="police", about="officers")
    complaint.refresh_from_db()
    assert (complaint.stage, complaint.referred_to, complaint.department_answer) == ("received", "", "")
    assert services.complaint_route(complaint=complaint, by=coordinator).stage == "investigating"


def test_nothing_is_late_on_a_closed_complaint_and_its_step_pages_send_you_back(routed, ia, staff, client_of):
    allegation = services.allegation_add(complaint=routed, by=ia, clause="2(b)", summary="Asked")
    services.allegation_dispose(allegation=allegation, by=ia, disposition="unfounded")
    services.complaint_close(complaint=routed, by=ia, outcome="Unfounded.")
    routed.refresh_from_db()
    assert not rules.overdue(routed, timezone.localdate() + timedelta(days=400)).any
    client = client_of(staff[Role.INTERNAL_AFFAIRS])
    for name in ["assign", "allegation-new", "close"]:
        response = client.get(reverse(f"complaints:{name}", args=[routed.pk]))
        assert response["Location"] == routed.get_absolute_url(), name
    followed = client.get(reverse("complaints:assign", args=[routed.pk]), follow=True).content.decode()
    assert "This complaint is closed." in followed


def test_a_complainant_who_left_no_contact_has_no_acknowledgement_due(take_in):
    """Nowhere a letter could go: anonymous or named, no contact means no acknowledgement letter to send."""
    unreachable = take_in(anonymous=True, complainant_name="", complainant_contact="")
    named_unreachable = take_in(complainant_contact="")
    reachable = take_in(anonymous=True, complainant_name="", complainant_contact="anon@example.org")
    assert unreachable.acknowledgement_due_on is None and named_unreachable.acknowledgement_due_on is None
    assert not unreachable.letters.exists() and not named_unreachable.letters.exists()
    assert reachable.acknowledgement_due_on is not None and reachable.letters.get().kind == "acknowledgement"


def test_the_queue_finds_a_tracking_code_however_it_is_typed(take_in, staff, client_of):
    complaint = take_in()
    typed = complaint.tracking_code.replace("-", " ").lower().replace("0", "o").replace("1", "l")
    page = client_of(staff[Role.COMPLAINTS_COORDINATOR]).get(reverse("complaints:queue"), {"q": typed})
    assert complaint.tracking_code in page.content.decode()
    assert Complaint.objects.count() == 1
