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
