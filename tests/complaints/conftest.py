"""Complaints made through the services, the way the coordinator takes them in, and the staff who work them."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from complaints import services
from tests.conftest import sign_in_verified
from welcoming.roles import Role


@pytest.fixture
def staff(municipality, make_staff):
    """One user per role (and a second investigator), by role."""
    users = {role: make_staff(f"user-{role.value}", role) for role in Role}
    users["investigator"] = make_staff("second-investigator", Role.INTERNAL_AFFAIRS)
    return users


@pytest.fixture
def coordinator(staff):
    return staff[Role.COMPLAINTS_COORDINATOR]


@pytest.fixture
def ia(staff):
    return staff[Role.INTERNAL_AFFAIRS]


@pytest.fixture
def take_in(coordinator):
    """take_in(**overrides) -> a complaint about police officers, received by phone two hours ago."""

    def take_in(*, by=None, hours_ago=2, **overrides):
        fields = {
            "received_at": timezone.now() - timedelta(hours=hours_ago),
            "channel": "phone",
            "narrative": "The officer asked about my immigration status at a traffic stop.",
            "department": "police",
            "about": "officers",
            "complainant_name": "Ana Pereira",
            "complainant_contact": "(617) 555-0142",
            "clauses": ["2(b)"],
            **overrides,
        }
        complaint, _ = services.complaint_create(by=by or coordinator, **fields)
        return complaint

    return take_in


@pytest.fixture
def routed(take_in, coordinator):
    """A police complaint with internal affairs."""
    return services.complaint_route(complaint=take_in(), by=coordinator)


@pytest.fixture
def client_of(db):
    def client_of(user):
        return sign_in_verified(Client(), user)

    return client_of
