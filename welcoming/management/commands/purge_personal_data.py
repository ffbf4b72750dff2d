from django.core.management.base import BaseCommand

from welcoming.acting import system_actor
from welcoming.retention import personal_data_purge
from welcoming.roles import SystemActor


class Command(BaseCommand):
    help = (
        "Replace the personal identifiers of records whose reporting period was reported at least the profile's "
        "retention period ago, in the records, their history, their files and the texts quoting them. Counts "
        "and reports stay as they were. A dry run unless --apply is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("--apply", action="store_true", help="Purge (without it, only say what would be).")

    def handle(self, *args, apply: bool, **options):
        result = personal_data_purge(by=system_actor(SystemActor.SCHEDULER), apply=apply)
        if not result.periods:
            self.stdout.write("No reporting period was reported long enough ago: nothing is due for purging.")
            return
        spans = ", ".join(f"{period.start:%Y-%m-%d} – {period.end:%Y-%m-%d}" for period in result.periods)
        self.stdout.write(f"Periods due: {spans}.")
        for label, rows in result.rows.items():
            self.stdout.write(f"  {label}: {rows} {'purged' if apply else 'would be purged'}")
        if not apply:
            self.stdout.write("Dry run: nothing was changed. Run again with --apply to purge.")
