"""`{{ moment|when }}`: a time on the town's clocks, with its zone in the hour that happens twice (local_time.when).

A builtin (settings.TEMPLATES), so every template shows times the same way."""

from datetime import datetime

from django import template
from django.template.defaultfilters import date

from welcoming.local_time import when as _when

register = template.Library()


@register.filter
def when(value):
    if isinstance(value, datetime):
        return _when(value)
    return date(value, "Y-m-d") if value else ""


# The docket's pages, which council staff and the public also read, write days and moments in words, one way:
# "June 15, 2026" and "Tuesday, June 16, 2026 at 6:30 PM" (as a meeting names itself).
LONG_DAY = "F j, Y"
LONG_MOMENT = r"l, F j, Y \a\t g:i A"


@register.filter(expects_localtime=True)  # converted to the town's clock before it is written, as `date` is
def long_day(value):
    return date(value, LONG_DAY) if value else ""


@register.filter(expects_localtime=True)
def long_moment(value):
    return date(value, LONG_MOMENT) if value else ""
