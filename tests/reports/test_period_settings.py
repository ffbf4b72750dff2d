"""What every period hangs on (the date of passage, the first tracked period, the time zone) may change until a
report is signed, saying which periods move; after that it is refused by field, and nothing is saved."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.forms.models import model_to_dict
from django.urls import reverse

from reports import services as report_services
from tests.conftest import setup_actor, sign_in_verified
from welcoming.municipality import municipality_configure
from welcoming.roles import Role
from welcoming.selectors import municipality_get

PERIOD = 3  # December 1, 2025 – May 31, 2026: over, whatever day the tests run


def profile_post(client, municipality, **changes):
    """The administrator's profile form as the page sends it back, with `changes` typed over it."""
    data = {name: "" if value is None else value for name, value in model_to_dict(municipality).items()}
    holidays = list(municipality.local_holidays.all())
    data |= {"local_holidays-TOTAL_FORMS": len(holidays), "local_holidays-INITIAL_FORMS": len(holidays)}
    for index, holiday in enumerate(holidays):
        row = {"id": holiday.pk, "municipality": municipality.pk, "name": holiday.name}
        data |= {
            f"local_holidays-{index}-{key}": value
            for key, value in {**row, "month": holiday.month, "day": holiday.day}.items()
        }
    data |= changes
    return client.post(reverse("admin:welcoming_municipality_change", args=[municipality.pk]), data, follow=True)


@pytest.fixture
def admin_web(client, make_staff):
    return sign_in_verified(client, make_staff("it", Role.ADMINISTRATOR))


def test_before_any_signature_the_date_of_passage_changes_and_says_which_periods_move(admin_web, municipality):
    page = profile_post(admin_web, municipality, date_of_passage="2024-03-01").content.decode()
    assert (
        "The first tracked period was June 1, 2024 – November 30, 2024 and is now March 1, 2024 – August 31, 2024"
        in page
    )
    assert str(municipality_get().date_of_passage) == "2024-03-01"


def test_after_a_signature_what_the_periods_hang_on_is_refused_beside_its_field(admin_web, municipality, make_staff):
    report_services.report_freeze(period_number=PERIOD, by=make_staff("chief", Role.POLICE_CHIEF))
    page = profile_post(
        admin_web, municipality, date_of_passage="2024-03-01", time_zone="America/Chicago", chief_name="New Chief"
    ).content.decode()
    assert page.count("This can no longer change: 1 signed report (the first for December 1, 2025 – May 31, 2026)") == 2
    assert "periods counted from this date of passage" in page and "midnight in this time zone" in page
    kept = municipality_get()
    assert (str(kept.date_of_passage), kept.time_zone, kept.chief_name) == (
        "2024-06-01",
        "America/New_York",
        "Charlene Chief",
    )

    with pytest.raises(ValidationError) as refused:
        municipality_configure(
            by=setup_actor(), first_tracked_period_start=municipality.date_of_passage.replace(month=12)
        )
    assert list(refused.value.message_dict) == ["first_tracked_period_start"]
    with pytest.raises(CommandError, match="can no longer change"):
        call_command("configure_municipality", "--time-zone", "America/Chicago")

    # Everything else still changes: a new chief is no reason to freeze the profile.
    profile_post(admin_web, municipality_get(), chief_name="New Chief")
    assert municipality_get().chief_name == "New Chief"
