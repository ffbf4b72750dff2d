"""The API throttles: past the rate, a signed-in client or an anonymous address is answered 429 with Retry-After,
as the schema documents, and nothing of the request is done."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from welcoming import api_support
from welcoming.accounts import api_token_issue
from welcoming.roles import Role


@pytest.fixture
def low_rates(db, monkeypatch):
    cache.clear()
    monkeypatch.setattr(api_support.UserRateThrottle, "THROTTLE_RATES", {"user": "3/minute", "anon": "2/minute"})
    monkeypatch.setattr(api_support.AnonRateThrottle, "THROTTLE_RATES", {"user": "3/minute", "anon": "2/minute"})
    yield
    cache.clear()


def test_a_token_past_its_rate_is_answered_429_with_when_to_come_back(low_rates, make_staff):
    _, key = api_token_issue(user=make_staff("clerk", Role.RECORDS_CLERK), name="script", lifetime=timedelta(days=1))
    client = APIClient(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert [client.get("/api/v1/me/").status_code for _ in range(3)] == [200, 200, 200]
    refused = client.get("/api/v1/me/")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0 and "throttled" in refused.json()["detail"].lower()


def test_an_anonymous_address_past_its_rate_is_answered_429(low_rates, municipality):
    """The public docket is open to anyone, so anyone is counted, by address (a keyed hash of it, in the cache)."""
    client = APIClient(REMOTE_ADDR="203.0.113.9")
    assert [client.get("/api/v1/docket/").status_code for _ in range(2)] == [200, 200]
    assert client.get("/api/v1/docket/").status_code == 429
    # Another address is not held back by the first one's requests.
    assert APIClient(REMOTE_ADDR="203.0.113.10").get("/api/v1/docket/").status_code == 200
