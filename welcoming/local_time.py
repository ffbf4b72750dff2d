"""Local clock times as clerks type them, checked around daylight-saving changes (DESIGN.md section 5).

A time that does not exist (the hour skipped in spring) is refused; one that happens twice (the hour repeated
in autumn) must say which, earlier (fold=0, daylight time) or later (fold=1, standard time).
"""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.utils import timezone

# No record the app keeps is older than EARLIEST_YEAR or later than LATEST_YEAR: a year outside is a typo (or a
# fuzzer). Before 1970 time zones give offsets in seconds (local mean time) that no client parses back.
EARLIEST_YEAR, LATEST_YEAR = 1970, 2099
# The same years as the schema's patterns say them (a test holds the two together). A day is YYYY-MM-DD. A time
# in the schema is RFC 3339's, with seconds and an offset of at most 14 hours, T and Z in capitals (Python reads
# no others); the app also takes a time without its seconds or its offset (the town's own clock), so its own
# check is LOCAL_MOMENT, which allows both.
_YEAR = r"^(19[7-9][0-9]|20[0-9][0-9])-"
_MONTH_DAY = r"(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
_OFFSET = r"(Z|[+-](0[0-9]|1[0-3]):[0-5][0-9]|[+-]14:00)"
PLAUSIBLE_DAY = _YEAR + _MONTH_DAY + "$"
PLAUSIBLE_MOMENT = _YEAR + _MONTH_DAY + r"T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]+)?" + _OFFSET + "$"
LOCAL_MOMENT = (
    _YEAR
    + _MONTH_DAY
    + r"[T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9]([.,][0-9]+)?)?"
    + r"(Z|[+-](0[0-9]|1[0-3])(:?[0-5][0-9])?|[+-]14(:?00)?)?$"
)
IMPLAUSIBLE = "Check the year: a date before 1970 or after 2099 is no date this town keeps a record of."


def plausible(moment: datetime) -> datetime:
    if not EARLIEST_YEAR <= moment.year <= LATEST_YEAR:
        raise ValidationError(IMPLAUSIBLE, code="implausible")
    return moment


# The codes of local_datetime's refusals, so a caller can tell them apart without reading the words.
SKIPPED_HOUR, REPEATED_HOUR = "skipped_hour", "repeated_hour"


def local_datetime(naive: datetime, *, zone: str, fold: int | None = None, field: str = "time") -> datetime:
    """An aware datetime for a wall-clock time in `zone`, or a ValidationError naming `field`."""
    tz = ZoneInfo(zone)
    earlier, later = naive.replace(tzinfo=tz, fold=0), naive.replace(tzinfo=tz, fold=1)
    utc_earlier, utc_later = earlier.astimezone(ZoneInfo("UTC")), later.astimezone(ZoneInfo("UTC"))
    if utc_earlier.astimezone(tz).replace(tzinfo=None) != naive:
        raise ValidationError(
            {
                field: ValidationError(
                    f"{naive:%Y-%m-%d %H:%M} does not exist in {zone}: the clocks jumped forward that night. Check "
                    "the time on the document.",
                    code=SKIPPED_HOUR,
                )
            }
        )
    if utc_earlier != utc_later:
        if fold is None:
            raise ValidationError(
                {
                    field: ValidationError(
                        f"{naive:%Y-%m-%d %H:%M} happened twice that night when the clocks went back: say whether "
                        "it was the first (daylight time) or the second (standard time).",
                        code=REPEATED_HOUR,
                    )
                }
            )
        return utc_later if fold else utc_earlier
    # In UTC: arithmetic between two aware times in the same zone ignores `fold`, so an hour would vanish.
    return utc_earlier


def in_repeated_hour(error: ValidationError, field: str) -> bool:
    """Whether local_datetime refused `field` because its time happened twice (and not because it never did)."""
    return any(problem.code == REPEATED_HOUR for problem in getattr(error, "error_dict", {}).get(field, []))


def offset_needed(naive: datetime, *, zone: str) -> str:
    """The refusal for a file or a program, which cannot be asked which one it meant: both times it can write,
    "01:30-04:00 (EDT, the first) or 01:30-05:00 (EST, the second)"."""
    tz = ZoneInfo(zone)
    first, second = naive.replace(tzinfo=tz, fold=0), naive.replace(tzinfo=tz, fold=1)
    both = " or ".join(
        f"{moment.isoformat(timespec='minutes').split('T')[1]} ({moment:%Z}, the {which})"
        for moment, which in ((first, "first"), (second, "second"))
    )
    return (
        f"{naive:%Y-%m-%d %H:%M} happened twice in {zone} that night, when the clocks went back. Write it with its "
        f"offset: {both}, as in {second.isoformat(timespec='minutes')}."
    )


def aware(value: datetime, *, zone: str, field: str = "time") -> datetime:
    """An aware datetime as given, or a naive one read as local time with the checks above."""
    return value if timezone.is_aware(value) else local_datetime(value, zone=zone, field=field)


def when(moment: datetime | None, zone=None) -> str:
    """A moment as the town's clocks showed it ("2026-11-01 01:30"), in `zone` or the zone in use. A clock time
    that happened twice, in the hour repeated when clocks fall back, carries its zone ("01:30 EDT", "01:30 EST"):
    without it a reader cannot tell which of the two it was."""
    if moment is None:
        return ""
    local = timezone.localtime(moment, ZoneInfo(zone) if isinstance(zone, str) else zone)
    text = local.strftime("%Y-%m-%d %H:%M")
    if local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset():
        text += local.strftime(" %Z")
    return text
