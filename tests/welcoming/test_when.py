"""Times as the town's clocks showed them (`welcoming.local_time.when`)."""

from datetime import UTC, datetime

import pytest

from welcoming.local_time import when


@pytest.mark.parametrize(
    ("moment", "said"),
    [
        (datetime(2026, 11, 1, 5, 30, tzinfo=UTC), "2026-11-01 01:30 EDT"),  # the first 01:30
        (datetime(2026, 11, 1, 6, 30, tzinfo=UTC), "2026-11-01 01:30 EST"),  # the same clock time an hour later
        (datetime(2026, 11, 1, 7, 30, tzinfo=UTC), "2026-11-01 02:30"),
        (datetime(2026, 3, 8, 7, 30, tzinfo=UTC), "2026-03-08 03:30"),  # the night clocks spring forward
    ],
)
def test_a_time_in_the_hour_that_repeats_carries_its_zone(moment, said):
    assert when(moment, "America/New_York") == said
