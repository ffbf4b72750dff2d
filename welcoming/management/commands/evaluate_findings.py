from django.core.management.base import BaseCommand
from django.utils import timezone

from welcoming.acting import system_actor
from welcoming.findings import findings_evaluate_all
from welcoming.roles import SystemActor


class Command(BaseCommand):
    help = (
        "Re-check records against the ordinance: rules that fire because time passes, and open findings that may close."
    )

    def handle(self, *args, **options):
        result = findings_evaluate_all(by=system_actor(SystemActor.SCHEDULER), now=timezone.now())
        self.stdout.write(
            f"Findings: {len(result.opened)} opened, {len(result.reopened)} reopened, "
            f"{len(result.closed)} closed, {len(result.updated)} updated."
        )
