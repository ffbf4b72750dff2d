"""The demo town's users: one per role, and each can sign in with the secret printed for it."""

import re
from pathlib import Path

import pyotp
import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from tests.bench.seed_bulk import seed_bulk
from welcoming.acting import people
from welcoming.demo import DEMO_PASSWORD, DEMO_USERS, demo_totp_secret
from welcoming.models import Municipality
from welcoming.roles import Role
from welcoming.selectors import user_roles


@pytest.fixture
def local_run(settings, db):
    settings.DEBUG = True


def test_seed_demo_makes_one_user_per_role_and_is_safe_to_repeat(local_run, capsys):
    call_command("seed_demo")
    call_command("seed_demo")
    # The scheduler's account checked the reports against their records: it is not a person.
    users = people(get_user_model().objects).prefetch_related("groups")
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


def test_seed_demo_refuses_a_database_with_accounts_it_did_not_create(local_run):
    from tests.conftest import PASSWORD
    from welcoming.accounts import staff_user_create

    real = staff_user_create(username="chief", password=PASSWORD, roles=[Role.POLICE_CHIEF])
    with pytest.raises(CommandError, match="accounts the demo did not create"):
        call_command("seed_demo")
    real.refresh_from_db()
    assert real.check_password(PASSWORD)
    assert not real.totpdevice_set.exists()  # no demo secret planted on it
    assert get_user_model().objects.count() == 1 and not Municipality.objects.exists()


def test_seed_demo_refuses_a_real_towns_database_whatever_debug_says(local_run, municipality):
    accounts = get_user_model().objects.count()  # the profile's set-up actor, no one else
    with pytest.raises(CommandError, match="own records, not the demo"):
        call_command("seed_demo")
    assert get_user_model().objects.count() == accounts
    assert not Municipality.objects.get().is_demo


def test_seed_bulk_refuses_a_real_towns_database_too(local_run, municipality):
    with pytest.raises(CommandError, match="own records, not the demo: seed_bulk fills only"):
        seed_bulk()
    assert not Municipality.objects.get().is_demo


def test_every_page_of_the_demo_says_it_is_not_a_real_town_and_a_real_towns_never_does(local_run, client):
    call_command("seed_demo")
    banner = "Demo data — not a real town."
    assert Municipality.objects.get().is_demo
    for path in (reverse("welcoming:login"), reverse("complaints:public-new")):
        assert banner in client.get(path).content.decode(), path
    Municipality.objects.update(is_demo=False)
    assert banner not in client.get(reverse("welcoming:login")).content.decode()


def test_the_readme_gives_the_code_command_make_run_prints():
    root = Path(__file__).resolve().parents[2]
    printed = re.search(r"one-time codes: (.+demo_codes)", (root / "Makefile").read_text()).group(1)
    assert f"\n{printed}\n" in (root / "README.md").read_text()
