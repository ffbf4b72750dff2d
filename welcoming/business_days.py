"""Business-day arithmetic, in one place every deadline uses: Massachusetts legal holidays (the `holidays`
package, US subdivision MA) plus the municipality's own days (Suffolk County keeps Evacuation Day and Bunker
Hill Day). The day something arrives is day 0.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _massachusetts(year: int) -> dict[date, str]:
    return dict(holidays.country_holidays("US", subdiv="MA", years=year))


@dataclass(frozen=True)
class BusinessCalendar:
    local_days: tuple[tuple[int, int, str], ...] = field(default=())  # (month, day, name), every year

    def holidays(self, year: int) -> dict[date, str]:
        days = dict(_massachusetts(year))
        for month, day, name in self.local_days:
            if month == 2 and day == 29 and not _is_leap(year):
                continue
            days.setdefault(date(year, month, day), name)
        return days

    def holiday_name(self, day: date) -> str | None:
        return self.holidays(day.year).get(day)

    def is_business_day(self, day: date) -> bool:
        return day.weekday() < 5 and self.holiday_name(day) is None

    def add_business_days(self, start: date, count: int) -> date:
        """The date `count` business days after `start` (which is day 0, whatever kind of day it is)."""
        if count < 0:
            raise ValueError("count must not be negative")
        day = start
        while count:
            day += timedelta(days=1)
            if self.is_business_day(day):
                count -= 1
        return day

    def subtract_business_days(self, end: date, count: int) -> date:
        """The latest date that is `count` business days before `end`."""
        day = end
        while count:
            day -= timedelta(days=1)
            if self.is_business_day(day):
                count -= 1
        return day

    def subtract_business_hours(self, end: datetime, hours: int) -> datetime:
        """The moment `hours` hours before `end` counting only hours that fall on business days, on the wall
        clock of `end`'s zone (the Open Meeting Law's 48 hours "not counting Saturdays, Sundays and legal
        holidays": a Tuesday 7 pm meeting's agenda is posted by the Friday before, 7 pm)."""
        zone, remaining = end.tzinfo, timedelta(hours=hours)
        moment = end.replace(tzinfo=None)
        while True:
            midnight = datetime.combine(moment.date(), time.min)
            if moment == midnight:  # the end of the day before
                midnight -= timedelta(days=1)
            if self.is_business_day(midnight.date()):
                available = moment - midnight
                if available >= remaining:
                    return (moment - remaining).replace(tzinfo=zone)
                remaining -= available
            moment = midnight

    def business_days_between(self, start: date, end: date) -> int:
        """Business days after `start` up to and including `end` (0 when `end` is not after `start`)."""
        days, day = 0, start
        while day < end:
            day += timedelta(days=1)
            days += self.is_business_day(day)
        return days


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
