"""Unlicensed-driver stops under clause 2(f): each rule on both sides of its line, bad input refused by field with
nothing saved, who may log and read, the list's query count at two sizes, and the report's supplement lines."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import sign_in_verified
from traffic import services
from traffic.models import UnlicensedDriverStop
from welcoming.models import Finding
from welcoming.periods import window
from welcoming.roles import Role
from welcoming.supplement import compute

TZ = ZoneInfo("America/New_York")


@pytest.fixture
def staff(municipality, make_staff):
    return {role: make_staff(f"user-{role.value}", role) for role in Role}


@pytest.fixture
def stop(staff):
    def stop(**overrides):
        fields = {
            "stopped_at": timezone.now() - timedelta(hours=2),
            "place": "Harbor Street",
            "officer_name": "Officer Moreno",
            "officer_badge": "152",
            "action": "summons",
            # What 2(f) turns on is always said; each test changes what it is about.
            "other_arrestable_violation": False,
            "licensed_driver_offered": False,
            "licensed_driver_arrived": False,
            "vehicle_impounded": False,
            "by": staff[Role.RECORDS_CLERK],
            **overrides,
        }
        return services.stop_create(**fields)

    return stop


def found(stop):
    return {f.code: f.severity for f in Finding.objects.of_record(stop).unresolved()}


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"action": "summons"}, {}),
        ({"action": "custodial_arrest", "custody_reason": "No ID"}, {"2f-custody-no-other-violation": "violation"}),
        ({"action": "custodial_arrest", "other_arrestable_violation": True, "other_violation": "Warrant"}, {}),
        ({"vehicle_impounded": True}, {"2f-impounded-without-chance": "warning"}),
        ({"vehicle_impounded": True, "licensed_driver_offered": True}, {}),
        ({"licensed_driver_offered": True, "licensed_driver_arrived": True}, {}),
        (
            {"licensed_driver_offered": True, "licensed_driver_arrived": True, "vehicle_impounded": True},
            {"2f-impounded-though-driver-came": "warning"},
        ),
    ],
)
def test_each_rule_on_both_sides_of_its_line(stop, fields, expected):
    assert found(stop(**fields)) == expected


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"stopped_at": None, "vehicle_impounded": True}, "stopped_at"),  # an impoundment with no stop time
        ({"stopped_at": timezone.now() + timedelta(hours=1)}, "stopped_at"),
        ({"licensed_driver_arrived": True}, "licensed_driver_arrived"),
        ({"other_arrestable_violation": True}, "other_violation"),
        ({"action": "towed"}, "action"),
        ({"place": "<script>x</script>"}, "place"),
        ({"action": "custodial_arrest"}, "custody_reason"),  # why a summons was not possible
        ({"other_violation": "Speeding"}, "other_violation"),  # named, but not ticked as present
        ({"stopped_at": timezone.now().replace(year=1900)}, "stopped_at"),
    ],
)
def test_bad_input_names_its_field_and_saves_nothing(stop, fields, field):
    with pytest.raises(ValidationError) as refused:
        stop(**fields)
    assert field in refused.value.message_dict
    assert not UnlicensedDriverStop.objects.exists()


def test_only_the_clerk_logs_and_only_the_police_side_reads(staff, stop):
    for role in Role:
        if role != Role.RECORDS_CLERK:
            with pytest.raises(PermissionDenied):
                stop(by=staff[role])
    record = stop()
    for role in Role:
        response = sign_in_verified(Client(), staff[role]).get(record.get_absolute_url())
        police = role in (Role.RECORDS_CLERK, Role.INTERNAL_AFFAIRS, Role.POLICE_CHIEF)
        assert response.status_code == (200 if police else 403), role


def test_the_clerk_records_a_stop_through_the_page_and_the_api(staff):
    client = sign_in_verified(Client(), staff[Role.RECORDS_CLERK])
    when = timezone.localtime() - timedelta(hours=1)
    response = client.post(
        reverse("traffic:new"),
        {
            "stopped_at": when.strftime("%Y-%m-%dT%H:%M"),
            "place": "Cove Avenue",
            "officer_name": "Officer Booker",
            "action": "custodial_arrest",
            "custody_reason": "The driver could not be identified.",
            "other_arrestable_violation": "no",
            "licensed_driver_offered": "no",
            "licensed_driver_arrived": "no",
            "vehicle_impounded": "yes",
        },
        follow=True,
    )
    page = response.content.decode()
    assert "Stop recorded." in page and "taken into custody for driving without a license" in page
    assert "impounded without the driver being offered" in page
    said = {
        "other_arrestable_violation": False,
        "licensed_driver_offered": False,
        "licensed_driver_arrived": False,
        "vehicle_impounded": True,
    }
    bad = client.post(
        "/api/v1/traffic-stops/",
        {"place": "Dock Road", "officer_name": "Officer Park", "action": "citation", **said},
        content_type="application/json",
    )
    assert bad.status_code == 422 and "stopped_at" in bad.json()
    overflow = client.post(
        "/api/v1/traffic-stops/",
        {"stopped_at": "0001-01-01T00:00:00+05:00", "place": "X", "officer_name": "Y", "action": "citation", **said},
        content_type="application/json",
    )
    assert overflow.status_code == 400 and "stopped_at" in overflow.json()
    stop = {"stopped_at": when.isoformat(), "place": "Dock Road", "officer_name": "Officer Park", "action": "citation"}
    unanswered = client.post("/api/v1/traffic-stops/", stop, content_type="application/json")
    assert unanswered.status_code == 400 and set(unanswered.json()) == {
        "other_arrestable_violation",
        "licensed_driver_offered",
        "licensed_driver_arrived",
        "vehicle_impounded",
    }  # never read as "no"
    answers = dict.fromkeys(unanswered.json(), False)
    good = client.post("/api/v1/traffic-stops/", {**stop, **answers}, content_type="application/json")
    assert good.status_code == 201 and UnlicensedDriverStop.objects.count() == 2


@pytest.mark.parametrize("url", ["/traffic/", "/api/v1/traffic-stops/"])
def test_the_list_takes_the_same_number_of_queries_at_two_sizes(staff, stop, url, django_assert_num_queries):
    client = sign_in_verified(Client(), staff[Role.RECORDS_CLERK])
    client.get(url)
    counts = []
    for size in (2, 12):
        for _ in range(size):
            stop()
        # Sign-in and permissions (5), the profile (2), a count and a page (2), the look in the audit log (4); the page:
        # the unread count (1); the API: its rate limit (6).
        with django_assert_num_queries(14 if url == "/traffic/" else 19) as captured:
            assert client.get(url).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_the_supplement_counts_a_period_worked_out_by_hand(stop):
    """In March 2026: a summons, a citation with the car towed after the chance was offered, a custodial arrest on
    no other violation with the car towed without a chance (a violation and a warning); a warning on April 1 is
    outside."""

    def at(day):
        return datetime.combine(day, time(21), tzinfo=TZ)

    stop(stopped_at=at(date(2026, 3, 2)), action="summons")
    stop(stopped_at=at(date(2026, 3, 10)), action="citation", vehicle_impounded=True, licensed_driver_offered=True)
    stop(stopped_at=at(date(2026, 3, 31)), action="custodial_arrest", custody_reason="No ID", vehicle_impounded=True)
    stop(stopped_at=at(date(2026, 4, 1)), action="warning")
    section = next(
        s
        for s in compute(window(date(2026, 3, 1), date(2026, 3, 31), zone="America/New_York"))
        if s["key"] == "traffic_stops"
    )
    assert {line["key"]: line["value"] for line in section["lines"]} == {
        "stops": 3,
        "action_summons": 1,
        "action_citation": 1,
        "action_custodial_arrest": 1,
        "action_warning": 0,
        "impounded": 2,
        "violations": 1,
        "warnings": 1,
    }
