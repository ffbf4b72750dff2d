"""Every write about U visa certification requests: keyword-only, one transaction each, validated before it is
saved, and checked against clause 2(i) the moment it is (`findings_reconcile`)."""

from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from certifications import selectors
from certifications.models import QUALIFYING_CRIMES, UVisaRequest
from detainers.models import Person
from welcoming import letters
from welcoming.acting import require
from welcoming.findings import findings_reconcile
from welcoming.models import Notification
from welcoming.notifications import notify_permission
from welcoming.saving import save
from welcoming.selectors import today_local, town_profile

CHANGE = "welcoming.change_police_records"


def _save(request: UVisaRequest, *, by, now=None) -> UVisaRequest:
    save(request, by=by, validate_constraints=True)
    findings_reconcile(record=request, now=now or timezone.now())
    return request


def due_on(*, received_on: date, expedited: bool) -> date:
    """The decision deadline: the municipality's days (DESIGN.md section 2), fewer when expedition is asked."""
    town = town_profile()
    days = town.u_visa_expedited_days if expedited else town.u_visa_decision_days
    return received_on + timedelta(days=days)


@transaction.atomic
def u_visa_request_create(
    *,
    received_on: date,
    requester_kind: str,
    requester_name: str,
    victim: Person,
    qualifying_crime: str,
    helpfulness: str,
    requester_contact: str = "",
    language: str = "en",
    case_number: str = "",
    expedited: bool,
    crime_other: str = "",
    expedite_reason: str = "",
    by,
    now: datetime | None = None,
) -> UVisaRequest:
    """Log a request as it arrived (the records clerk)."""
    require(by, CHANGE, message="Only the records clerk logs U visa requests.")
    now = now or timezone.now()
    if received_on > today_local(now=now):
        raise ValidationError({"received_on": "This date is in the future."})
    if victim.is_voided or victim.merged_into_id:
        raise ValidationError({"victim": "Choose the person's current record."})
    if qualifying_crime not in dict(QUALIFYING_CRIMES):
        raise ValidationError({"qualifying_crime": "Choose the qualifying criminal activity."})
    if expedited not in (True, False):  # it sets the deadline 2(i) counts from: said, never assumed
        raise ValidationError({"expedited": "Say whether an expedited decision was asked for."})
    if qualifying_crime == "other" and not crime_other.strip():
        raise ValidationError({"crime_other": "Describe the similar activity."})
    if expedited and not expedite_reason.strip():
        raise ValidationError({"expedite_reason": "Say why expedition was asked (for example, removal proceedings)."})
    request = UVisaRequest(
        received_on=received_on,
        requester_kind=requester_kind,
        requester_name=requester_name.strip(),
        requester_contact=requester_contact.strip(),
        language=language,
        victim=victim,
        case_number=case_number.strip(),
        qualifying_crime=qualifying_crime,
        crime_other=crime_other.strip() if qualifying_crime == "other" else "",
        helpfulness=helpfulness,
        expedited=expedited,
        expedite_reason=expedite_reason.strip() if expedited else "",
        due_on=due_on(received_on=received_on, expedited=expedited),
        decision=UVisaRequest.Decision.PENDING,
        created_by=by,
    )
    return _save(request, by=by, now=now)


@transaction.atomic
def u_visa_decide(
    *,
    request: UVisaRequest,
    by,
    decision: str,
    decided_on: date,
    reason: str = "",
    letter_reason: str = "",
    helpfulness: str = "",
    now: datetime | None = None,
) -> UVisaRequest:
    """The chief or a certifying official the chief designated records the decision, its reason and, where it
    differs from what the request said, the official's own determination of the victim's helpfulness."""
    require(by, selectors.DECIDE, message="Only the chief or a certifying official decides U visa requests.")
    now = now or timezone.now()
    request = UVisaRequest.objects.select_for_update().get(pk=request.pk)
    if request.is_voided:
        raise ValidationError("This request was voided.")
    if request.decision != UVisaRequest.Decision.PENDING:
        raise ValidationError("This request is already decided.")
    if decision == UVisaRequest.Decision.PENDING or decision not in UVisaRequest.Decision.values:
        raise ValidationError({"decision": "Choose certified, declined or withdrawn."})
    if decided_on < request.received_on:
        raise ValidationError({"decided_on": f"The decision cannot come before the request ({request.received_on})."})
    if decided_on > today_local(now=now):
        raise ValidationError({"decided_on": "This date is in the future."})
    if decision == UVisaRequest.Decision.DECLINED and not reason.strip():
        raise ValidationError({"reason": "A decline needs its reason: the requester and the report are told it."})
    letter_reason = letter_reason.strip() if decision == UVisaRequest.Decision.DECLINED else ""
    if letter_reason and request.language == "en":
        raise ValidationError({"letter_reason": "The requester reads English: the letter states the reason itself."})
    if decision == UVisaRequest.Decision.DECLINED and request.language != "en":
        if not letter_reason:
            reads = request.language_name
            raise ValidationError(
                {"letter_reason": f"The requester reads {reads}: write the reason in it, for the letter."}
            )
        problems = letters.letter_text_problems(
            letter_reason,
            reader_language=request.language,
            reader_language_name=request.language_name,
            staff_english=[reason, request.expedite_reason, request.crime_other],
        )
        if problems:
            raise ValidationError({"letter_reason": problems})
    if helpfulness:
        if helpfulness not in UVisaRequest.Helpfulness.values:
            raise ValidationError({"helpfulness": "Choose one of the listed determinations."})
        request.helpfulness = helpfulness
    request.decision, request.decided_on, request.reason = decision, decided_on, reason.strip()
    request.letter_reason = letter_reason
    request.certifying_official, request.decision_recorded_at = by, now
    return _save(request, by=by, now=now)


def u_visa_due_soon_notify(*, by, now: datetime | None = None) -> int:
    """Tell the chief and the certifying officials, once, about each request entering its warning window."""
    require(by, "welcoming.run_scheduled_jobs", message="Only the scheduler sends the reminders.")
    now = now or timezone.now()
    told = 0
    for request in selectors.requests_due_soon(today=today_local(now=now)):
        with transaction.atomic():
            # Claimed first: two scheduler runs at once tell once.
            if not UVisaRequest.objects.filter(pk=request.pk, warned_at__isnull=True).update(warned_at=now):
                continue
            notify_permission(
                permission=selectors.DECIDE,
                event=Notification.Event.U_VISA_DUE_SOON,
                subject=f"U visa request due {request.due_on:%Y-%m-%d}",
                body=f"Received {request.received_on:%Y-%m-%d}; a decision is due by {request.due_on:%Y-%m-%d}.",
                link=request.get_absolute_url(),
            )
            told += 1
    return told
