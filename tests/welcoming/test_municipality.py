"""The municipality fills the ordinance's blanks; business days and periods follow its calendar."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from tests.conftest import setup_actor, sign_in_verified
from welcoming import selectors
from welcoming.business_days import BusinessCalendar
from welcoming.models import Municipality
from welcoming.municipality import municipality_configure
from welcoming.periods import period, period_containing
from welcoming.roles import Role

SUFFOLK = BusinessCalendar(((3, 17, "Evacuation Day"), (6, 17, "Bunker Hill Day")))


def test_configure_municipality_sets_every_word_without_prompts(db, capsys):
    call_command(
        "configure_municipality",
        "--name",
        "Somerville",
        "--kind",
        "city",
        "--date-of-passage",
        "2019-04-25",
        "--police-department-name",
        "Somerville Police Department",
        "--complaints-office",
        "Office of Immigrant Affairs",
        "--executive-title",
        "Mayor",
        "--local-holiday",
        "03-17 Evacuation Day",
        "--local-holiday",
        "06-17 Bunker Hill Day",
    )
    municipality = Municipality.objects.get()
    assert municipality.display_name == "City of Somerville"
    assert [h.name for h in municipality.local_holidays.all()] == ["Evacuation Day", "Bunker Hill Day"]
    assert "Configured City of Somerville" in capsys.readouterr().out
    # Changing one setting leaves the others.
    call_command("configure_municipality", "--chief-name", "Charles Femino")
    municipality.refresh_from_db()
    assert municipality.chief_name == "Charles Femino" and municipality.name == "Somerville"
    assert municipality.local_holidays.count() == 2


def test_configure_municipality_says_which_setting_is_wrong_and_saves_nothing(db):
    with pytest.raises(CommandError) as error:
        call_command("configure_municipality", "--name", "Amherst", "--kind", "town", "--date-of-passage", "2020-01-15")
    assert "--police-department-name" in str(error.value) and "--complaints-office" in str(error.value)
    assert not Municipality.objects.exists()


def test_the_police_mailing_address_is_set_by_command_shown_to_the_administrator_and_filled_by_the_demo(
    municipality, client, make_staff
):
    assert municipality.police_mailing_address.splitlines() == [
        "Records Division",
        "1 Harbor Street",
        "Harborview, MA 02100",
    ]
    call_command("configure_municipality", "--police-mailing-address", "PO Box 7\nHarborview, MA 02101")
    municipality.refresh_from_db()
    assert municipality.police_mailing_address == "PO Box 7\nHarborview, MA 02101"
    assert municipality.police_department_name == "Harborview Police Department"  # the rest unchanged
    sign_in_verified(client, make_staff("it", Role.ADMINISTRATOR))
    page = client.get(reverse("admin:welcoming_municipality_change", args=[municipality.pk])).content.decode()
    assert 'name="police_mailing_address"' in page and "PO Box 7" in page
    # The admin's text box sends the lines back ended by CRLF: the same address, so nothing changed in the history.
    municipality_configure(by=setup_actor(), police_mailing_address="PO Box 7\r\nHarborview, MA 02101")
    municipality.refresh_from_db()
    assert municipality.police_mailing_address == "PO Box 7\nHarborview, MA 02101"
    latest, before = municipality.history.all()[:2]
    assert latest.diff_against(before).changed_fields == []


def test_the_first_tracked_period_must_be_a_period(municipality):
    with pytest.raises(ValidationError) as error:
        municipality_configure(by=setup_actor(), first_tracked_period_start=date(2024, 7, 1))
    assert "first_tracked_period_start" in error.value.message_dict
    municipality_configure(by=setup_actor(), first_tracked_period_start=date(2025, 6, 1))  # passage + 12 months
    assert Municipality.objects.get().first_tracked_period_start == date(2025, 6, 1)


def test_a_local_holiday_must_exist_in_the_calendar(municipality):
    with pytest.raises(ValidationError):
        municipality_configure(by=setup_actor(), local_holidays=[(2, 30, "Not a day")])
    assert municipality.local_holidays.count() == 2  # nothing half-saved


def test_unknown_settings_are_refused(db):
    with pytest.raises(ValidationError, match="Unknown municipality settings: mayor"):
        municipality_configure(by=setup_actor(), mayor="Ballantyne")


def test_words_never_fall_back_to_the_template_placeholder(db):
    words = selectors.municipality_words(None)
    assert not any("[" in value for value in words.values())


# Business days: the day something arrives is day 0; weekends and Massachusetts holidays are skipped.


def test_two_business_days_from_a_thursday_is_the_monday():
    assert BusinessCalendar().add_business_days(date(2026, 10, 1), 2) == date(2026, 10, 5)


def test_patriots_day_is_a_massachusetts_holiday():
    # Friday April 17, 2026 + 2 business days skips the weekend and Patriots' Day (Monday April 20).
    assert BusinessCalendar().holiday_name(date(2026, 4, 20)) == "Patriots' Day"
    assert BusinessCalendar().add_business_days(date(2026, 4, 17), 2) == date(2026, 4, 22)


def test_local_holidays_are_skipped_only_where_the_profile_keeps_them():
    # Tuesday March 17, 2026 is Evacuation Day in Suffolk County, not elsewhere in Massachusetts.
    assert BusinessCalendar().add_business_days(date(2026, 3, 16), 1) == date(2026, 3, 17)
    assert SUFFOLK.add_business_days(date(2026, 3, 16), 1) == date(2026, 3, 18)
    assert SUFFOLK.business_days_between(date(2026, 3, 16), date(2026, 3, 18)) == 1


def test_business_calendar_of_the_profile_uses_its_local_holidays(municipality):
    assert selectors.business_calendar().holiday_name(date(2026, 6, 17)) == "Bunker Hill Day"


def test_subtracting_business_days_skips_weekends_and_holidays():
    # Two business days before Friday, Nov 27 2026 skip Thanksgiving (Thursday 26th): Tuesday 24th.
    assert BusinessCalendar().subtract_business_days(date(2026, 11, 27), 2) == date(2026, 11, 24)


# Periods are counted from passage with relativedelta, never chained.


def test_periods_from_a_passage_on_the_31st_do_not_drift():
    passage = date(2023, 8, 31)
    assert period(passage, 0).end == date(2024, 2, 28)
    assert period(passage, 1).start == date(2024, 2, 29)
    assert period(passage, 2).start == date(2024, 8, 31)  # back on the 31st, not the 29th
    assert period(passage, 2).end == date(2025, 2, 27)


def test_the_period_containing_a_day_includes_its_last_day():
    passage = date(2024, 6, 1)
    assert period_containing(passage, date(2024, 11, 30)) == period(passage, 0)
    assert period_containing(passage, date(2024, 12, 1)) == period(passage, 1)
    assert period_containing(passage, date(2024, 5, 31)) is None
