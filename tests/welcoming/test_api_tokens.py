"""API tokens: issued only from a verified session, shown once, expiring and revocable; clear 401s."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from tests.conftest import sign_in_verified, sign_in_with_password
from welcoming.accounts import api_token_issue
from welcoming.models import ApiToken
from welcoming.roles import Role

ME = reverse("api:me")
TOKENS = reverse("api:token-list")


def bearer(key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def test_a_verified_session_issues_a_token_that_then_works_alone(clerk):
    session = sign_in_verified(APIClient(), clerk)
    response = session.post(TOKENS, {"name": "records export"}, format="json")
    assert response.status_code == 201
    key = response.json()["key"]
    assert response.json()["status"] == "active"
    me = bearer(key).get(ME)
    assert me.status_code == 200
    assert me.json() == {"username": "clerk", "roles": ["records_clerk"]}
    # Only a hash is kept: the key itself is nowhere in the database.
    assert not ApiToken.objects.filter(key_hash=key).exists()
    assert key not in str(list(ApiToken.objects.values_list()))


def test_a_token_cannot_issue_another_token(clerk):
    _, key = api_token_issue(user=clerk, name="script", lifetime=timedelta(days=1))
    response = bearer(key).post(TOKENS, {"name": "more"}, format="json")
    assert response.status_code == 403
    assert "issued only from a signed-in session" in response.json()["detail"]


def test_a_password_only_session_gets_nothing_from_the_api(client, clerk):
    sign_in_with_password(client, clerk)
    assert client.get(ME).status_code == 401
    assert client.post(TOKENS, {"name": "sneaky"}).status_code == 401
    assert not ApiToken.objects.exists()


def test_an_expired_token_is_refused_with_a_clear_401(clerk):
    token, key = api_token_issue(user=clerk, name="old", lifetime=timedelta(days=1))
    ApiToken.objects.filter(pk=token.pk).update(
        created_at=timezone.now() - timedelta(days=3), expires_at=timezone.now() - timedelta(days=2)
    )
    response = bearer(key).get(ME)
    assert response.status_code == 401
    assert "expired" in response.json()["detail"]
    assert response["WWW-Authenticate"] == "Bearer"


def test_a_revoked_token_is_refused_with_a_clear_401(clerk):
    token, key = api_token_issue(user=clerk, name="leaked", lifetime=timedelta(days=1))
    session = sign_in_verified(APIClient(), clerk)
    assert session.delete(reverse("api:token-detail", args=[token.pk])).status_code == 204
    response = bearer(key).get(ME)
    assert response.status_code == 401
    assert "revoked" in response.json()["detail"]


@pytest.mark.parametrize("header", ["Bearer not-a-real-token", "Bearer", "Bearer two parts"])
def test_an_unknown_or_malformed_token_is_a_401(db, header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    assert client.get(ME).status_code == 401


def test_a_deactivated_users_token_stops_working(clerk):
    _, key = api_token_issue(user=clerk, name="script", lifetime=timedelta(days=1))
    clerk.is_active = False
    clerk.save()
    assert bearer(key).get(ME).status_code == 401


def test_nobody_can_see_or_revoke_another_users_token(clerk, make_staff):
    chief = make_staff("chief", Role.POLICE_CHIEF)
    token, key = api_token_issue(user=chief, name="chief's", lifetime=timedelta(days=1))
    session = sign_in_verified(APIClient(), clerk)
    assert session.get(reverse("api:token-detail", args=[token.pk])).status_code == 404
    assert session.delete(reverse("api:token-detail", args=[token.pk])).status_code == 404
    client = sign_in_verified(Client(), clerk)
    assert client.post(reverse("welcoming:token-revoke", args=[token.pk])).status_code == 404
    assert bearer(key).get(ME).status_code == 200


def test_the_token_page_shows_a_new_key_once_and_revokes(clerk_client, clerk):
    response = clerk_client.post(reverse("welcoming:tokens"), {"name": "council figures"})
    key = response.context["issued_key"]
    assert key in response.content.decode()
    page = clerk_client.get(reverse("welcoming:tokens")).content.decode()
    assert key not in page and "council figures" in page and "Active" in page
    token = ApiToken.objects.get(user=clerk)
    response = clerk_client.post(reverse("welcoming:token-revoke", args=[token.pk]), follow=True)
    assert "was revoked" in response.content.decode()
    assert "Revoked" in response.content.decode()
    assert bearer(key).get(ME).status_code == 401


def test_a_token_without_a_name_is_refused_on_the_page(clerk_client):
    response = clerk_client.post(reverse("welcoming:tokens"), {"name": ""})
    assert "This field is required" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_token_lists_take_a_fixed_number_of_queries(clerk, django_assert_num_queries):
    for n in range(5):
        api_token_issue(user=clerk, name=f"t{n}", lifetime=timedelta(days=1))
    session = sign_in_verified(APIClient(), clerk)
    session.get(ME)  # the first request of a session stamps it; later ones within a minute do not write
    # session, user, OTP device; the profile, for the town's clocks (none here); the rate limit in the shared
    # cache (6); count and page of tokens
    with django_assert_num_queries(12):
        assert len(session.get(TOKENS).json()["results"]) == 5
    for n in range(5, 20):
        api_token_issue(user=clerk, name=f"t{n}", lifetime=timedelta(days=1))
    with django_assert_num_queries(12):
        assert len(session.get(TOKENS).json()["results"]) == 20
