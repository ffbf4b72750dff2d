import logging

from django.core.management.base import BaseCommand

from welcoming.periodic import jobs

log = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Run every periodic job once (the scheduler service calls this every five minutes)."

    def handle(self, *args, **options):
        failed = []
        for name, job in jobs().items():
            try:
                job()
            except Exception:  # one failing job must not stop the others; it is logged and reported
                log.exception("Periodic job failed: %s", name)
                failed.append(name)
            else:
                self.stdout.write(f"ok: {name}")
        if failed:
            raise SystemExit(f"Failed: {', '.join(failed)}")
