"""The demo town's users: one per role, and each can sign in with the secret printed for it."""

import pyotp
import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from welcoming.demo import DEMO_PASSWORD, DEMO_USERS, demo_totp_secret
from welcoming.roles import Role
from welcoming.selectors import user_roles


@pytest.fixture
def local_run(settings, db):
    settings.DEBUG = True


def test_seed_demo_makes_one_user_per_role_and_is_safe_to_repeat(local_run, capsys):
    call_command("seed_demo")
    call_command("seed_demo")
    users = get_user_model().objects.prefetch_related("groups")
    assert users.count() == len(Role)
    assert sorted(role for user in users for role in user_roles(user)) == sorted(Role)
    out = capsys.readouterr().out
    assert demo_totp_secret("chief") in out and DEMO_PASSWORD in out


def test_each_demo_user_signs_in_with_the_printed_secret(local_run):
    call_command("seed_demo")
    for username, *_ in DEMO_USERS:
        client = Client()
        client.post(reverse("welcoming:login"), {"username": username, "password": DEMO_PASSWORD})
        code = pyotp.TOTP(demo_totp_secret(username)).now()
        response = client.post(reverse("welcoming:verify"), {"code": code}, follow=True)
        assert response.request["PATH_INFO"] == reverse("welcoming:home"), username


def test_demo_users_are_refused_in_production(db):
    with pytest.raises(CommandError, match="DEBUG off"):
        call_command("seed_demo")
    assert not get_user_model().objects.exists()


def test_seed_demo_never_touches_an_existing_account(local_run):
    from tests.conftest import PASSWORD
    from welcoming import services

    real = services.staff_user_create(username="chief", password=PASSWORD, roles=[Role.POLICE_CHIEF])
    call_command("seed_demo")
    real.refresh_from_db()
    assert real.check_password(PASSWORD)
    assert not real.totpdevice_set.exists()  # no demo secret planted on it
