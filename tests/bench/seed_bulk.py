"""Invented records in bulk, in the demo's proportions, for the query-count tests and the benchmark (never a real
town's database, never with DEBUG off). A factor of 1 is about the demo's size; 100 is a hundred times it.

    DEBUG=true .venv/bin/python tests/bench/seed_bulk.py --factor N [--years 10]

The test code of the benchmark, not the app's: the seeders write past the services (no history, no audit) and
live beside the benchmarks, out of the production packages.
"""

import argparse
import os
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[2]


def seed_bulk(*, factor: int = 1, years: int = 10) -> str:
    """Insert `factor` units over the past `years`; say what was inserted. Refuses (CommandError) a real town's
    database, DEBUG off, or a factor or span under 1, and then inserts nothing."""
    from dateutil.relativedelta import relativedelta
    from django.conf import settings
    from django.core.management.base import CommandError
    from django.db import transaction
    from django.utils import timezone

    from tests.bench import bulk_complaints, bulk_police
    from welcoming.acting import system_actor
    from welcoming.demo import DEMO_LOCAL_HOLIDAYS, DEMO_MUNICIPALITY, real_town_refusal
    from welcoming.models import Municipality
    from welcoming.municipality import municipality_configure, municipality_mark_demo
    from welcoming.roles import SystemActor

    if refusal := real_town_refusal("seed_bulk"):
        raise CommandError(refusal)
    if not settings.DEBUG:
        raise CommandError("Refusing to insert invented records with DEBUG off: this is not a production command.")
    if factor < 1 or years < 1:
        raise CommandError("--factor and --years must be at least 1.")
    now = timezone.now()
    profile = Municipality.objects.first()
    zone = ZoneInfo((profile or Municipality()).time_zone)  # without a profile: the one configured below
    end = datetime.combine(timezone.localdate(now, zone), datetime.min.time(), tzinfo=zone) - timedelta(days=1)
    start = end - relativedelta(years=years)
    if profile is None:  # a profile whose periods cover the whole span
        passage = {"date_of_passage": start.date()}
        municipality_configure(
            by=system_actor(SystemActor.SETUP), local_holidays=DEMO_LOCAL_HOLIDAYS, **{**DEMO_MUNICIPALITY, **passage}
        )
        municipality_mark_demo()
    began = time.perf_counter()
    totals = {}
    with transaction.atomic():
        for seeder in (bulk_police.seed, bulk_complaints.seed):
            totals.update(seeder(factor=factor, start=start, end=end, now=now))
    made = ", ".join(f"{count} {what}" for what, count in totals.items())
    return f"Inserted {made} in {time.perf_counter() - began:.1f} s."


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--factor", type=int, default=1, help="How many demo-sized units of records.")
    parser.add_argument("--years", type=int, default=10, help="Spread the records over this many past years.")
    arguments = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django
    from django.core.management.base import CommandError

    django.setup()
    try:
        print(seed_bulk(factor=arguments.factor, years=arguments.years))
    except CommandError as refusal:
        print(refusal, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
