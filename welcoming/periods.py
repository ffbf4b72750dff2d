"""Reporting periods, counted from the date of passage and never chained (DESIGN.md section 5).

Period n runs from passage + 6n months to the day before passage + 6(n+1) months. `relativedelta` from the
passage date each time, so a passage on August 31 gives February 28/29 and August 31, not a drifting day.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta


@dataclass(frozen=True)
class Period:
    number: int  # 0 is the first period, beginning on the date of passage
    start: date
    end: date  # inclusive

    def __str__(self):
        return f"{self.start:%B %-d, %Y} – {self.end:%B %-d, %Y}"


def period(passage: date, number: int) -> Period:
    start = passage + relativedelta(months=6 * number)
    end = passage + relativedelta(months=6 * (number + 1)) - timedelta(days=1)
    return Period(number=number, start=start, end=end)


def period_containing(passage: date, day: date) -> Period | None:
    if day < passage:
        return None
    number = max(0, ((day.year - passage.year) * 12 + day.month - passage.month) // 6 - 1)
    while period(passage, number).end < day:
        number += 1
    return period(passage, number)


def period_starts(passage: date, *, until: date) -> list[date]:
    """The first day of every period that begins on or before `until`."""
    starts, number = [], 0
    while (start := period(passage, number).start) <= until:
        starts.append(start)
        number += 1
    return starts


@dataclass(frozen=True)
class Window:
    """Inclusive local dates, and the UTC instants that bound them: [starts_at, ends_at). A record belongs to the
    window when its local date does, so a detainer lodged at 23:59 local on the last day is in, whatever its UTC
    date, and one lodged at 00:00 local on the next day is out."""

    start: date
    end: date
    starts_at: datetime
    ends_at: datetime


def window(start: date, end: date, *, zone: str) -> Window:
    tz = ZoneInfo(zone)
    return Window(
        start=start,
        end=end,
        starts_at=datetime.combine(start, time.min, tzinfo=tz),
        ends_at=datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz),
    )


def periods_moved(before: dict, after: dict) -> str:
    """What changing the profile's date of passage, first tracked period or time zone does to the reporting
    periods, in a sentence for the administrator ("" when nothing moves). Each dict holds those three settings."""
    said = []

    def first(settings: dict) -> Period:
        return period_containing(
            settings["date_of_passage"], settings["first_tracked_period_start"] or settings["date_of_passage"]
        )

    if (
        before["date_of_passage"] != after["date_of_passage"]
        or before["first_tracked_period_start"] != after["first_tracked_period_start"]
    ):
        was, now = first(before), first(after)
        said.append(f"The first tracked period was {was} and is now {now}; every later period moves with it.")
    if before["time_zone"] != after["time_zone"]:
        said.append(
            f"Each period now begins and ends at midnight in {after['time_zone']} (was {before['time_zone']}), and "
            "deadlines count on its clocks."
        )
    return " ".join(said)
