"""Routing and deadlines (DESIGN.md section 4), through the services the way a complaint is taken in: receipt
day is day 0; acknowledgement and POST forwarding skip weekends, Massachusetts legal holidays and the
municipality's own holidays; the investigation counts calendar days."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from complaints import rules
from complaints.models import Complaint
from welcoming.models import LocalHoliday

TZ = ZoneInfo("America/New_York")


def received(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=TZ)


@pytest.mark.parametrize(
    ("department", "about", "route"),
    [
        ("police", "officers", rules.Route.INTERNAL_AFFAIRS),
        ("police", "internal_affairs", rules.Route.COORDINATOR),
        ("police", "chief", rules.Route.COORDINATOR),
        ("schools", "", rules.Route.DEPARTMENT),
        ("other", "", rules.Route.DEPARTMENT),
    ],
)
def test_each_kind_of_complaint_has_its_route(department, about, route):
    assert rules.route_for(department=department, about=about) == route


@pytest.mark.parametrize(
    ("received_on", "post_due", "why"),
    [
        (date(2026, 11, 28), date(2026, 12, 1), "received on a Saturday: Monday is day 1"),
        (date(2026, 11, 25), date(2026, 11, 30), "Thanksgiving skipped; the Friday after is a working day"),
        (date(2026, 10, 9), date(2026, 10, 14), "a weekend and Columbus Day skipped"),
        (date(2026, 4, 17), date(2026, 4, 22), "Patriots' Day, a Massachusetts legal holiday, skipped"),
        (date(2026, 3, 16), date(2026, 3, 19), "Evacuation Day, the municipality's own holiday, skipped"),
        (date(2026, 6, 16), date(2026, 6, 22), "Bunker Hill Day, then Juneteenth and a weekend skipped"),
    ],
)
def test_post_forwarding_is_due_two_business_days_after_receipt(take_in, received_on, post_due, why):
    complaint = take_in(received_at=received(received_on), alleges_bias=True)
    assert complaint.post_due_on == post_due, why


def test_an_extra_local_holiday_moves_the_deadline(take_in, municipality):
    before = take_in(received_at=received(date(2026, 7, 1)), alleges_bias=True)
    LocalHoliday.objects.create(municipality=municipality, name="Harborview Day", month=7, day=2)
    after = take_in(received_at=received(date(2026, 7, 1)), alleges_bias=True)
    # July 2 is day 1 without it; with it, day 1 is Friday July 3 and day 2 the Monday after (July 4, 2026 is a
    # Saturday, which Massachusetts does not move to a weekday).
    assert (before.post_due_on, after.post_due_on) == (date(2026, 7, 3), date(2026, 7, 6))


def test_acknowledgement_counts_business_days_and_the_investigation_calendar_days(take_in):
    complaint = take_in(received_at=received(date(2026, 11, 24)))  # a Tuesday, two days before Thanksgiving
    assert complaint.acknowledgement_due_on == date(2026, 12, 2)  # Wed 25, Fri 27, Mon 30, Tue 1, Wed 2
    assert complaint.investigation_due_on == date(2027, 2, 22)  # 90 calendar days
    assert complaint.post_due_on is None  # no bias, no force: POST need not see it


def test_receipt_late_at_night_is_still_that_day(take_in):
    """A complaint received at 23:30 on a Friday is day 0 that Friday, not Saturday."""
    complaint = take_in(received_at=received(date(2026, 11, 20), hour=23), alleges_force=True)
    assert complaint.post_due_on == date(2026, 11, 24)


def test_post_forwarding_is_only_for_police_complaints_alleging_bias_or_force(take_in):
    assert take_in(alleges_bias=True).post_due_on is not None
    assert take_in(alleges_force=True).post_due_on is not None
    assert take_in(about="chief", alleges_bias=True).post_due_on is not None  # the chief is an officer too
    assert take_in(department="schools", about="", alleges_bias=True).post_due_on is None


def test_an_acknowledgement_is_owed_only_where_a_letter_can_go():
    assert rules.acknowledgement_required(channel="finding") is False
    assert rules.acknowledgement_required(channel="online") is True  # the receipt on the page acknowledges
    assert rules.acknowledgement_required(channel="phone", contact="(617) 555-0142") is True
    assert rules.acknowledgement_required(channel="phone", contact="  ") is False  # named, but nowhere to write


def test_due_today_is_not_late_and_the_day_after_is():
    complaint = Complaint(
        acknowledgement_due_on=date(2026, 12, 1), post_due_on=date(2026, 12, 1), investigation_due_on=date(2027, 3, 1)
    )
    on_the_day = rules.overdue(complaint, date(2026, 12, 1))
    after = rules.overdue(complaint, date(2026, 12, 2))
    assert not on_the_day.any
    assert (after.acknowledgement, after.post_forwarding, after.investigation) == (True, True, False)
    assert rules.next_deadline(complaint) == date(2026, 12, 1)
    complaint.acknowledged_at = complaint.post_forwarded_at = datetime(2026, 11, 30, tzinfo=TZ)
    assert not rules.overdue(complaint, date(2026, 12, 2)).any
    assert rules.next_deadline(complaint) == date(2027, 3, 1)
