"""Import of custody records and the detainers lodged on them, from a records-management system's CSV.

All or nothing: every row goes through the same services and rules as a form; if any row is refused, nothing
is saved and the report names each row and column. Rows are keyed by (source, external id), so importing the
same file again changes nothing and a changed row updates its record (with history).

Why one module over 400 lines: reading, checking and saving a row are one all-or-nothing pass whose parts share
the row's errors and the import's key; apart, each would need the others' state.
"""

import csv
import io
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from detainers import selectors, services
from detainers.models import Custody, Detainer, DetainerReason, Person
from welcoming.findings import findings_raised
from welcoming.local_time import in_repeated_hour, local_datetime, offset_needed
from welcoming.models import Finding
from welcoming.ordinance import CLAUSES, Clause
from welcoming.selectors import municipality_get, town_zone

MAX_BYTES = 20 * 1024 * 1024
SAMPLE = Path(__file__).parent / "samples" / "records-sample.csv"
# The sample's booking the format page walks through: two holds on one booking, so two rows.
WORKED_EXAMPLE = "BK-2026-0102"


@dataclass(frozen=True)
class Column:
    name: str
    required: bool
    kind: str  # text, date, time, code, codes, yes/no
    description: str
    example: str = ""
    choices: tuple[str, ...] = ()  # a code column's valid values: the format page and a refusal list the same


def _code(name, required, description, choices, example=""):
    """A column of codes, its valid values named in its description."""
    return Column(name, required, "code", f"{description}{', '.join(choices)}.", example, tuple(choices))


