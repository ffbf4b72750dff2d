"""Clause 2(f)'s rules for unlicensed-driver stops: record in, findings out, nothing written.

DESIGN.md section 3: taking a driver into custody for driving without a license, with no other arrestable
violation, is a violation; impounding the car without the chance to call a licensed driver is a warning.
"""

from traffic.models import UnlicensedDriverStop
from welcoming.findings import FindingDraft, RuleContext


def custody_for_no_license_alone(stop: UnlicensedDriverStop, context: RuleContext):
    """2(f): no custodial arrest for driving without a license alone; a summons or citation instead."""
    if stop.is_voided or stop.action != UnlicensedDriverStop.Action.CUSTODIAL_ARREST:
        return
    if stop.other_arrestable_violation:
        return
    yield FindingDraft(
        section="2(f)",
        severity="violation",
        code="2f-custody-no-other-violation",
        message=f"A driver stopped at {stop.place} was taken into custody for driving without a license, with no "
        "other arrestable violation.",
        facts={"action": stop.action, "other_arrestable_violation": False, "why_not_a_summons": stop.custody_reason},
        occurred_at=stop.stopped_at,
    )


def impounded_without_a_chance(stop: UnlicensedDriverStop, context: RuleContext):
    """2(f): before the car is towed, the driver may call a licensed driver to take it — and a licensed driver
    who came takes it. (Applied to every stop, as DESIGN.md section 3 reads the clause.)"""
    if stop.is_voided or not stop.vehicle_impounded:
        return
    if stop.licensed_driver_arrived:
        yield FindingDraft(
            section="2(f)",
            severity="warning",
            code="2f-impounded-though-driver-came",
            message=f"The car stopped at {stop.place} was impounded although a licensed driver came to take it.",
            facts={"vehicle_impounded": True, "licensed_driver_arrived": True},
            occurred_at=stop.stopped_at,
        )
    if stop.licensed_driver_offered:
        return
    yield FindingDraft(
        section="2(f)",
        severity="warning",
        code="2f-impounded-without-chance",
        message=f"The car stopped at {stop.place} was impounded without the driver being offered the chance to "
        "call a licensed driver.",
        facts={"vehicle_impounded": True, "licensed_driver_offered": False},
        occurred_at=stop.stopped_at,
    )
