"""Reads about U visa certification requests: who sees them (the police side and the certifying officials), the
officials' queue by due date, and the report's supplement lines."""

import statistics
from datetime import date, timedelta

from django.db.models import Count, Q
from django.http import Http404

from certifications.models import UVisaRequest
from welcoming import supplement
from welcoming.periods import Window
from welcoming.selectors import today_local, town_profile

VIEW = "welcoming.view_u_visa_requests"
DECIDE = "welcoming.decide_u_visa_requests"


def requests_for(*, user):
    requests = UVisaRequest.objects.select_related("victim", "certifying_official")
    return requests if user.has_perm(VIEW) else requests.none()


def request_for(*, user, pk) -> UVisaRequest:
    request = requests_for(user=user).filter(pk=pk).first()
    if request is None:
        raise Http404("No such request.")
    return request


def requests_search(*, user, query: str = "", decision: str = "", overdue: bool = False, today: date):
    requests = requests_for(user=user)
    if query := query.strip():
        requests = requests.filter(
            Q(victim__full_name__icontains=query) | Q(requester_name__icontains=query) | Q(case_number__iexact=query)
        )
    if decision:
        requests = requests.filter(decision=decision)
    if overdue:
        requests = requests.filter(decision=UVisaRequest.Decision.PENDING, due_on__lt=today)
    return requests.order_by("-received_on", "-id")


def decision_queue(*, user):
    """Pending requests, the earliest due first: the certifying officials' queue."""
    return requests_for(user=user).active().pending().order_by("due_on", "received_on", "id")


def requests_due_soon(*, today: date):
    warning_days = town_profile().u_visa_warning_days
    return (
        UVisaRequest.objects.active()
        .pending()
        .filter(due_on__lte=today + timedelta(days=warning_days), warned_at__isnull=True)
    )


def queue_summary(user) -> dict:
    today = today_local()
    warning_days = town_profile().u_visa_warning_days
    pending = UVisaRequest.objects.active().pending()
    counts = pending.aggregate(
        pending=Count("pk"),
        overdue=Count("pk", filter=Q(due_on__lt=today)),
        due_soon=Count("pk", filter=Q(due_on__gte=today, due_on__lte=today + timedelta(days=warning_days))),
    )
    return {**counts, "next": list(decision_queue(user=user)[:5]), "today": today}


def supplement_lines(window: Window) -> list[supplement.Line]:
    """Received in the period; decided in it, by decision, with the median days to decision; pending and overdue
    at its end. Three queries, whatever the data."""
    requests = UVisaRequest.objects.active()
    received = requests.filter(received_on__gte=window.start, received_on__lte=window.end).count()
    decided = list(
        requests.filter(decided_on__gte=window.start, decided_on__lte=window.end).values_list(
            "decision", "received_on", "decided_on"
        )
    )
    by_decision = {value: sum(1 for d, _, _ in decided if d == value) for value in UVisaRequest.Decision.values}
    at_end = (
        requests.filter(received_on__lte=window.end)
        .filter(Q(decided_on__isnull=True) | Q(decided_on__gt=window.end))
        .aggregate(pending=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=window.end)))
    )
    # Days to decision for what was decided (a withdrawal is the requester's act); a half day rounds up.
    days = [
        (decided_on - received_on).days
        for decision, received_on, decided_on in decided
        if decision in (UVisaRequest.Decision.CERTIFIED, UVisaRequest.Decision.DECLINED)
    ]
    median_days = int(statistics.median(days) + 0.5) if days else None
    return [
        supplement.Line("received", "Requests received", received),
        supplement.Line("certified", "Certified in the period", by_decision[UVisaRequest.Decision.CERTIFIED]),
        supplement.Line("declined", "Declined in the period", by_decision[UVisaRequest.Decision.DECLINED]),
        supplement.Line("withdrawn", "Withdrawn in the period", by_decision[UVisaRequest.Decision.WITHDRAWN]),
        supplement.Line("pending_at_end", "Pending at the end of the period", at_end["pending"]),
        supplement.Line("overdue_at_end", "Of those, past their due date", at_end["overdue"]),
        supplement.Line(
            "median_days_to_decision",
            "Median days from request to decision",
            median_days,
            none_because="no request was certified or declined in the period",
        ),
    ]
