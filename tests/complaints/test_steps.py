"""Every step of a complaint's life and who may take it (DESIGN.md sections 1 and 4), through the services."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from complaints import rules, selectors, services
from complaints.models import Allegation, Complaint, ComplaintEvent
from tests.conftest import A_PDF, scheduler_actor
from welcoming.findings import finding_refer, findings_reconcile
from welcoming.models import LocalHoliday, Notification
from welcoming.roles import Role
from welcoming.selectors import business_calendar

EVERYONE = [*Role, "investigator"]


def _kept(take_in, coordinator):
    return services.complaint_route(complaint=take_in(about="chief"), by=coordinator)


def _referred(take_in, coordinator):
    complaint = take_in(department="schools", about="", clauses=["2(l)"])
    return services.complaint_route(complaint=complaint, by=coordinator, referred_to="Superintendent")


def _a_person():
    from detainers.models import Person

    return Person.objects.first() or Person.objects.create(full_name="Linked Person")


def _with_allegation(routed, coordinator):
    return services.allegation_add(complaint=routed, by=coordinator, clause="2(b)", summary="Asked about status")


# Each step: (who may take it, how to take it on a fresh complaint). The complaint is about police officers and
# with internal affairs unless the step says otherwise.
STEPS = {
    "take in": (
        {Role.COMPLAINTS_COORDINATOR, Role.INTERNAL_AFFAIRS, "investigator"},
        lambda user, take_in, routed, coordinator: take_in(by=user),
    ),
    "route": (
        {Role.COMPLAINTS_COORDINATOR},
        lambda user, take_in, routed, coordinator: services.complaint_route(complaint=take_in(), by=user),
    ),
    "classify": (
        {Role.COMPLAINTS_COORDINATOR},
        lambda user, take_in, routed, coordinator: services.complaint_classify(
            complaint=routed, by=user, department="police", about="officers", alleges_bias=True
        ),
    ),
    "refer to the executive": (
        {Role.COMPLAINTS_COORDINATOR},
        lambda user, take_in, routed, coordinator: services.complaint_refer(
            complaint=_kept(take_in, coordinator), by=user, referred_to="Mayor's office"
        ),
    ),
    "record a department's answer": (
        {Role.COMPLAINTS_COORDINATOR},
        lambda user, take_in, routed, coordinator: services.complaint_answer_record(
            complaint=_referred(take_in, coordinator), by=user, answer="Form corrected.", answered_at=timezone.now()
        ),
    ),
    "send the acknowledgement": (
        {Role.COMPLAINTS_COORDINATOR, Role.INTERNAL_AFFAIRS, "investigator"},
        lambda user, take_in, routed, coordinator: services.letter_send(
            letter=routed.letters.get(kind="acknowledgement"), by=user, delivery="mail", sent_at=timezone.now()
        ),
    ),
    "assign": (
        {Role.COMPLAINTS_COORDINATOR, Role.INTERNAL_AFFAIRS, "investigator"},
        lambda user, take_in, routed, coordinator: services.complaint_assign(
            complaint=routed, by=user, investigator=selectors.investigators().first()
        ),
    ),
    "forward to POST": (
        {Role.COMPLAINTS_COORDINATOR, Role.INTERNAL_AFFAIRS, "investigator"},
        lambda user, take_in, routed, coordinator: services.complaint_post_forward(
            complaint=services.complaint_route(complaint=take_in(alleges_bias=True), by=coordinator),
            by=user,
            forwarded_at=timezone.now(),
        ),
    ),
    "link a police record": (
        {Role.INTERNAL_AFFAIRS, "investigator"},
        lambda user, take_in, routed, coordinator: services.complaint_link_record(
            complaint=routed, by=user, record_type="detainers.person", record_id=_a_person().pk
        ),
    ),
    "add a person involved": (
        {Role.COMPLAINTS_COORDINATOR, Role.INTERNAL_AFFAIRS, "investigator"},
        lambda user, take_in, routed, coordinator: services.person_add(complaint=routed, by=user, badge_number="12"),
    ),
    "add an allegation": (
        {Role.COMPLAINTS_COORDINATOR, Role.INTERNAL_AFFAIRS, "investigator"},
        lambda user, take_in, routed, coordinator: services.allegation_add(
            complaint=routed, by=user, clause="2(b)", summary="Asked"
        ),
    ),
    "record a disposition": (
        {Role.COMPLAINTS_COORDINATOR, Role.INTERNAL_AFFAIRS, "investigator"},
        lambda user, take_in, routed, coordinator: services.allegation_dispose(
            allegation=_with_allegation(routed, coordinator), by=user, disposition="unfounded"
        ),
    ),
    "attach a file": (
        {Role.COMPLAINTS_COORDINATOR, Role.INTERNAL_AFFAIRS, "investigator"},
        lambda user, take_in, routed, coordinator: services.complaint_attach(
            complaint=routed, by=user, upload=SimpleUploadedFile("letter.pdf", A_PDF)
        ),
    ),
    "close": (
        {Role.COMPLAINTS_COORDINATOR, Role.INTERNAL_AFFAIRS, "investigator"},
        lambda user, take_in, routed, coordinator: services.complaint_close(
            complaint=services.allegation_dispose(
                allegation=_with_allegation(routed, coordinator), by=coordinator, disposition="exonerated"
            ).complaint,
            by=user,
            outcome="The stop was lawful.",
        ),
    ),
}


@pytest.mark.parametrize("step", STEPS)
def test_each_step_is_taken_only_by_those_the_table_allows(
    step, staff, take_in, routed, coordinator, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path)
    allowed, take = STEPS[step]
    wrong = []
    for identity in EVERYONE:
        user = staff[identity]
        try:
            take(user, take_in, services.complaint_route(complaint=take_in(), by=coordinator), coordinator)
        except PermissionDenied:
            if identity in allowed:
                wrong.append(f"{identity} was refused")
        else:
            if identity not in allowed:
                wrong.append(f"{identity} took the step")
    assert not wrong, f"{step}: {wrong}"


def test_internal_affairs_takes_no_step_on_a_complaint_about_itself_or_the_chief(staff, take_in, coordinator):
    for about in ("internal_affairs", "chief"):
        kept = services.complaint_route(complaint=take_in(about=about), by=coordinator)
        assert kept.stage == Complaint.Stage.KEPT
        with pytest.raises(PermissionDenied):
            services.allegation_add(complaint=kept, by=staff[Role.INTERNAL_AFFAIRS], clause="2(c)", summary="x")
        with pytest.raises(PermissionDenied):
            services.letter_send(
                letter=kept.letters.get(), by=staff["investigator"], delivery="mail", sent_at=timezone.now()
            )
        services.allegation_add(complaint=kept, by=coordinator, clause="2(c)", summary="Kept and worked by the office")


@pytest.mark.parametrize(
    ("fields", "stage"),
    [
        ({"department": "police", "about": "officers"}, Complaint.Stage.INVESTIGATING),
        ({"department": "police", "about": "internal_affairs"}, Complaint.Stage.KEPT),
        ({"department": "police", "about": "chief"}, Complaint.Stage.KEPT),
        ({"department": "schools", "about": "", "clauses": ["2(l)"]}, Complaint.Stage.REFERRED),
        ({"department": "other", "about": "", "department_name": "Housing"}, Complaint.Stage.REFERRED),
    ],
)
def test_triage_sends_each_kind_where_section_4_says(fields, stage, take_in, coordinator, ia):
    complaint = take_in(**fields)
    routed = services.complaint_route(complaint=complaint, by=coordinator, referred_to="The department's contact")
    assert routed.stage == stage
    assert selectors.complaints_for(user=ia).filter(pk=complaint.pk).exists() == (stage == "investigating")
    told = Notification.objects.filter(recipient=ia, event=Notification.Event.COMPLAINT_ROUTED).exists()
    assert told == (stage == "investigating")


def test_a_referral_to_a_department_needs_its_contact_and_nothing_changes_without_it(take_in, coordinator):
    complaint = take_in(department="schools", about="")
    with pytest.raises(ValidationError) as refused:
        services.complaint_route(complaint=complaint, by=coordinator)
    assert "referred_to" in refused.value.message_dict
    complaint.refresh_from_db()
    assert (complaint.stage, complaint.routed_at) == (Complaint.Stage.RECEIVED, None)


def test_triage_classifies_and_routes_together_or_not_at_all(take_in, coordinator):
    complaint = take_in()
    with pytest.raises(ValidationError):
        services.complaint_triage(complaint=complaint, by=coordinator, department="other", referred_to=" ")
    complaint.refresh_from_db()
    assert (complaint.department, complaint.stage) == ("police", Complaint.Stage.RECEIVED)


def test_a_complaint_found_to_be_about_the_chief_leaves_internal_affairs(routed, coordinator, ia):
    services.complaint_assign(complaint=routed, by=ia, investigator=ia)
    services.complaint_classify(complaint=routed, by=coordinator, department="police", about="chief")
    routed.refresh_from_db()
    assert (routed.stage, routed.investigator) == (Complaint.Stage.RECEIVED, None)
    assert not selectors.complaints_for(user=ia).filter(pk=routed.pk).exists()


def test_bias_found_at_triage_starts_the_post_clock_at_receipt(take_in, coordinator, municipality):
    complaint = take_in(received_at=timezone.now() - timedelta(days=10))
    assert complaint.post_due_on is None
    services.complaint_classify(
        complaint=complaint, by=coordinator, department="police", about="officers", alleges_bias=True
    )
    complaint.refresh_from_db()
    calendar = business_calendar(municipality)
    assert complaint.post_due_on == calendar.add_business_days(timezone.localdate(complaint.received_at), 2)


def test_a_referred_finding_opens_one_complaint_with_internal_affairs(toy_rule, municipality, ia, coordinator):
    finding = findings_reconcile(
        record=LocalHoliday.objects.create(municipality=municipality, name="breach day", month=1, day=2),
        now=timezone.now(),
    ).opened[0]
    finding_refer(finding=finding, by=ia, note="Seen on the release board")
    complaint = finding.complaints.get()
    assert (complaint.channel, complaint.stage, complaint.about) == ("finding", "investigating", "officers")
    assert complaint.acknowledgement_due_on is None
    assert list(complaint.findings.all()) == [finding]
    assert complaint.links.get().record_id == finding.record_id
    # The narrative names the finding, not what it says: the coordinator reads complaints but no police record.
    assert f"Finding #{finding.pk} under clause 2(d)" in complaint.narrative
    assert finding.message not in complaint.narrative and "release board" not in complaint.narrative
    assert services.complaint_from_finding(finding=finding, by=ia) == complaint  # no second complaint
    assert selectors.complaints_for(user=ia).filter(pk=complaint.pk).exists()


def test_closing_needs_every_disposition_post_forwarding_and_an_outcome(take_in, coordinator, ia):
    complaint = services.complaint_route(complaint=take_in(alleges_bias=True), by=coordinator)
    with pytest.raises(ValidationError, match="at least one allegation"):
        services.complaint_close(complaint=complaint, by=ia, outcome="Done")
    allegation = services.allegation_add(complaint=complaint, by=ia, clause="2(a)", summary="Bias")
    with pytest.raises(ValidationError, match="Every allegation"):
        services.complaint_close(complaint=complaint, by=ia, outcome="Done")
    with pytest.raises(ValidationError) as refused:
        services.allegation_dispose(allegation=allegation, by=ia, disposition="sustained")
    assert "action_taken" in refused.value.message_dict
    services.allegation_dispose(allegation=allegation, by=ia, disposition="sustained", action_taken="Retrained")
    with pytest.raises(ValidationError, match="POST Commission"):
        services.complaint_close(complaint=complaint, by=ia, outcome="Done")
    services.complaint_post_forward(complaint=complaint, by=ia, forwarded_at=timezone.now(), reference="P-1")
    with pytest.raises(ValidationError) as refused:
        services.complaint_close(complaint=complaint, by=ia, outcome="  ")
    assert "outcome" in refused.value.message_dict
    closed = services.complaint_close(complaint=complaint, by=ia, outcome="Sustained; the officer was retrained.")
    assert closed.stage == Complaint.Stage.CLOSED and closed.public_status == "closed"
    assert Allegation.objects.get(pk=allegation.pk).disposed_by == ia
    with pytest.raises(ValidationError, match="closed"):
        services.allegation_add(complaint=closed, by=ia, clause="2(a)", summary="Late")
    kinds = list(closed.events.values_list("kind", flat=True))
    assert kinds == ["received", "routed", "allegation_added", "disposed", "post_forwarded", "closed"]
    assert closed.letters.get(kind="outcome").final_at is None  # written next, in the complainant's language


def test_a_referred_complaint_closes_once_the_department_answers(take_in, coordinator):
    complaint = _referred(take_in, coordinator)
    with pytest.raises(ValidationError, match="department's answer"):
        services.complaint_close(complaint=complaint, by=coordinator, outcome="Done")
    with pytest.raises(ValidationError) as refused:
        services.complaint_answer_record(
            complaint=complaint, by=coordinator, answer="Fixed", answered_at=complaint.referred_at - timedelta(hours=1)
        )
    assert "answered_at" in refused.value.message_dict
    services.complaint_answer_record(complaint=complaint, by=coordinator, answer="Fixed", answered_at=timezone.now())
    assert services.complaint_close(complaint=complaint, by=coordinator, outcome="Fixed").stage == "closed"


def test_dates_of_steps_cannot_precede_receipt_or_lie_in_the_future(routed, take_in, coordinator, ia):
    letter = routed.letters.get(kind="acknowledgement")
    for moment in (routed.received_at - timedelta(minutes=1), timezone.now() + timedelta(hours=1)):
        with pytest.raises(ValidationError) as refused:
            services.letter_send(letter=letter, by=ia, delivery="mail", sent_at=moment)
        assert "sent_at" in refused.value.message_dict
    services.letter_send(letter=letter, by=ia, delivery="mail", sent_at=timezone.now())
    with pytest.raises(ValidationError, match="already recorded as sent"):
        services.letter_send(letter=letter, by=ia, delivery="mail", sent_at=timezone.now())
    with pytest.raises(ValidationError, match="POST need not"):
        services.complaint_post_forward(complaint=routed, by=ia, forwarded_at=timezone.now())
    with pytest.raises(ValidationError) as refused:
        take_in(received_at=timezone.now() + timedelta(minutes=5))
    assert "received_at" in refused.value.message_dict


def test_intake_refuses_bad_input_and_saves_nothing(take_in, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    attempts = [
        ({"anonymous": True, "complainant_name": "Ana"}, "complainant_name"),
        ({"about": ""}, "about"),
        ({"clauses": ["9(z)"]}, "clauses"),
        ({"narrative": "My number is A-123-456-789."}, "narrative"),
        ({"complainant_name": "<script>alert(1)</script>"}, "complainant_name"),
        ({"files": [SimpleUploadedFile("photo.pdf", b"not really a pdf")]}, "file"),
        ({"people": [{"name": ""}]}, "name"),
    ]
    for fields, field in attempts:
        with pytest.raises(ValidationError) as refused:
            take_in(**fields)
        assert field in refused.value.message_dict, fields
    assert not Complaint.objects.exists()
    assert not ComplaintEvent.objects.exists()


def test_the_tracking_code_is_unguessable_and_the_pin_kept_only_as_a_hash(coordinator):
    complaint, pin = services.complaint_create(
        received_at=timezone.now(), channel="mail", narrative="x", department="other", by=coordinator
    )
    assert len(complaint.tracking_code.replace("-", "")) == 12 and pin.isdigit() and len(pin) == 6
    assert pin not in complaint.pin_hash
    assert services.pin_matches(complaint, pin) and not services.pin_matches(
        complaint, "000000" if pin != "000000" else "1"
    )
    assert rules.tracking_code_normalised(complaint.tracking_code.lower().replace("-", " ")) == complaint.tracking_code
    codes = {services.tracking_code_new() for _ in range(2000)}
    assert len(codes) == 2000


def test_a_new_complaint_tells_the_coordinator(take_in, coordinator, ia):
    complaint = take_in(by=ia)
    told = Notification.objects.get(recipient=coordinator, event=Notification.Event.NEW_COMPLAINT)
    assert complaint.tracking_code in told.subject and told.link == complaint.get_absolute_url()
    assert not Notification.objects.filter(recipient=ia, event=Notification.Event.NEW_COMPLAINT).exists()


def test_the_scheduler_tells_once_when_post_is_due_and_once_when_overdue(take_in, coordinator, ia, staff):
    late = services.complaint_route(
        complaint=take_in(alleges_bias=True, received_at=timezone.now() - timedelta(days=120)), by=coordinator
    )
    services.complaint_assign(complaint=late, by=ia, investigator=staff["investigator"])
    take_in(department="schools", about="")  # nothing due yet
    assert services.complaints_deadlines_notify(by=scheduler_actor()) == 2  # POST due (late), then overdue
    again = services.complaints_deadlines_notify(by=scheduler_actor())
    assert again == 0
    events = sorted(Notification.objects.filter(recipient=staff["investigator"]).values_list("event", flat=True))
    # Routed (to all of internal affairs), assigned (to them), then the scheduler's two.
    assert events == ["complaint_overdue", "complaint_routed", "complaint_routed", "post_deadline_near"]
    overdue = Notification.objects.get(recipient=coordinator, event=Notification.Event.COMPLAINT_OVERDUE)
    assert "acknowledgement, POST forwarding, investigation" in overdue.subject
    assert not Notification.objects.filter(recipient=ia, event=Notification.Event.COMPLAINT_OVERDUE).exists()


def test_triage_records_a_classification_only_when_something_changed(take_in, coordinator):
    same = take_in()
    services.complaint_triage(complaint=same, by=coordinator, department="police", about="officers", clauses=["2(b)"])
    assert list(same.events.values_list("kind", flat=True)) == ["received", "routed"]
    changed = take_in()
    services.complaint_triage(
        complaint=changed, by=coordinator, department="police", about="officers", clauses=["2(b)"], alleges_bias=True
    )
    classified = changed.events.get(kind="classified")
    assert classified.note == "alleges bias"
    changed.refresh_from_db()
    assert changed.post_due_on is not None
