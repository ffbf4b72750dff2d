"""How long the clause 4 figures take at the demo's size and at 100 times it (prints figures; asserts nothing).
Run with `make bench` or:

    DEBUG=true .venv/bin/python tests/bench/figures_bench.py 100

It builds a throwaway SQLite database (or uses DATABASE_URL), inserts ten years of records with `seed_bulk`
(factor 1, then grown to the given factor), and times the figures document — for the latest whole period and
for the whole ten years — as the median of several runs, with the number of queries each took; then the
chief's signature of the latest whole period (figures, record ids, the PDF rendered and stored).
"""

import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
RUNS = 7


def measure(label, compute):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings = []
    for _ in range(RUNS):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            document = compute()
            timings.append((time.perf_counter() - started) * 1000)
    lodged = sum(kind["total"] for kind in document["lodged"].values())
    print(
        f"  {label:<34} median {statistics.median(timings):8.1f} ms  max {max(timings):8.1f} ms  "
        f"{len(queries)} queries  ({lodged} documents lodged, {document['individuals_detained']} detained)"
    )


def main(factor: int) -> None:
    if "DATABASE_URL" not in os.environ:
        os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp())  # the signed PDFs, thrown away with the database
    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    from reports import selectors, services
    from reports.models import Report
    from tests.bench.seed_bulk import seed_bulk
    from welcoming.accounts import staff_user_create
    from welcoming.roles import Role
    from welcoming.selectors import municipality_get

    chief = staff_user_create(username="bench-chief", password="bench-only-password-1", roles=[Role.POLICE_CHIEF])

    print(f"database {os.environ['DATABASE_URL'].split(':')[0]}")
    for size, add in [(1, 1), (factor, factor - 1)]:
        out = io.StringIO()
        out.write(seed_bulk(factor=add, years=10))
        print(f"factor {size}: {out.getvalue().strip()}")
        municipality = municipality_get()
        periods = selectors.reporting_periods(municipality, today=selectors.today_local(municipality))
        last, first = periods[1], periods[-1]
        for label, start, end in [("latest whole period", last.start, last.end), ("ten years", first.start, last.end)]:
            window = selectors.figures_window(municipality=municipality, start=start, end=end)
            measure(label, lambda w=window, m=municipality: selectors.figures(municipality=m, window=w))
        timings = []
        for _ in range(3):  # sign the latest whole period: figures, record ids, the PDF rendered and stored
            Report.objects.all().delete()
            started = time.perf_counter()
            report = services.report_freeze(period_number=last.number, by=chief)
            timings.append((time.perf_counter() - started) * 1000)
        median, worst = statistics.median(timings), max(timings)
        label = "sign (figures, ids, PDF)"
        print(f"  {label:<34} median {median:8.1f} ms  max {worst:8.1f} ms  ({report.pdf.size / 1024:.0f} KB PDF)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100)
