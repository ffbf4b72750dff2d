"""Every write about unlicensed-driver stops: keyword-only, one transaction each, validated before it is saved
and checked against clause 2(f) the moment it is."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from traffic.models import UnlicensedDriverStop
from welcoming.acting import require
from welcoming.findings import findings_reconcile
from welcoming.saving import save

CHANGE = "welcoming.change_police_records"


@transaction.atomic
def stop_create(
    *,
    stopped_at: datetime | None,
    place: str,
    officer_name: str,
    action: str,
    officer_badge: str = "",
    other_arrestable_violation: bool,
    licensed_driver_offered: bool,
    licensed_driver_arrived: bool,
    vehicle_impounded: bool,
    other_violation: str = "",
    notes: str = "",
    custody_reason: str = "",
    by,
    now: datetime | None = None,
) -> UnlicensedDriverStop:
    require(by, CHANGE, message="Only the records clerk logs stops.")
    now = now or timezone.now()
    # 2(f) turns on each of these: said, never assumed.
    answers = {
        "other_arrestable_violation": other_arrestable_violation,
        "licensed_driver_offered": licensed_driver_offered,
        "licensed_driver_arrived": licensed_driver_arrived,
        "vehicle_impounded": vehicle_impounded,
    }
    unanswered = {name: "Choose yes or no." for name, value in answers.items() if value not in (True, False)}
    if unanswered:
        raise ValidationError(unanswered)
    if stopped_at is None:
        raise ValidationError(
            {
                "stopped_at": "Give the time of the stop"
                + (": an impoundment is timed from it." if vehicle_impounded else ".")
            }
        )
    if timezone.is_naive(stopped_at):
        raise ValueError("stopped_at must be timezone-aware")  # a programming error: forms and the API give aware times
    if stopped_at > now:
        raise ValidationError({"stopped_at": "The stop cannot be in the future."})
    if stopped_at.year < 1990:
        raise ValidationError({"stopped_at": "Check the year: this is before any record the department keeps."})
    if other_violation.strip() and not other_arrestable_violation:
        raise ValidationError({"other_violation": "Tick “another arrestable violation was present”, or clear this."})
    custody_alone = action == UnlicensedDriverStop.Action.CUSTODIAL_ARREST and not other_arrestable_violation
    if custody_alone and not custody_reason.strip():
        raise ValidationError(
            {"custody_reason": "Say why a summons was not possible: 2(f) asks for one whenever possible."}
        )
    if other_arrestable_violation and not other_violation.strip():
        raise ValidationError({"other_violation": "Name the other arrestable violation."})
    if licensed_driver_arrived and not licensed_driver_offered:
        raise ValidationError(
            {"licensed_driver_arrived": "A licensed driver can only have come if the chance to call one was offered."}
        )
    stop = UnlicensedDriverStop(
        stopped_at=stopped_at,
        place=place.strip(),
        officer_name=officer_name.strip(),
        officer_badge=officer_badge.strip(),
        other_arrestable_violation=other_arrestable_violation,
        other_violation=other_violation.strip() if other_arrestable_violation else "",
        action=action,
        custody_reason=custody_reason.strip() if action == UnlicensedDriverStop.Action.CUSTODIAL_ARREST else "",
        licensed_driver_offered=licensed_driver_offered,
        licensed_driver_arrived=licensed_driver_arrived,
        vehicle_impounded=vehicle_impounded,
        notes=notes.strip(),
        created_by=by,
    )
    save(stop, by=by, validate_constraints=True)
    findings_reconcile(record=stop, now=now)
    return stop
