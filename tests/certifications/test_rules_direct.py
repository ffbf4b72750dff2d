"""Clause 2(i)'s rules called directly on unsaved requests, on both sides of each line: the warning window and
the deadline (in the town's days and with its warning days), a late decision, and a decline of an eligible victim."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from certifications import rules
from certifications.models import UVisaRequest
from welcoming.findings import RuleContext
from welcoming.models import Municipality

TZ = ZoneInfo("America/New_York")
DUE = date(2026, 5, 31)


def on(day: date, hour: int = 12, zone=TZ) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=zone)


def context(now: datetime, **town) -> RuleContext:
    return RuleContext(now=now, town=Municipality(**({"time_zone": "America/New_York"} | town)))


def request(**fields) -> UVisaRequest:
    values = {"received_on": date(2026, 3, 2), "due_on": DUE, "decision": "pending", "qualifying_crime": "extortion"}
    return UVisaRequest(**(values | fields))


def codes(rule, record, ctx) -> list[str]:
    return [draft.code for draft in rule(record, ctx)]


def test_2i_a_pending_request_warns_from_the_warning_days_before_its_due_date():
    assert codes(rules.decision_due, request(), context(on(DUE - timedelta(days=15)))) == []
    [warning] = rules.decision_due(request(), context(on(DUE - timedelta(days=14), hour=0)))
    assert (warning.code, warning.severity) == ("2i-decision-due-soon", "warning")
    assert warning.occurred_at == on(DUE - timedelta(days=14), hour=0)


def test_2i_the_towns_warning_days_move_the_window():
    assert codes(rules.decision_due, request(), context(on(DUE - timedelta(days=14)), u_visa_warning_days=7)) == []


def test_2i_due_today_is_not_late_and_the_next_day_is():
    assert codes(rules.decision_due, request(), context(on(DUE, hour=23))) == ["2i-decision-due-soon"]
    [late] = rules.decision_due(request(), context(on(DUE + timedelta(days=1), hour=0)))
    assert (late.code, late.message) == (
        "2i-decision-late",
        "The U visa certification request received 2026-03-02 was due for a decision on 2026-05-31 and is still "
        "undecided.",
    )
    assert late.occurred_at == on(DUE + timedelta(days=1), hour=0)


def test_2i_the_day_is_the_towns_not_the_servers():
    # 03:00 UTC on June 1 is still May 31 in Boston: due today, not late.
    one_am_utc = datetime(2026, 6, 1, 3, 0, tzinfo=ZoneInfo("UTC"))
    assert codes(rules.decision_due, request(), context(one_am_utc)) == ["2i-decision-due-soon"]
    assert codes(rules.decision_due, request(), context(one_am_utc, time_zone="UTC")) == ["2i-decision-late"]


def test_2i_a_decision_dated_or_entered_after_the_due_date_is_late():
    on_time = request(decision="certified", decided_on=DUE, decision_recorded_at=on(DUE))
    assert codes(rules.decision_due, on_time, context(on(DUE + timedelta(days=30)))) == []
    backdated = request(decision="certified", decided_on=DUE, decision_recorded_at=on(DUE + timedelta(days=1)))
    assert codes(rules.decision_due, backdated, context(on(DUE + timedelta(days=30)))) == ["2i-decision-late"]


def test_2i_declining_a_helpful_victim_of_a_qualifying_crime_is_a_violation():
    declined = request(decision="declined", decided_on=DUE, helpfulness="is_being")
    [draft] = rules.declined_though_eligible(declined, context(on(DUE)))
    assert draft.code == "2i-declined-eligible" and draft.occurred_at == on(DUE)


def test_2i_a_decline_is_lawful_where_the_victim_refused_help_or_the_crime_is_left_to_judgment():
    refused = request(decision="declined", decided_on=DUE, helpfulness="refused")
    other = request(decision="declined", decided_on=DUE, helpfulness="is_being", qualifying_crime="other")
    certified = request(decision="certified", decided_on=DUE, helpfulness="is_being")
    for record in (refused, other, certified):
        assert codes(rules.declined_though_eligible, record, context(on(DUE))) == []


def test_2i_a_voided_request_is_checked_against_nothing():
    voided = request(voided_at=on(DUE))
    assert codes(rules.decision_due, voided, context(on(DUE + timedelta(days=1)))) == []
