import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from welcoming.demo import DEMO_LOCAL_HOLIDAYS, DEMO_MUNICIPALITY, bulk_seeders, real_town_refusal
from welcoming.models import Municipality
from welcoming.municipality import municipality_configure, municipality_mark_demo


class Command(BaseCommand):
    help = (
        "Insert invented records in bulk, in the demo's proportions, for query-count tests and the benchmark "
        "(local only). --factor 1 is about the demo's size; 100 is a hundred times it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--factor", type=int, default=1, help="How many demo-sized units of records.")
        parser.add_argument("--years", type=int, default=10, help="Spread the records over this many past years.")

    def handle(self, *args, factor, years, **options):
        if refusal := real_town_refusal("seed_bulk"):
            raise CommandError(refusal)
        if not settings.DEBUG:
            raise CommandError("Refusing to insert invented records with DEBUG off: this is not a production command.")
        if factor < 1 or years < 1:
            raise CommandError("--factor and --years must be at least 1.")
        now = timezone.now()
        profile = Municipality.objects.first()
        zone = ZoneInfo(profile.time_zone if profile else DEMO_MUNICIPALITY.get("time_zone", "America/New_York"))
        end = datetime.combine(timezone.localdate(now, zone), datetime.min.time(), tzinfo=zone) - timedelta(days=1)
        start = end - relativedelta(years=years)
        if profile is None:  # a profile whose periods cover the whole span
            passage = {"date_of_passage": start.date()}
            municipality_configure(local_holidays=DEMO_LOCAL_HOLIDAYS, **{**DEMO_MUNICIPALITY, **passage})
            municipality_mark_demo()
        began = time.perf_counter()
        totals = {}
        with transaction.atomic():
            for seeder in bulk_seeders():
                totals.update(seeder(factor=factor, start=start, end=end, now=now))
        made = ", ".join(f"{count} {what}" for what, count in totals.items())
        self.stdout.write(self.style.SUCCESS(f"Inserted {made} in {time.perf_counter() - began:.1f} s."))
