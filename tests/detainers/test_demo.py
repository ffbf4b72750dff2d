"""The demo city's scripted scenario produces exactly the records and findings it promises."""

from collections import Counter

from django.core.management import call_command
from django.utils import timezone

from detainers import selectors
from detainers.models import Custody, Detainer, Person


def test_the_demo_scenario(settings, db):
    settings.DEBUG = True
    call_command("seed_demo")
    from welcoming.models import Finding

    assert Counter(Finding.objects.unresolved().values_list("section", flat=True)) == {
        "2(d)": 1,
        "2(e)": 1,
        "2(g)": 2,
        "2(h)": 1,
        "2(f)": 2,  # a driver taken into custody on no other violation, the car towed with no chance to call anyone
        "2(i)": 1,  # a U visa request near its due date
    }
    held = Custody.objects.active().in_custody()
    assert held.filter(detainers__lifted_at__isnull=True, detainers__voided_at__isnull=True).exists()
    assert Counter(Detainer.objects.values_list("kind", flat=True)) == {
        "immigration_detainer": 8,  # with the one the records system sent late (reports.demo)
        "administrative_warrant": 9,
        "notification_request": 3,
    }
    # Detained on a hold: only the one held 40 minutes past bail; the transfer was on a court order.
    detained = selectors.custody_detained_on_hold(now=timezone.now())
    assert [c.person.full_name for c in detained] == ["Lucia Moreira"]
    assert selectors.person_possible_duplicates(Person.objects.get(department_id="DEMO-1005")).count() == 1
    # Safe to repeat.
    call_command("seed_demo")
    # 37 in the police records, 5 victims in U visa requests, and the person of the late import (reports.demo)
    assert Person.objects.count() == 43
