from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from certifications import services
from detainers import services as detainer_services
from tests.conftest import sign_in_verified
from welcoming.roles import Role

TZ = ZoneInfo("America/New_York")


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=TZ)


@pytest.fixture
def staff(municipality, make_staff):
    return {role: make_staff(f"user-{role.value}", role) for role in Role}


@pytest.fixture
def victim(staff):
    return detainer_services.person_create(full_name="Lucía Morales", by=staff[Role.RECORDS_CLERK])


@pytest.fixture
def log(staff, victim):
    """log(received_on, **overrides) -> a request the records clerk logged that day."""

    def log(received_on: date, **overrides):
        fields = {
            "received_on": received_on,
            "requester_kind": "attorney",
            "requester_name": "Harborview Legal Aid",
            "victim": victim,
            "qualifying_crime": "domestic_violence",
            "helpfulness": "has_been",
            "expedited": False,
            "by": staff[Role.RECORDS_CLERK],
            "now": at(received_on),
            **overrides,
        }
        return services.u_visa_request_create(**fields)

    return log


@pytest.fixture
def client_of(db):
    return lambda user: sign_in_verified(Client(), user)
