"""`manage.py restore_data PATH --yes`: put back a backup made by `backup_data`, replacing the whole database.

PostgreSQL: `pg_restore --clean --if-exists --single-transaction`, so a restore that fails part way leaves the
database as it was. SQLite: the sqlite3 backup API, from the file into Django's own connection (a file or an
in-memory database alike). The uploaded files in `PATH.media.tar.gz`, if there, are unpacked into MEDIA_ROOT over
what is there (files uploaded since the backup stay, unreferenced).
"""

import sqlite3
import subprocess
import tarfile
from contextlib import closing
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from welcoming.management.commands.backup_data import (
    ENGINE_NAME,
    MAGIC,
    database_connection,
    media_archive_path,
    postgres_client,
)


def backup_kind(path: Path) -> str | None:
    """Which engine's backup the file is, from its first bytes."""
    with path.open("rb") as file:
        head = file.read(16)
    return next((vendor for vendor, magic in MAGIC.items() if head.startswith(magic)), None)


class Command(BaseCommand):
    help = "Replace the whole database (and unpack the uploaded files) with a backup made by backup_data."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="The backup file: a .dump (PostgreSQL) or .sqlite3 (SQLite).")
        parser.add_argument("--yes", action="store_true", help="Really replace the database: every row is lost.")

    def handle(self, *args, path: Path, yes: bool, **options):
        connection = database_connection()
        engine = ENGINE_NAME[connection.vendor]
        if not path.is_file():
            raise CommandError(f"{path}: no such backup file.")
        kind = backup_kind(path)
        if kind is None:
            raise CommandError(
                f"{path} is not a backup made by backup_data: a {engine} backup begins with "
                f"{MAGIC[connection.vendor]!r}."
            )
        if kind != connection.vendor:
            raise CommandError(
                f"{path} is a {ENGINE_NAME[kind]} backup, but this site's database is {engine}: "
                f"restore_data needs a {engine} backup."
            )
        media = media_archive_path(path)
        if media.exists() and not tarfile.is_tarfile(media):
            raise CommandError(f"{media} is not a tar archive of uploaded files.")

        name = connection.settings_dict["NAME"]
        plan = f"replace the whole {engine} database {name} (every record, audit entry and report) with {path}"
        if media.exists():
            plan += f", and unpack the uploaded files in {media} into {settings.MEDIA_ROOT}"
        if not yes:
            raise CommandError(f"Nothing restored. This would {plan}. Run again with --yes to do it.")
        if connection.in_atomic_block:
            raise CommandError("restore_data cannot run inside a transaction.")

        if connection.vendor == "postgresql":
            self._restore_postgresql(connection, path)
        else:
            self._restore_sqlite(connection, path)
        # Content type ids are cached per process, and the restored ones may differ from those in the cache.
        if apps.is_installed("django.contrib.contenttypes"):
            from django.contrib.contenttypes.models import ContentType

            ContentType.objects.clear_cache()
        self.stdout.write(f"Database restored from {path}")

        if media.exists():
            media_root = Path(settings.MEDIA_ROOT)
            media_root.mkdir(parents=True, exist_ok=True)
            with tarfile.open(media) as archive:
                # "data": nothing is written outside MEDIA_ROOT, whatever paths the archive holds.
                archive.extractall(media_root, filter="data")
            self.stdout.write(f"Uploaded files restored from {media} into {media_root}")

    def _restore_postgresql(self, connection, path: Path) -> None:
        args, env = postgres_client("pg_restore", connection)
        args += ["--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction", str(path)]
        # This process's connections hold no locks pg_restore would wait on, and none outlives the old tables.
        connections.close_all()
        result = subprocess.run(args, env=env, capture_output=True, text=True)
        connections.close_all()
        if result.returncode != 0:
            raise CommandError(f"pg_restore failed, nothing was changed: {result.stderr.strip()}")

    def _restore_sqlite(self, connection, path: Path) -> None:
        # Other connections are closed so that none keeps a view of the old pages; Django's default connection
        # is the target, because for an in-memory database it is the only way in (closing it would drop it).
        for other in connections.all():
            if other is not connection:
                other.close()
        connection.ensure_connection()
        # Read-only: restoring never changes the backup itself.
        with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as source:
            source.backup(connection.connection)
