"""`manage.py backup_data [--output PATH]`: a copy of the whole database, and of the uploaded files beside it.

PostgreSQL: `pg_dump --format=custom` (what `restore_data` hands to `pg_restore`). SQLite: the sqlite3 online
backup API, which copies a consistent snapshot while the app keeps running (copying the file could catch a write
half done). Uploaded files (attachments, signed report PDFs, docket papers) live in MEDIA_ROOT, not in the
database (only each report PDF's SHA-256 is), so they go into `<PATH>.media.tar.gz`.
"""

import os
import shutil
import sqlite3
import subprocess
import tarfile
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

# The first bytes of each kind of backup, so that restore_data can tell a wrong file before touching anything.
MAGIC = {"postgresql": b"PGDMP", "sqlite": b"SQLite format 3\x00"}
SUFFIX = {"postgresql": ".dump", "sqlite": ".sqlite3"}
ENGINE_NAME = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}


def database_connection():
    """The default database's connection, or a CommandError for an engine these commands do not know."""
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor not in MAGIC:
        raise CommandError(f"backup_data and restore_data know PostgreSQL and SQLite, not {connection.vendor}.")
    return connection


def media_archive_path(path: Path) -> Path:
    return path.with_name(path.name + ".media.tar.gz")


def postgres_client(program: str, connection) -> tuple[list[str], dict[str, str]]:
    """The program with the connection's host, port, user and database, and its environment.

    The password (and any sslmode, service or passfile) goes in the environment, as Django's own dbshell does it,
    never on the command line where any user of the machine could read it in the process list.
    """
    executable = shutil.which(program)
    if executable is None:
        raise CommandError(f"{program} is not installed: install the PostgreSQL client (Debian: postgresql-client).")
    from django.db.backends.postgresql.client import DatabaseClient

    _, env = DatabaseClient.settings_to_cmd_args_env(connection.settings_dict, [])
    args = [executable]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if connection.settings_dict.get(key):
            args.append(f"{flag}={connection.settings_dict[key]}")
    # --dbname always (pg_restore without it would print SQL instead of restoring); a libpq service otherwise.
    name = connection.settings_dict.get("NAME") or f"service={connection.settings_dict['OPTIONS'].get('service')}"
    args.append(f"--dbname={name}")
    return args, {**os.environ, **(env or {})}  # Django gives None when nothing is to be added


class Command(BaseCommand):
    help = "Back up the whole database (pg_dump, or SQLite's backup API) and the uploaded files."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            help="Where to write the backup (default: backups/welcoming-<UTC time>.dump or .sqlite3). "
            "The uploaded files go beside it, in <output>.media.tar.gz.",
        )

    def handle(self, *args, output: Path | None, **options):
        # A backup holds every name the app keeps: readable by the owner only (files 0600, folders 0700).
        previous = os.umask(0o077)
        try:
            self._back_up(output)
        finally:
            os.umask(previous)

    def _back_up(self, output: Path | None):
        connection = database_connection()
        if output is None:
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
            output = Path(settings.BASE_DIR) / "backups" / f"welcoming-{stamp}{SUFFIX[connection.vendor]}"
        media = media_archive_path(output)
        for path in (output, media):
            if path.exists():
                raise CommandError(f"{path} already exists: choose another --output (a backup is never overwritten).")
        output.parent.mkdir(parents=True, exist_ok=True)

        # Written under a temporary name and renamed when complete, so a failed run never leaves a file that
        # looks like a good backup.
        partial = output.with_name(output.name + ".partial")
        try:
            if connection.vendor == "postgresql":
                self._dump_postgresql(connection, partial)
            else:
                self._copy_sqlite(connection, partial)
            partial.replace(output)
        finally:
            partial.unlink(missing_ok=True)
        self.stdout.write(f"Database: {output}")

        # After the database, so every file a backed-up row points to is already there when it is archived.
        media_root = Path(settings.MEDIA_ROOT)
        if media_root.is_dir() and any(media_root.iterdir()):
            with tarfile.open(media, "w:gz") as archive:
                archive.add(media_root, arcname=".")
            self.stdout.write(f"Uploaded files: {media}")
        else:
            self.stdout.write(f"No uploaded files in {media_root}: nothing else to back up.")

    def _dump_postgresql(self, connection, path: Path) -> None:
        args, env = postgres_client("pg_dump", connection)
        args += ["--format=custom", "--no-owner", "--no-privileges", f"--file={path}"]
        result = subprocess.run(args, env=env, capture_output=True, text=True)
        if result.returncode != 0:
            raise CommandError(f"pg_dump failed: {result.stderr.strip()}")

    def _copy_sqlite(self, connection, path: Path) -> None:
        # Django's own connection, so an in-memory database (the tests') is backed up as well as a file.
        connection.ensure_connection()
        with closing(sqlite3.connect(path)) as target:
            connection.connection.backup(target)
