"""The administrator manages accounts, but cannot quietly become someone else or give itself a police role."""

from datetime import timedelta

from django.urls import reverse
from rest_framework.test import APIClient

from tests.conftest import sign_in_verified
from welcoming.accounts import api_token_issue
from welcoming.models import ApiToken, AuditEntry, Notification
from welcoming.roles import Role


def test_the_administrator_cannot_change_its_own_roles(client, make_staff):
    admin = make_staff("it", Role.ADMINISTRATOR)
    sign_in_verified(client, admin)
    page = client.get(reverse("admin:auth_user_change", args=[admin.pk])).content.decode()
    assert 'name="groups"' not in page  # shown read-only
    clerk_group = admin.groups.model.objects.get(name=Role.RECORDS_CLERK.label)
    client.post(
        reverse("admin:auth_user_change", args=[admin.pk]),
        {
            "username": "it",
            "is_active": "on",
            "groups": [clerk_group.pk],
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
        },
    )
    assert not admin.has_perm("welcoming.view_police_records")
    assert list(admin.groups.values_list("name", flat=True)) == [Role.ADMINISTRATOR.label]


def test_changing_someones_roles_tells_them(client, make_staff):
    admin = make_staff("it", Role.ADMINISTRATOR)
    clerk = make_staff("clerk", Role.RECORDS_CLERK)
    sign_in_verified(client, admin)
    council = admin.groups.model.objects.get(name=Role.COUNCIL_STAFF.label)
    response = client.post(
        reverse("admin:auth_user_change", args=[clerk.pk]),
        {
            "username": "clerk",
            "is_active": "on",
            "groups": [council.pk],
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
        },
    )
    assert response.status_code == 302
    notice = Notification.objects.get(recipient=clerk)
    assert notice.subject == "Your roles were changed" and "Council staff" in notice.body


def test_an_administrator_setting_a_password_revokes_tokens_and_tells_the_user(client, make_staff):
    admin = make_staff("it", Role.ADMINISTRATOR)
    chief = make_staff("chief", Role.POLICE_CHIEF)
    _, key = api_token_issue(user=chief, name="script", lifetime=timedelta(days=1))
    sign_in_verified(client, admin)
    response = client.post(
        reverse("admin:auth_user_password_change", args=[chief.pk]),
        {
            "password1": "a brand new long password 42",
            "password2": "a brand new long password 42",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302
    assert ApiToken.objects.get(user=chief).revoked_at is not None
    bearer = APIClient()
    bearer.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert bearer.get(reverse("api:me")).status_code == 401
    assert Notification.objects.filter(recipient=chief, subject="Your password was changed").exists()


def test_an_authenticator_reset_revokes_tokens_is_audited_and_told(client, make_staff):
    admin = make_staff("it", Role.ADMINISTRATOR)
    clerk = make_staff("clerk", Role.RECORDS_CLERK)
    api_token_issue(user=clerk, name="script", lifetime=timedelta(days=1))
    sign_in_verified(client, admin)
    client.post(
        reverse("admin:auth_user_changelist"),
        {
            "action": "reset_one_time_password",
            "_selected_action": [clerk.pk],
        },
    )
    assert not clerk.totpdevice_set.exists()
    assert ApiToken.objects.get(user=clerk).revoked_at is not None
    assert Notification.objects.filter(recipient=clerk, subject="Your authenticator app was reset").exists()
    entry = AuditEntry.objects.get(record_type="auth.user", record_id=str(clerk.pk), fields=["otp_devices"])
    assert entry.username == "it"


def test_a_locked_accounts_tokens_stop_working(client, clerk, settings):
    _, key = api_token_issue(user=clerk, name="script", lifetime=timedelta(days=1))
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("welcoming:login"), {"username": "clerk", "password": "wrong"})
    bearer = APIClient()
    bearer.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    response = bearer.get(reverse("api:me"))
    assert response.status_code == 401 and "locked" in response.json()["detail"]


def test_the_admin_sign_in_page_never_sends_you_off_site(client, make_staff):
    sign_in_verified(client, make_staff("it", Role.ADMINISTRATOR))
    response = client.get(reverse("admin:login") + "?next=https://evil.example/")
    assert response.status_code == 302 and response.url == reverse("admin:index")


def test_a_superuser_is_shown_as_a_risk_until_its_flag_is_removed(client, make_staff):
    admin = make_staff("it", Role.ADMINISTRATOR)
    made_by_hand = make_staff("root", Role.ADMINISTRATOR)
    made_by_hand.is_superuser = True
    made_by_hand.save()
    sign_in_verified(client, admin)
    dashboard = client.get(reverse("welcoming:home")).content.decode()
    assert "Risk:" in dashboard and "1 Django superuser account (root)" in dashboard

    listed = client.get(reverse("admin:auth_user_changelist") + "?is_superuser__exact=1").content.decode()
    change = reverse("admin:auth_user_change", args=[made_by_hand.pk])
    assert change in listed and reverse("admin:auth_user_change", args=[admin.pk]) not in listed
    response = client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "remove_superuser", "_selected_action": [made_by_hand.pk]},
        follow=True,
    )
    assert "No superuser flag left on 1 user(s)." in response.content.decode()
    made_by_hand.refresh_from_db()
    assert not made_by_hand.is_superuser
    assert AuditEntry.objects.filter(record_id=made_by_hand.pk, fields=["is_superuser"], user=admin).exists()
    assert "Risk:" not in client.get(reverse("welcoming:home")).content.decode()
