import logging
from zoneinfo import ZoneInfo

from django.core.management.base import BaseCommand
from django.utils import timezone

from welcoming.acting import system_actor
from welcoming.periodic import jobs
from welcoming.roles import SystemActor
from welcoming.selectors import municipality_get, town_zone

log = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Run every periodic job once (the scheduler service calls this every five minutes)."

    def handle(self, *args, **options):
        # The jobs write notices with times in them: on the town's clocks, as a page would show them.
        with timezone.override(ZoneInfo(town_zone(municipality_get()))):
            self._run_all()

    def _run_all(self):
        failed, scheduler = [], system_actor(SystemActor.SCHEDULER)
        for name, job in jobs().items():
            try:
                job(by=scheduler)
            except Exception:  # one failing job must not stop the others; it is logged and reported
                log.exception("Periodic job failed: %s", name)
                failed.append(name)
            else:
                self.stdout.write(f"ok: {name}")
        if failed:
            raise SystemExit(f"Failed: {', '.join(failed)}")
