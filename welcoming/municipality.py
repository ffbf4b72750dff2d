"""The municipality's profile: the one row every period, deadline and letter hangs on, and the checks that
keep it plausible and keep signed periods where they were."""

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from welcoming import retention
from welcoming.acting import require
from welcoming.models import (
    LocalHoliday,
    Municipality,
)
from welcoming.periods import period_starts

MUNICIPALITY_FIELDS = [
    field.name
    for field in Municipality._meta.get_fields()
    if field.concrete and not field.auto_created and field.name != "id" and field.editable
]


def municipality_mark_demo() -> None:
    """Mark the profile as the demo's (seed_demo): pages say so, and the real-town set-up refuses the database."""
    Municipality.objects.filter(pk=1).update(is_demo=True)


@transaction.atomic
def municipality_configure(*, by, local_holidays: list[tuple[int, int, str]] | None = None, **values) -> Municipality:
    """Create or update the one profile, refused (nothing saved) for any reason `municipality_check` gives."""
    require(
        by,
        "welcoming.change_municipality",
        "welcoming.add_municipality",
        message="Only an administrator changes the profile.",
    )
    municipality = municipality_check(**values)
    municipality.save()
    if local_holidays is not None:
        municipality.local_holidays.all().delete()
        for month, day, name in local_holidays:
            holiday = LocalHoliday(municipality=municipality, month=month, day=day, name=name)
            holiday.full_clean()
            holiday.save()
    return municipality


# What every period's boundaries hang on. A signed report froze figures for periods drawn from them, so once one
# is signed, changing any of these would move its records under it.
PERIOD_SETTINGS = {
    "date_of_passage": "periods counted from this date of passage",
    "first_tracked_period_start": "periods that begin with this first tracked period",
    "time_zone": "periods whose days begin and end at midnight in this time zone",
}


def municipality_check(**values) -> Municipality:
    """The profile as these values would leave it, unsaved; a ValidationError by field if it cannot be: unknown
    settings, the model's own rules, a first tracked period that is no period, an implausible zone or date, or a
    change to what the periods hang on once a report is signed."""
    unknown = set(values) - set(MUNICIPALITY_FIELDS)
    if unknown:
        raise ValidationError(f"Unknown municipality settings: {', '.join(sorted(unknown))}")
    existing = Municipality.objects.filter(pk=1).first()
    municipality = existing or Municipality(pk=1)
    before = {name: getattr(existing, name) for name in PERIOD_SETTINGS} if existing else {}
    for name, value in values.items():
        # A browser's text box ends its lines with CRLF: kept as LF, an address saved unchanged stays unchanged.
        setattr(municipality, name, value.replace("\r\n", "\n") if isinstance(value, str) else value)
    municipality.full_clean()
    municipality_first_period_check(passage=municipality.date_of_passage, start=municipality.first_tracked_period_start)
    _municipality_plausible(municipality)
    _period_settings_kept(before, municipality)
    return municipality


def _period_settings_kept(before: dict, after: Municipality) -> None:
    changed = [name for name in before if before[name] != getattr(after, name)]
    signed = sorted(retention.reported_periods(), key=lambda reported: reported.start) if changed else []
    if not signed:
        return
    first = signed[0]
    reports = f"{len(signed)} signed report{'s' if len(signed) > 1 else ''}"
    raise ValidationError(
        {
            name: f"This can no longer change: {reports} (the first for {first.start:%B %-d, %Y} – "
            f"{first.end:%B %-d, %Y}) froze figures for {PERIOD_SETTINGS[name]}; changing it would move records in or "
            "out from under those figures, so it stays as it was when they were signed."
            for name in changed
        }
    )


def _municipality_plausible(municipality: Municipality) -> None:
    """A time zone the clocks can be read in, and a law already passed: every period and deadline hangs on both."""
    problems = {}
    try:
        ZoneInfo(municipality.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        problems["time_zone"] = f"“{municipality.time_zone}” is no time zone: give one like America/New_York."
    if municipality.date_of_passage and municipality.date_of_passage > timezone.localdate():
        problems["date_of_passage"] = "The date of passage is in the future: give the day the law was passed."
    if problems:
        raise ValidationError(problems)


def municipality_first_period_check(*, passage, start) -> None:
    """The first tracked period is chosen from the list of periods, so it must begin on a period's first day."""
    if passage and start and start not in period_starts(passage, until=start):
        raise ValidationError(
            {
                "first_tracked_period_start": (
                    "Choose the first day of a reporting period: the date of passage, or six, twelve, eighteen… months "
                    "after it."
                )
            }
        )
