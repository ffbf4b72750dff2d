"""How long an import of N rows takes (prints figures; asserts nothing). Run with `make bench` or:

    DEBUG=true .venv/bin/python tests/bench/import_bench.py 10000

It builds a throwaway SQLite database (or uses DATABASE_URL), configures the demo city, writes a CSV of N
bookings — every fourth with an I-247A lodged on it — and times a check-only pass and a real import.
"""

import os
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def make_csv(rows: int) -> bytes:
    from detainers.imports import COLUMNS

    names = [column.name for column in COLUMNS]
    lines = [",".join(names)]
    # Ending before today, whatever the number of rows: an import refuses times in the future.
    first_day = date.today() - timedelta(days=rows // 6 + 2)
    start = datetime(first_day.year, first_day.month, first_day.day, 8, 0)
    for n in range(rows):
        # Daytime bookings only, so no generated time falls in a daylight-saving gap or overlap.
        booked = start + timedelta(days=n // 6, hours=2 * (n % 6))
        values = dict.fromkeys(names, "")
        values.update(
            {
                "source": "RMS",
                "custody_id": f"BK-{n:06d}",
                "person_id": f"P-{n % (rows // 2 + 1):06d}",
                "full_name": f"Person {n % (rows // 2 + 1)}",
                "booked_at": f"{booked:%Y-%m-%d %H:%M}",
                "basis": "criminal_charge",
                "eligible_for_release_at": f"{booked + timedelta(hours=6):%Y-%m-%d %H:%M}",
                "eligibility_reason": "bail_posted",
                "released_at": f"{booked + timedelta(hours=6):%Y-%m-%d %H:%M}",
            }
        )
        if n % 4 == 0:
            values.update(
                {
                    "detainer_id": f"DT-{n:06d}",
                    "form": "I-247A",
                    "received_via": "fax",
                    "lodged_at": f"{booked + timedelta(hours=1):%Y-%m-%d %H:%M}",
                    "reasons": "final_order",
                    "copy_served_at": f"{booked + timedelta(hours=2):%Y-%m-%d %H:%M}",
                }
            )
        lines.append(",".join(values[name] for name in names))
    return ("\n".join(lines) + "\n").encode()


def main(rows: int) -> None:
    if "DATABASE_URL" not in os.environ:
        os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    from detainers.imports import import_records
    from welcoming.acting import system_actor
    from welcoming.demo import DEMO_LOCAL_HOLIDAYS, DEMO_MUNICIPALITY
    from welcoming.municipality import municipality_configure
    from welcoming.roles import SystemActor

    municipality_configure(by=system_actor(SystemActor.SETUP), local_holidays=DEMO_LOCAL_HOLIDAYS, **DEMO_MUNICIPALITY)
    data = make_csv(rows)
    importer = system_actor(SystemActor.IMPORT)
    print(f"{rows} rows, {len(data) / 1_048_576:.1f} MB, database {os.environ['DATABASE_URL'].split(':')[0]}")
    for label, dry_run in [("check only", True), ("import", False), ("import again (no changes)", False)]:
        started = time.perf_counter()
        report = import_records(data=data, by=importer, dry_run=dry_run)
        seconds = time.perf_counter() - started
        print(
            f"  {label:<28} {seconds:7.1f} s  {rows / seconds:7.0f} rows/s  errors={len(report.errors)} "
            f"created={dict(report.created)} updated={dict(report.updated)}"
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
