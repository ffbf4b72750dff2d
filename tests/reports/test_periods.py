"""Reporting periods as the app lists them: from the date of passage, never chained, each with its due date."""

from datetime import date

import pytest

from reports import selectors
from tests.conftest import setup_actor
from tests.reports.conftest import local
from welcoming.municipality import municipality_configure


@pytest.fixture
def passed_on_august_31(municipality):
    return municipality_configure(by=setup_actor(), date_of_passage=date(2025, 8, 31), report_due_days=30)


def test_periods_from_august_31_cross_february_without_drifting(passed_on_august_31):
    periods = selectors.reporting_periods(passed_on_august_31, today=date(2027, 3, 1))
    assert [(p.start, p.end, p.due_on, p.is_current) for p in periods] == [
        (date(2027, 2, 28), date(2027, 8, 30), date(2027, 9, 29), True),
        (date(2026, 8, 31), date(2027, 2, 27), date(2027, 3, 29), False),  # back on the 31st
        (date(2026, 2, 28), date(2026, 8, 30), date(2026, 9, 29), False),
        (date(2025, 8, 31), date(2026, 2, 27), date(2026, 3, 29), False),
    ]


def test_a_period_ending_in_february_holds_its_last_evening_and_not_the_next_morning(passed_on_august_31, records):
    custody = records.custody(booked=local(2026, 2, 27, 20))
    records.lodge(custody, at=local(2026, 2, 27, 23, 30))
    records.lodge(custody, at=local(2026, 2, 28, 0, 0), form="I-200", reasons=[("not_stated", "")])
    first, second = (
        selectors.figures(
            municipality=passed_on_august_31,
            window=selectors.figures_window(municipality=passed_on_august_31, start=start, end=end),
        )["lodged"]
        for start, end in [(date(2025, 8, 31), date(2026, 2, 27)), (date(2026, 2, 28), date(2026, 8, 30))]
    )
    assert (first["immigration_detainer"]["total"], first["administrative_warrant"]["total"]) == (1, 0)
    assert (second["immigration_detainer"]["total"], second["administrative_warrant"]["total"]) == (0, 1)


def test_the_first_tracked_period_is_the_oldest_listed(municipality):
    profile = municipality_configure(by=setup_actor(), first_tracked_period_start=date(2025, 6, 1))
    periods = selectors.reporting_periods(profile, today=date(2026, 7, 1))
    assert [p.start for p in periods] == [date(2026, 6, 1), date(2025, 12, 1), date(2025, 6, 1)]


def test_before_passage_there_is_no_period(municipality):
    assert selectors.reporting_periods(municipality, today=date(2024, 5, 31)) == []
    assert selectors.current_period(municipality, today=date(2024, 5, 31)) is None
    today = date(2024, 6, 1)
    assert selectors.current_period(municipality, today=today).end == date(2024, 11, 30)
