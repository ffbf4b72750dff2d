"""Clause 2(f)'s rules called directly on unsaved stops, on both sides of each line."""

from datetime import datetime
from zoneinfo import ZoneInfo

from traffic import rules
from traffic.models import UnlicensedDriverStop
from welcoming.findings import RuleContext
from welcoming.models import Municipality

STOPPED = datetime(2026, 3, 2, 22, 15, tzinfo=ZoneInfo("America/New_York"))
CONTEXT = RuleContext(now=STOPPED, town=Municipality(time_zone="America/New_York"))


def stop(**fields) -> UnlicensedDriverStop:
    values = {
        "stopped_at": STOPPED,
        "place": "Main St",
        "action": "citation",
        "other_arrestable_violation": False,
        "licensed_driver_offered": True,
        "licensed_driver_arrived": False,
        "vehicle_impounded": False,
    }
    return UnlicensedDriverStop(**(values | fields))


def codes(rule, record) -> list[str]:
    return [draft.code for draft in rule(record, CONTEXT)]


def test_2f_custody_for_driving_without_a_license_alone_is_a_violation():
    [draft] = rules.custody_for_no_license_alone(stop(action="custodial_arrest"), CONTEXT)
    assert (draft.severity, draft.occurred_at) == ("violation", STOPPED)
    assert draft.message.startswith("A driver stopped at Main St was taken into custody")


def test_2f_custody_with_another_arrestable_violation_or_a_citation_is_no_finding():
    assert (
        codes(rules.custody_for_no_license_alone, stop(action="custodial_arrest", other_arrestable_violation=True))
        == []
    )
    assert codes(rules.custody_for_no_license_alone, stop()) == []


def test_2f_impounding_without_the_chance_to_call_a_licensed_driver_is_a_warning():
    impounded = stop(vehicle_impounded=True, licensed_driver_offered=False)
    assert codes(rules.impounded_without_a_chance, impounded) == ["2f-impounded-without-chance"]
    assert codes(rules.impounded_without_a_chance, stop(vehicle_impounded=True)) == []
    assert codes(rules.impounded_without_a_chance, stop(licensed_driver_offered=False)) == []


def test_2f_impounding_though_a_licensed_driver_came_is_a_warning():
    came = stop(vehicle_impounded=True, licensed_driver_arrived=True)
    assert codes(rules.impounded_without_a_chance, came) == ["2f-impounded-though-driver-came"]


def test_2f_a_voided_stop_is_checked_against_nothing():
    voided = stop(action="custodial_arrest", vehicle_impounded=True, licensed_driver_offered=False, voided_at=STOPPED)
    assert codes(rules.custody_for_no_license_alone, voided) + codes(rules.impounded_without_a_chance, voided) == []
