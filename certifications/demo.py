"""The demo city's U visa certification requests, in every state: one pending and near its due date, two
certified (one expedited), one declined because the victim refused to help, one withdrawn. Logged by the
records clerk and decided by the chief or the certifying official, through the services. Safe to repeat."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.utils import timezone

from certifications import services
from certifications.models import UVisaRequest
from detainers import services as detainer_services
from welcoming.findings import findings_reconcile
from welcoming.selectors import municipality_get, today_local

REQUESTS = [
    # (victim, days ago, requester, crime, helpfulness, expedited, decision, decided days ago, decider, reason)
    ("Lucía Morales", 80, "attorney", "domestic_violence", "has_been", False, None, None, None, ""),
    ("Thanh Nguyen", 9, "advocate", "human_trafficking", "is_being", True, "certified", 4, "chief", ""),
    ("Marie-Claire Baptiste", 70, "attorney", "felonious_assault", "has_been", False, "certified", 40, "certifier", ""),
    (
        "Jorge Salas",
        120,
        "attorney",
        "extortion",
        "refused",
        False,
        "declined",
        75,
        "chief",
        "The victim declined three requests to identify the suspect or give a statement.",
    ),
    ("Ana Lima", 30, "victim", "stalking", "likely", False, "withdrawn", 20, "certifier", "The requester withdrew it."),
]


def seed(*, now=None) -> int:
    users = {u.username: u for u in get_user_model().objects.filter(username__in=["clerk", "chief", "certifier"])}
    if len(users) < 3 or UVisaRequest.objects.exists():
        return 0
    today = today_local(now=now)
    zone = ZoneInfo(municipality_get().time_zone)

    def at(day):  # the clerk logs a request, and the official decides, during that day's office hours
        return datetime.combine(day, time(10), tzinfo=zone)

    for name, days_ago, requester, crime, helpfulness, expedited, decision, decided_ago, decider, reason in REQUESTS:
        victim = detainer_services.person_create(full_name=name, by=users["clerk"])
        request = services.u_visa_request_create(
            received_on=today - timedelta(days=days_ago),
            requester_kind=requester,
            requester_name="Harborview Legal Aid" if requester == "attorney" else "Safe Harbor Advocates",
            victim=victim,
            case_number=f"HPD-{2026 - days_ago // 365}-{400 + days_ago}",
            qualifying_crime=crime,
            helpfulness=helpfulness,
            expedited=expedited,
            expedite_reason="The victim is in removal proceedings." if expedited else "",
            by=users["clerk"],
            now=at(today - timedelta(days=days_ago)),
        )
        if decision:
            services.u_visa_decide(
                request=request,
                by=users[decider],
                decision=decision,
                decided_on=today - timedelta(days=decided_ago),
                reason=reason,
                now=at(today - timedelta(days=decided_ago)),
            )
    # Logged in the past, checked then: check the pending ones again as of now, as the scheduler would.
    for request in UVisaRequest.objects.pending():
        findings_reconcile(record=request, now=now or timezone.now())
    return len(REQUESTS)
