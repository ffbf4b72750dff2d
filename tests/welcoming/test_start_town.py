"""A real town's first hour: `start_town` on an empty database, and its refusals (README, "Setting up your town")."""

import io
from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from welcoming.demo import DEMO_USERS
from welcoming.models import Municipality
from welcoming.roles import Role
from welcoming.selectors import user_roles

PASSWORD = "a long town password 2026"
TOWN = {
    "name": "Amesfield",
    "kind": "town",
    "instrument": "bylaw",
    "instrument_number": "2025-3",
    "date_of_passage": date(2025, 5, 6),
    "police_department_name": "Amesfield Police Department",
    "chief_title": "Chief of Police",
    "chief_name": "Dana Okafor",
    "complaints_office": "Office of Diversity and Inclusion",
    "complaints_office_phone": "(978) 555-0142",
    "time_zone": "America/New_York",
    "admin_username": "it-lead",
    "admin_email": "it@amesfield.example",
}


def start_town(**changes):
    out = io.StringIO()
    call_command("start_town", interactive=False, stdout=out, **{**TOWN, **changes})
    return out.getvalue()


@pytest.fixture
def password(monkeypatch):
    monkeypatch.setenv("START_TOWN_ADMIN_PASSWORD", PASSWORD)


def test_a_town_starts_with_its_profile_and_one_administrator_and_nothing_of_the_demo(db, password):
    said = start_town()
    town = Municipality.objects.get()
    assert (town.name, town.kind, town.is_demo) == ("Amesfield", "town", False)
    assert town.complaints_office_phone == "(978) 555-0142"
    [admin] = get_user_model().objects.all()
    assert admin.username == "it-lead" and not admin.is_superuser and not admin.is_staff
    assert list(user_roles(admin)) == [Role.ADMINISTRATOR]
    assert "/accounts/sign-in/" in said and "it-lead" in said and "QR code" in said
    assert not get_user_model().objects.filter(username__in=[username for username, *_ in DEMO_USERS]).exists()
    page = Client().get(reverse("welcoming:login")).content.decode()
    assert "Amesfield" in page and "Harborview" not in page and "Demo data" not in page
    # The first sign-in goes on to enrol an authenticator app: nothing else stands between the IT lead and the app.
    client = Client()
    response = client.post(reverse("welcoming:login"), {"username": "it-lead", "password": PASSWORD}, follow=True)
    assert response.request["PATH_INFO"] == reverse("welcoming:enrol")


def test_the_demos_database_is_refused_and_left_as_it_was(db, password, settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    users = get_user_model().objects.count()
    with pytest.raises(CommandError, match="holds the demo town"):
        start_town()
    assert Municipality.objects.get().name == "Harborview" and get_user_model().objects.count() == users


def test_a_town_already_set_up_is_not_set_up_again(db, password):
    start_town()
    with pytest.raises(CommandError, match="already set up for Town of Amesfield"):
        start_town(name="Other", admin_username="someone-else")
    assert get_user_model().objects.count() == 1 and Municipality.objects.get().name == "Amesfield"


@pytest.mark.parametrize(
    ("changes", "said"),
    [
        ({"time_zone": "America/Boston"}, "--time-zone: “America/Boston” is no time zone"),
        ({"date_of_passage": date.today() + timedelta(days=30)}, "--date-of-passage: The date of passage is in the"),
        ({"name": ""}, "--name: This field cannot be blank."),
    ],
)
def test_a_wrong_profile_is_refused_by_flag_and_nothing_is_saved(db, password, changes, said):
    with pytest.raises(CommandError, match=said):
        start_town(**changes)
    assert not Municipality.objects.exists() and not get_user_model().objects.exists()


def test_without_a_password_or_a_required_value_it_says_which_and_saves_nothing(db, monkeypatch):
    monkeypatch.delenv("START_TOWN_ADMIN_PASSWORD", raising=False)
    with pytest.raises(CommandError, match="START_TOWN_ADMIN_PASSWORD"):
        start_town()
    monkeypatch.setenv("START_TOWN_ADMIN_PASSWORD", "short")
    with pytest.raises(CommandError, match="--admin-password: This password is too short"):
        start_town()
    monkeypatch.setenv("START_TOWN_ADMIN_PASSWORD", PASSWORD)
    with pytest.raises(CommandError, match="--admin-email: Enter a valid email address."):
        start_town(admin_email="not an address")
    town = {key: value for key, value in TOWN.items() if key != "complaints_office"}
    with pytest.raises(CommandError, match="--complaints-office is needed"):
        call_command("start_town", interactive=False, stdout=io.StringIO(), **town)
    assert not Municipality.objects.exists() and not get_user_model().objects.exists()
