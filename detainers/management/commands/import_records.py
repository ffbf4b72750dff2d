from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from detainers.imports import ImportRefused, import_records
from welcoming.acting import system_actor
from welcoming.roles import SystemActor


class Command(BaseCommand):
    help = (
        "Import custody records and detainers from a records-system CSV (format: /police/import/format/). "
        "All or nothing: if any row is refused, nothing is saved and each problem is listed by row and column."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Check every row; save nothing.")
        parser.add_argument(
            "--user",
            default=None,
            help="The records clerk the history names (a username); without it, the import's own system actor.",
        )

    def handle(self, *args, file: Path, dry_run=False, user=None, **options):
        by = get_user_model().objects.filter(username=user).first() if user else system_actor(SystemActor.IMPORT)
        if by is None:
            raise CommandError(f"No user named {user!r}.")
        try:
            report = import_records(data=file.read_bytes(), by=by, dry_run=dry_run)
        except (OSError, ImportRefused, PermissionDenied) as error:
            raise CommandError(str(error)) from None
        for error in report.errors:
            self.stderr.write(f"line {error.row}, {error.column}: {error.message}")
        if report.errors:
            raise CommandError(f"Nothing was imported: {len(report.errors)} problem(s) in {report.rows} rows.")
        verb = "Would import" if dry_run else "Imported"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} {report.rows} rows: created {report.created_words}; updated {report.updated_words}; "
                f"unchanged {report.unchanged_words}."
            )
        )
        if report.findings_raised:
            self.stdout.write(
                f"Findings {'it would open' if dry_run else 'opened'}: {report.findings_raised}, "
                f"{report.violations_raised} of them violations."
            )
            for clause, count in report.findings_by_clause:
                self.stdout.write(f"  clause {clause.code} — {clause.title}: {count}")
        for person in report.possible_duplicates:
            self.stdout.write(f"Possible duplicate to review on the merge screen: {person} (#{person.pk})")
