"""The demo city's reports: every past period but the most recent signed by the chief some days after it
ended, with a comment, then received, forwarded and docketed by the municipal clerk — the older ones heard at
past meetings, the latest on the agenda of an upcoming one. The most recent past period awaits the chief's
signature, so a newcomer can sign; after the last signature a document lodged in that period was imported, so
its report has drifted and a newcomer sees the warning and can sign a correction. No step is dated in the future
or before the step it follows. Run by `seed_demo` after the police records; safe to repeat."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.utils import timezone

from detainers import imports
from reports import selectors, services
from reports.models import DocketItem, Report
from welcoming.acting import system_actor
from welcoming.roles import SystemActor
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
    """Sign each past period's report but the most recent, if not signed yet; return how many were signed."""
    municipality = municipality_get()
    chief = get_user_model().objects.filter(username="chief").first()
    if municipality is None or chief is None:
        return 0
    now = now or timezone.now()
    zone = ZoneInfo(municipality.time_zone)
    today = selectors.today_local(municipality, now)
    past = [p for p in selectors.reporting_periods(municipality, today=today) if p.end < today]
    signed = 0
    for period in reversed(past[1:]):  # the most recent past period is left for the newcomer to sign
        if Report.objects.filter(period_start=period.start).exists():
            continue
        at = datetime.combine(period.end + timedelta(days=12), time(10, 30), tzinfo=zone)
        services.report_freeze(
            period_number=period.number,
            by=chief,
            comment=COMMENTS[period.number % len(COMMENTS)],
            now=min(at, now),
        )
        signed += 1
    _docket(municipality, now=now)
    if signed:
        _drift(municipality, now=now)
    return signed


# A document the records system sent late: lodged in May 2026 (the period ending May 31, which the demo always
# signs), served on the person at once, and imported after the report was signed.
LATE_IMPORT = (
    b"source,custody_id,full_name,booked_at,basis,detainer_id,form,received_via,lodged_at,reasons,judicial_warrant,"
    b"copy_served_at\n"
    b"RMS,BK-DEMO-LATE,Demo Late Import,2026-05-11 07:40,criminal_charge,DT-DEMO-LATE,I-247A,fax,2026-05-11 09:40,"
    b"final_order,no,2026-05-11 10:10\n"
)


def _drift(municipality, *, now) -> None:
    """Import the late document into a signed period, then check the reports against their records as the
    scheduler would, so the warning is there when the newcomer signs in."""
    clerk = get_user_model().objects.filter(username="clerk").first()
    if clerk is None or not Report.objects.filter(period_end__gte="2026-05-11", period_start__lte="2026-05-11"):
        return
    imports.import_records(data=LATE_IMPORT, by=clerk, now=now)
    services.reports_drift_check(by=system_actor(SystemActor.SCHEDULER), now=now)


def _docket(municipality, *, now) -> None:
    """Each signed report received, forwarded and docketed; the older ones heard at past meetings, where the
    committee accepted them; the latest on the agenda of a meeting ten days from now."""
    town_clerk = get_user_model().objects.filter(username="townclerk").first()
    if town_clerk is None or DocketItem.objects.exists():
        return
    zone = ZoneInfo(municipality.time_zone)
    reports = list(Report.objects.current().order_by("period_start"))
    for n, report in enumerate(reports):
        day = report.signed_at

        def after(days: int, day=day):  # each step some days after signing, and never later than now
            return min(day + timedelta(days=days), now)

        services.report_receive(report=report, by=town_clerk, now=after(1))
        services.report_forward(report=report, by=town_clerk, now=after(2))
        item = services.report_docket(
            report=report,
            number=f"{report.period_end:%Y}-{301 + n * 17}",
            title=selectors.docket_title(report),
            by=town_clerk,
            now=after(3),
        )
        latest = n == len(reports) - 1
        meeting_day = (
            (now.astimezone(zone) + timedelta(days=10)).date() if latest else (day + timedelta(days=21)).date()
        )
        meeting = services.meeting_create(
            body=municipality.committee_name,
            starts_at=datetime.combine(meeting_day, time(18, 30), tzinfo=zone),
            place="City Hall, Room 204, and by video",
            by=town_clerk,
        )
        item = services.docket_place_on_agenda(item=item, meeting=meeting, by=town_clerk, now=after(4))
        if not latest:
            services.meeting_agenda_posted(meeting=meeting, at=meeting.starts_at - timedelta(days=5), by=town_clerk)
            services.docket_action_record(
                item=item,
                action="accepted",
                note="The chief answered the committee's questions.",
                by=town_clerk,
                now=meeting.starts_at + timedelta(hours=2),
            )
