"""The demo city's unlicensed-driver stops, one of each kind, and one that breaks 2(f): a driver taken into
custody with no other arrestable violation, the car towed without the chance to call a licensed driver."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model

from traffic import services
from traffic.models import UnlicensedDriverStop
from welcoming.selectors import municipality_get

STOPS = [
    # (days ago, place, officer, badge, action, other violation, offered, arrived, impounded)
    (40, "Harbor Street at Elm", "Officer Pat Moreno", "152", "summons", "", True, True, False),
    (25, "Route 1A northbound", "Officer Dana Booker", "377", "citation", "", True, False, True),
    (12, "Dock Road", "Sergeant Lee Park", "88", "custodial_arrest", "Outstanding criminal warrant", True, False, True),
    (6, "Main Street by the library", "Officer Sam Ortiz", "214", "warning", "", True, True, False),
    (3, "Cove Avenue", "Officer Dana Booker", "377", "custodial_arrest", "", False, False, True),  # breaks 2(f)
]


def seed(*, now=None) -> int:
    clerk = get_user_model().objects.filter(username="clerk").first()
    municipality = municipality_get()
    if clerk is None or municipality is None or UnlicensedDriverStop.objects.exists():
        return 0
    zone = ZoneInfo(municipality.time_zone)
    today = datetime.now(zone).date()
    for days_ago, place, officer, badge, action, other, offered, arrived, impounded in STOPS:
        services.stop_create(
            stopped_at=datetime.combine(today - timedelta(days=days_ago), time(21, 15), tzinfo=zone),
            place=place,
            officer_name=officer,
            officer_badge=badge,
            action=action,
            other_arrestable_violation=bool(other),
            other_violation=other,
            licensed_driver_offered=offered,
            licensed_driver_arrived=arrived,
            vehicle_impounded=impounded,
            custody_reason="The driver could not be identified." if action == "custodial_arrest" and not other else "",
            by=clerk,
        )
    return len(STOPS)
