"""The load test's one table, from the locustfile's final statistics, and what went wrong, from locust and the
server's logs.

    python tests/load/report.py RESULTS_JSON ACCESS_LOG SERVER_LOG [--title TEXT]

Prints requests per second, p50 and p95 latency (ms), request and error counts, per endpoint and overall; then
each kind of error locust saw, and any traceback or 5xx in the server's logs. Exits 1 if there was any error
(an answer the locustfile did not expect, a 5xx, a traceback) or no request at all. Standard library only.
"""

import argparse
import json
import re
import sys
from pathlib import Path

TRACEBACK = re.compile(r"^Traceback \(most recent call last\):$")
# gunicorn.conf.py's access_log_format: '%(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms'
ACCESS_STATUS = re.compile(r'" (\d{3}) ')


def table(endpoints: list[dict], total: dict) -> str:
    header = ("endpoint", "req/s", "p50 ms", "p95 ms", "requests", "errors")

    def cells(row, name=None):
        return (name or row["name"], f"{row['rps']:.2f}", row["p50"], row["p95"], row["requests"], row["errors"])

    lines = [cells(row) for row in endpoints]
    overall = cells(total, "OVERALL")
    widths = [max(len(str(line[i])) for line in [header, overall, *lines]) for i in range(len(header))]

    def text(line):
        return "  ".join(
            str(cell).ljust(widths[i]) if i == 0 else str(cell).rjust(widths[i]) for i, cell in enumerate(line)
        )

    rule = "  ".join("-" * width for width in widths)
    return "\n".join([text(header), rule, *map(text, lines), rule, text(overall)])


def tracebacks(log: Path, limit: int = 3) -> tuple[int, list[str]]:
    """How many tracebacks the server wrote, and the first few distinct ones (by the line before, e.g. "Internal
    Server Error: /path", and the exception's own line), each with how often it came."""
    if not log.exists():
        return 0, []
    lines = log.read_text(errors="replace").splitlines()
    found, seen = 0, {}
    for index, line in enumerate(lines):
        if not TRACEBACK.match(line):
            continue
        found += 1
        end = index + 1
        while end < len(lines) and (lines[end].startswith(" ") or not lines[end]):
            end += 1
        before = lines[index - 1] if index else ""
        key = (before, lines[end] if end < len(lines) else "")
        if key in seen:
            seen[key][0] += 1
        elif len(seen) < limit:
            seen[key] = [1, "\n".join(lines[max(0, index - 1) : end + 1])]
    return found, [f"({count} times)\n{text}" if count > 1 else text for count, text in seen.values()]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("results", type=Path)
    parser.add_argument("access_log", type=Path)
    parser.add_argument("server_log", type=Path)
    parser.add_argument("--title", default="Load test")
    options = parser.parse_args()

    if not options.results.exists():
        print(f"No statistics: locust wrote no {options.results.name}.", file=sys.stderr)
        return 1
    results = json.loads(options.results.read_text())
    total = results["total"]
    endpoints = sorted(results["endpoints"], key=lambda row: row["name"])
    if not total["requests"]:
        print("No request was made.", file=sys.stderr)
        return 1

    print(f"\n{options.title}, {results['seconds']:.0f} s of requests\n")
    print(table(endpoints, total))

    if results["errors"]:
        print("\nErrors (answers the locustfile did not expect):")
        for error in sorted(results["errors"], key=lambda error: -error["occurrences"]):
            print(f"  {error['occurrences']:>5} x {error['name']}: {error['error']}")

    statuses = (
        ACCESS_STATUS.findall(options.access_log.read_text(errors="replace")) if options.access_log.exists() else []
    )
    server_errors = sum(1 for status in statuses if status.startswith("5"))
    expected_429 = sum(row["requests"] for row in endpoints if "429 expected" in row["name"])
    found, texts = tracebacks(options.server_log)
    print(
        f"\nServer: {len(statuses)} requests in gunicorn's access log, {server_errors} answered 5xx, {found} "
        f"tracebacks in its log. The {expected_429} expected 429s (the sixth complaint from one address in the hour) "
        "are not errors."
    )
    for text in texts:
        print(f"\n--- traceback from the server's log ---\n{text}")

    failed = total["errors"] > 0 or server_errors > 0 or found > 0
    print(
        f"\nRESULT: {'FAILED' if failed else 'OK'}: {total['requests']} requests, {total['rps']:.1f} req/s, "
        f"p50 {total['p50']} ms, p95 {total['p95']} ms, {total['errors']} errors, {server_errors} server errors."
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
