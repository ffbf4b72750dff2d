"""Indexes for the screens' searches on PostgreSQL, created by migrations (see detainers 0004, complaints 0003).

The screens search names with `icontains` (PostgreSQL: `UPPER(name::text) LIKE UPPER('%…%')`) and numbers with
`iexact` (`UPPER(…) = UPPER(…)`). A trigram GIN index on the upper-cased name answers the first, a plain index on
the upper-cased number the second. SQLite (the local default) has neither: there nothing is created, and the
searches scan, which is fine at a demo's size.
"""

from django.db import DatabaseError, migrations, transaction


def trigram(column: str) -> str:
    return f'USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'


def upper(column: str) -> str:
    return f'((UPPER("{column}"::text)))'


def create_on_postgresql(indexes: list[tuple[str, str, str]]) -> migrations.RunPython:
    """A migration operation creating each (name, table, how) index on PostgreSQL, and dropping it on the way back."""

    def create(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            _trigram_extension(schema_editor)
            for name, table, how in indexes:
                schema_editor.execute(f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" {how}')

    def drop(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for name, _, _ in indexes:
                schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')

    return migrations.RunPython(create, drop)


def _trigram_extension(schema_editor) -> None:
    """pg_trgm, created here if the app's database role may (PostgreSQL 13+: CREATE on the database), or said
    plainly if not: a database administrator runs `CREATE EXTENSION pg_trgm;` once, then `migrate` again."""
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        if cursor.fetchone():
            return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DatabaseError as error:
        raise RuntimeError(
            "The name search needs PostgreSQL's pg_trgm extension, and this database role may not create it. "
            "Ask the database administrator to run CREATE EXTENSION pg_trgm; in this database, then migrate again."
        ) from error
