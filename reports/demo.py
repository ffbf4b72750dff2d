"""The demo city's reports: every past period signed by the chief some days after it ended, with a comment;
the current period stays a draft. Run by `seed_demo` after the police records; safe to repeat."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.utils import timezone

from reports import selectors, services
from reports.models import Report
from welcoming.selectors import municipality_get

COMMENTS = [
    "The first period under the ordinance. Every officer completed the training on detainers in June.",
    "One person was held forty minutes past bail on a detainer while a supervisor signed the release. "
    "Internal affairs reviewed it; release paperwork no longer waits for a supervisor.",
    "A request for a release time was answered by phone in November, contrary to clause 2(e). The officer "
    "was retrained and the answer is now always given by the records unit.",
    "",
]


def seed(*, now=None) -> int:
    """Sign each past period's report that is not signed yet; return how many were signed."""
    municipality = municipality_get()
    chief = get_user_model().objects.filter(username="chief").first()
    if municipality is None or chief is None:
        return 0
    now = now or timezone.now()
    zone = ZoneInfo(municipality.time_zone)
    signed = 0
    for period in reversed(selectors.reporting_periods(municipality, today=selectors.today_local(municipality, now))):
        if (
            period.end >= selectors.today_local(municipality, now)
            or Report.objects.filter(period_start=period.start).exists()
        ):
            continue
        at = datetime.combine(period.end + timedelta(days=12), time(10, 30), tzinfo=zone)
        services.report_freeze(
            period_number=period.number,
            by=chief,
            comment=COMMENTS[period.number % len(COMMENTS)],
            now=min(at, now),
        )
        signed += 1
    return signed