COLUMNS = [
    Column("source", True, "text", "The system the file comes from; with custody_id it identifies the booking.", "RMS"),
    Column("custody_id", True, "text", "The booking's ID in that system.", "BK-2026-00412"),
    Column("person_id", False, "text", "The department's ID for the person; matches an existing person.", "HPD-1001"),
    Column("full_name", True, "text", "The person's name.", "Maria Example"),
    Column("date_of_birth", False, "date", "YYYY-MM-DD.", "1990-03-04"),
    Column("booking_number", False, "text", "As printed on the booking sheet.", "B-26-0412"),
    Column("booked_at", True, "time", "When the person was booked.", "2026-10-05 22:00"),
    _code("basis", True, "Basis of custody: ", Custody.Basis.values, "criminal_charge"),
    Column("eligible_for_release_at", False, "time", "When the person could have walked out.", ""),
    _code("eligibility_reason", False, "", Custody.EligibilityReason.values),
    Column("released_at", False, "time", "Release.", ""),
    Column("transferred_to_ice_at", False, "time", "Transfer to ICE custody.", ""),
    _code("transfer_authority", False, "", Custody.TransferAuthority.values),
    Column(
        "authority_received_at",
        False,
        "time",
        "When the judicial warrant or court order for the transfer was received (required with either).",
        "",
    ),
    Column("delay_reason", False, "text", "Why the person left after becoming eligible.", ""),
    Column(
        "detainer_id",
        False,
        "text",
        "The detainer's ID in the source system; empty for a row with no detainer.",
        "DT-88",
    ),
    _code("form", False, "Form: ", Detainer.Form.values, "I-247A"),
    _code("kind", False, "Only for form `other`: ", Detainer.Kind.values),
    _code("received_via", False, "", Detainer.ReceivedVia.values, "fax"),
    Column("lodged_at", False, "time", "When the detainer reached the department.", "2026-10-05 23:00"),
    Column(
        "reasons",
        False,
        "codes",
        "Reason codes separated by `;`: " + ", ".join(DetainerReason.Code.values) + ".",
        "final_order;biometric_match",
        tuple(DetainerReason.Code.values),
    ),
    Column("other_reason", False, "text", "The text of reason `other`.", ""),
    Column("federal_reference", False, "text", "ICE's subject or event ID (never an A-number).", "SUBJ-4471902"),
    Column(
        "judicial_warrant",
        False,
        "yes/no",
        "Required with a detainer: yes if a warrant or order signed by a judge came with it, no if not.",
        "no",
    ),
    Column(
        "judicial_warrant_received_at",
        False,
        "time",
        "When the judge's warrant or order was received (required when judicial_warrant is yes).",
        "",
    ),
    Column("lifted_at", False, "time", "When ICE withdrew it.", ""),
    Column("copy_served_at", False, "time", "When the person got a copy (2(g)).", "2026-10-06 08:00"),
    _code("response", False, "Notification requests: ", Detainer.Response.values),
    Column("responded_at", False, "time", "When the department answered (required with a response).", ""),
]
REQUIRED = [column.name for column in COLUMNS if column.required]
DETAINER_COLUMNS = ["form", "received_via", "lodged_at", "reasons", "judicial_warrant"]
TIME_FORMATS = ["%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]


class ImportRefused(Exception):
    """The file as a whole cannot be read (encoding, format, columns, size)."""


@dataclass(frozen=True)
class RowError:
    row: int  # the line in the file, the header being line 1
    column: str
    message: str


# The result names the first few records of each kind it created; the rest are in the lists (a file may hold
# 10,000 rows).
FIRST_CREATED = 10
KIND_NAMES = {
    "person": ("person", "people"),
    "custody": ("custody record", "custody records"),
    "detainer": ("detainer", "detainers"),
}


def counted(counter: Counter) -> str:
    """“3 people, 1 custody record”, or “nothing”."""
    return (
        ", ".join(f"{n} {KIND_NAMES[kind][n != 1]}" for kind, n in counter.items() if n and kind in KIND_NAMES)
        or "nothing"
    )


# A booking on two rows (one per detainer) is one record: it counts once, as the most it underwent in any row.
OUTCOME_RANK = {"unchanged": 0, "updated": 1, "created": 2}


@dataclass
class ImportReport:
    rows: int = 0
    outcomes: dict[tuple[str, int], str] = field(default_factory=dict)  # (kind, pk) -> created | updated | unchanged
    errors: list[RowError] = field(default_factory=list)
    possible_duplicates: list[Person] = field(default_factory=list)
    saved: bool = False
    first_created: dict[str, list] = field(default_factory=dict)  # kind -> its first FIRST_CREATED records
    # Opened or reopened by the import and still open at its end, per clause in the ordinance's order.
    findings_by_clause: list[tuple[Clause, int]] = field(default_factory=list)
    violations_raised: int = 0

    def record(self, kind: str, what: str, record) -> None:
        key = (kind, record.pk)
        if OUTCOME_RANK[what] > OUTCOME_RANK.get(self.outcomes.get(key), -1):
            self.outcomes[key] = what
        if what == "created":
            first = self.first_created.setdefault(kind, [])
            if len(first) < FIRST_CREATED:
                first.append(record)

    def _count(self, what: str) -> Counter:
        return Counter(kind for (kind, _), outcome in self.outcomes.items() if outcome == what)

    @property
    def created(self) -> Counter:
        return self._count("created")

    @property
    def updated(self) -> Counter:
        return self._count("updated")

    @property
    def unchanged(self) -> Counter:
        return self._count("unchanged")

    @property
    def findings_raised(self) -> int:
        return sum(count for _, count in self.findings_by_clause)

    @property
    def created_words(self) -> str:
        return counted(self.created)

    @property
    def updated_words(self) -> str:
        return counted(self.updated)

    @property
    def unchanged_words(self) -> str:
        return counted(self.unchanged)


# --- Reading ------------------------------------------------------------------------------------------------


def worked_example() -> list[tuple[str, list[str]]]:
    """The sample file's rows for WORKED_EXAMPLE, column by column (only the columns they fill), so the format
    page's example is the file a clerk can download and cannot drift from it."""
    rows = [row for _, row in read_rows(SAMPLE.read_bytes()) if row["custody_id"] == WORKED_EXAMPLE]
    return [
        (column.name, [row[column.name] for row in rows]) for column in COLUMNS if any(row[column.name] for row in rows)
    ]


def read_rows(data: bytes) -> list[tuple[int, dict]]:
    """(line number, row) for each non-empty row; refuses what is not a UTF-8 CSV with the required columns."""
    if len(data) > MAX_BYTES:
        raise ImportRefused(
            f"The file is {len(data) / 1_048_576:.0f} MB; the limit is {MAX_BYTES // 1_048_576} MB. "
            "Split it into smaller files."
        )
    if data.startswith(b"PK\x03\x04") or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportRefused(
            "This is a spreadsheet (Excel), not CSV. In the spreadsheet, choose “Save as” → "
            "“CSV UTF-8”, and upload that file."
        )
    if b"\x00" in data[:4096]:
        raise ImportRefused("This is not a text file. Upload the CSV exported by the records system.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportRefused(
            f"The file is not UTF-8 (byte {error.start + 1} cannot be read). Export it again as “CSV UTF-8”."
        ) from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    headers = [(name or "").strip() for name in (reader.fieldnames or [])]
    missing = [name for name in REQUIRED if name not in headers]
    if missing:
        raise ImportRefused(
            f"Missing column{'s' if len(missing) > 1 else ''}: {', '.join(missing)}. The first line "
            "must name the columns; see the format page."
        )
    unknown = [name for name in headers if name and name not in {c.name for c in COLUMNS}]
    if unknown:
        raise ImportRefused(f"Unknown column{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)}.")
    reader.fieldnames = headers
    rows = []
    try:
        for row in reader:
            values = {name: (value or "").strip() for name, value in row.items() if name}
            if any(values.values()):
                rows.append((reader.line_num, values))
    except csv.Error as error:
        raise ImportRefused(f"The file is not valid CSV near line {reader.line_num}: {error}.") from None
    if not rows:
        raise ImportRefused("The file has no rows under its header.")
    return rows


# --- Parsing one row ------------------------------------------------------------------------------------------


class _RowInvalid(Exception):
    def __init__(self, errors: list[tuple[str, str]]):
        self.errors = errors


def _parse(row: dict, zone: str) -> dict:
    values, errors = {}, []
    for column in COLUMNS:
        raw = row.get(column.name, "")
        if not raw and column.required:
            errors.append((column.name, "This column must have a value."))
        try:
            values[column.name] = cell(column, raw, zone)
        except ValidationError as error:
            errors.append((column.name, error.messages[0]))
    if values.get("detainer_id"):
        errors += [
            (name, "A row with a detainer_id needs this column.") for name in DETAINER_COLUMNS if not row.get(name)
        ]
    if row.get("response") and not row.get("responded_at"):
        errors.append(("responded_at", "Say when the department answered."))
    if errors:
        raise _RowInvalid(errors)
    return values


def cell(column: Column, raw: str, zone: str):
    """One cell's value. An empty cell is no answer (None, or "" for text and codes): a yes/no left empty is never
    read as "no", and the service refuses what it needs and was not given."""
    if not raw:
        return None if column.kind in ("time", "date", "yes/no") else ""
    return _convert(column, raw, zone)


def _convert(column: Column, raw: str, zone: str):
    if column.kind == "date":
        try:
            return date.fromisoformat(raw)
        except ValueError:
            raise ValidationError(f"“{raw}” is not a date like 2026-10-05.") from None
    if column.kind == "time":
        return _time(raw, zone, column.name)
    if column.kind == "yes/no":
        if raw.lower() in ("yes", "y", "true", "1"):
            return True
        if raw.lower() in ("no", "n", "false", "0"):
            return False
        raise ValidationError(f"“{raw}” is not yes or no.")
    if column.kind == "codes":
        codes = [code.strip() for code in raw.split(";") if code.strip()]
        for code in codes:
            _one_of(column, code)
        return codes
    if column.kind == "code":
        _one_of(column, raw)
    return raw


def _one_of(column: Column, code: str) -> None:
    if column.choices and code not in column.choices:
        raise ValidationError(f"“{code}” is not one of {', '.join(column.choices)}.")


def _time(raw: str, zone: str, name: str) -> datetime:
    try:
        moment = datetime.fromisoformat(raw.replace(" ", "T", 1))
    except ValueError:
        moment = None
    if moment is None:
        for format_ in TIME_FORMATS:
            try:
                moment = datetime.strptime(raw, format_)
                break
            except ValueError:
                continue
    if moment is None:
        raise ValidationError(f"“{raw}” is not a time like 2026-10-05 22:00.")
    if timezone.is_aware(moment):
        return moment
    try:
        return local_datetime(moment, zone=zone, field=name)
    except ValidationError as error:
        if in_repeated_hour(error, name):
            raise ValidationError(offset_needed(moment, zone=zone)) from None
        raise ValidationError(error.message_dict[name][0]) from None


# --- Importing ------------------------------------------------------------------------------------------------

CUSTODY_FIELDS = [
    "booking_number",
    "booked_at",
    "basis",
    "eligible_for_release_at",
    "eligibility_reason",
    "released_at",
    "transferred_to_ice_at",
    "transfer_authority",
    "authority_received_at",
    "delay_reason",
]


def import_records(*, data: bytes, by, dry_run: bool = False, now: datetime | None = None) -> ImportReport:
    """Check every row and, if none is refused and this is not a dry run, save them all."""
    now = now or timezone.now()
    rows = read_rows(data)
    zone = town_zone(municipality_get())
    report = ImportReport(rows=len(rows))
    touched_people: set[int] = set()
    try:
        with transaction.atomic(), findings_raised() as raised:
            for line, row in rows:
                try:
                    with transaction.atomic():
                        values = _parse(row, zone)
                        outcome = _import_row(values, by=by, now=now, touched_people=touched_people)
                except _RowInvalid as invalid:
                    report.errors += [RowError(line, column, message) for column, message in invalid.errors]
                except ValidationError as error:
                    report.errors += _row_errors(line, error)
                else:
                    for kind, what, record in outcome:
                        report.record(kind, what, record)
            sections = Counter(finding.section for finding in raised.values())
            report.findings_by_clause = [(clause, sections[clause.code]) for clause in CLAUSES if sections[clause.code]]
            report.violations_raised = sum(f.severity == Finding.Severity.VIOLATION for f in raised.values())
            report.possible_duplicates = [
                person
                for person in Person.objects.filter(pk__in=touched_people)
                if selectors.person_possible_duplicates(person).exists()
            ]
            if report.errors or dry_run:
                raise _RollBack
    except _RollBack:
        return report
    report.saved = True
    return report


class _RollBack(Exception):
    pass


FIELD_TO_COLUMN = {
    "person": "person_id",
    "eligible_for_release_at": "eligible_for_release_at",
    "__all__": "row",
    "custody": "custody_id",
    "lodged_with": "detainer_id",
}


def _row_errors(line: int, error: ValidationError) -> list[RowError]:
    if hasattr(error, "error_dict"):
        return [
            RowError(line, FIELD_TO_COLUMN.get(name, name), message)
            for name, messages in error.message_dict.items()
            for message in messages
        ]
    return [RowError(line, "row", message) for message in error.messages]


def _import_row(values: dict, *, by, now, touched_people: set) -> list[tuple[str, str, object]]:
    """What the row did to each record it names: (kind, created | updated | unchanged, the record)."""
    outcome = []
    source = values["source"]
    custody = (
        Custody.objects.filter(import_source=source, external_id=values["custody_id"]).select_related("person").first()
    )
    if custody is None:
        person = None
        if values["person_id"]:
            person = Person.objects.current().active().filter(department_id__iexact=values["person_id"]).first()
        if person is None:
            person = services.person_create(
                full_name=values["full_name"],
                date_of_birth=values["date_of_birth"],
                department_id=values["person_id"],
                by=by,
            )
            outcome.append(("person", "created", person))
        touched_people.add(person.pk)
        custody = services.custody_import(
            person=person,
            import_source=source,
            external_id=values["custody_id"],
            values={name: values[name] for name in CUSTODY_FIELDS},
            by=by,
            now=now,
        )
        outcome.append(("custody", "created", custody))
    else:
        changed = services.custody_import_update(
            custody=custody, values={name: values[name] for name in CUSTODY_FIELDS}, by=by, now=now
        )
        outcome.append(("custody", "updated" if changed else "unchanged", custody))
    if values["detainer_id"]:
        outcome.append(("detainer", *_import_detainer(custody, values, source=source, by=by, now=now)))
    return outcome


def _import_detainer(custody, values, *, source, by, now) -> tuple[str, Detainer]:
    reasons = [(code, values["other_reason"] if code == "other" else "") for code in values["reasons"]]
    detainer = Detainer.objects.filter(import_source=source, external_id=values["detainer_id"]).first()
    if detainer is None:
        detainer = services.detainer_create(
            custody=custody,
            form=values["form"],
            kind=values["kind"],
            received_via=values["received_via"],
            lodged_at=values["lodged_at"],
            reasons=reasons,
            federal_reference=values["federal_reference"],
            judicial_warrant=values["judicial_warrant"],
            judicial_warrant_received_at=values["judicial_warrant_received_at"],
            copy_served_at=values["copy_served_at"],
            by=by,
            now=now,
            import_key=(source, values["detainer_id"]),
        )
        if values["lifted_at"]:
            services.detainer_update(detainer=detainer, lifted_at=values["lifted_at"], by=by, now=now)
        if values["response"]:
            services.notification_respond(
                detainer=detainer,
                response=values["response"],
                at=values["responded_at"],
                by=by,
                now=now,
            )
        return "created", detainer
    if detainer.custody_id != custody.pk:
        raise ValidationError({"detainer_id": "This detainer belongs to another booking in an earlier import."})
    changes = {
        name: values[name]
        for name in ("federal_reference", "lifted_at", "copy_served_at", "received_via")
        if getattr(detainer, name) != values[name]
    }
    if values["judicial_warrant"] != detainer.judicial_authorities.active().exists():
        changes["judicial_warrant"] = values["judicial_warrant"]
        changes["judicial_warrant_received_at"] = values["judicial_warrant_received_at"]
    if sorted(reasons) != sorted((r.code, r.text) for r in detainer.reasons.all()):
        changes["reasons"] = reasons
    if values["response"] and values["response"] != detainer.response:
        services.notification_respond(
            detainer=detainer,
            response=values["response"],
            at=values["responded_at"],
            by=by,
            now=now,
        )
        changes.setdefault("notes", detainer.notes)
    if not changes:
        return "unchanged", detainer
    services.detainer_update(detainer=detainer, by=by, now=now, **changes)
    return "updated", detainer
