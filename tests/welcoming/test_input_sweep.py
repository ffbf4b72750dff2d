"""No 500 from any date a user can type: a year no record has is refused with a 400 naming the field."""

import io

import pytest
from django.core.management import call_command
from django.test import Client

from tests.conftest import sign_in_verified


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True  # seed_demo refuses to run otherwise
    call_command("seed_demo", stdout=io.StringIO())
    settings.DEBUG = False


def test_a_year_no_record_has_is_refused_with_a_400_naming_the_field(demo, django_user_model):
    chief = sign_in_verified(Client(), django_user_model.objects.get(username="chief"))
    far = {"start": "9999-12-31", "end": "9999-12-31"}
    page = chief.get("/reports/figures/", far)
    assert page.status_code == 400 and "Check the year" in page.content.decode()
    answer = chief.get("/api/v1/reports/figures/", far)
    assert answer.status_code == 400 and set(answer.json()) == {"start", "end"}
    assert "Check the year" in answer.json()["start"][0]
    # A list's filter: the page says so beside the field, and still lists everything below it.
    listing = chief.get("/police/detainers/", {"lodged_from": "9999-12-31"})
    assert listing.status_code == 400 and listing.context["filters"].errors["lodged_from"][0].startswith("Check the")
    assert listing.context["page"].paginator.count > 0
    api_list = chief.get("/api/v1/reimbursements/", {"received_after": "0001-01-01"})
    assert api_list.status_code == 400 and list(api_list.json()) == ["received_after"]


def test_a_nul_character_in_the_address_is_a_bad_request_said_in_json_under_the_api(demo, django_user_model):
    clerk = sign_in_verified(Client(), django_user_model.objects.get(username="clerk"))
    page = clerk.get("/police/people/", {"q": "Ana\x00"})
    assert page.status_code == 400 and "NUL character" in page.content.decode()
    answer = clerk.get("/api/v1/persons/", {"search": "\x00"})
    assert answer.status_code == 400 and "NUL character" in answer.json()["detail"]
