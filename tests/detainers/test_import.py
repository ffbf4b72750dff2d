"""Import from the records-management system: all or nothing, keyed rows, robust reading, clear refusals."""

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from detainers import imports, services
from detainers.models import Custody, Detainer, Person
from tests.conftest import sign_in_verified
from welcoming.models import Finding

SAMPLE = (Path(imports.__file__).parent / "samples" / "records-sample.csv").read_bytes()
HEADER = SAMPLE.split(b"\n", 1)[0].decode()


def row(**values) -> str:
    """One CSV line in the sample's column order; unnamed columns are empty."""
    base = {
        "source": "RMS",
        "custody_id": "BK-X",
        "full_name": "Row Person",
        "booked_at": "2026-09-20 10:00",
        "basis": "criminal_charge",
    }
    base.update(values)
    return ",".join(base.get(name, "") for name in HEADER.split(","))


def csv_of(*lines: str) -> bytes:
    return ("\n".join([HEADER, *lines]) + "\n").encode()


def test_the_sample_file_imports_and_a_second_import_creates_nothing(clerk, municipality):
    report = imports.import_records(data=SAMPLE, by=clerk)
    assert report.saved and not report.errors
    assert dict(report.created) == {"person": 3, "custody": 3, "detainer": 3}
    assert Detainer.objects.get(external_id="DT-9003").response == "declined"
    again = imports.import_records(data=SAMPLE, by=clerk)
    assert again.saved and not again.created and not again.updated
    # Four rows, but booking BK-2026-0102 is on two of them (one per detainer): each record is counted once.
    assert again.unchanged_words == "3 custody records, 3 detainers"
    assert (Person.objects.count(), Custody.objects.count(), Detainer.objects.count()) == (3, 3, 3)


def test_a_booking_on_two_rows_counts_once_as_the_most_that_happened_to_it(clerk, municipality):
    lodged = {"form": "I-247A", "received_via": "fax", "lodged_at": "2026-09-20 11:00", "judicial_warrant": "no"}
    first = csv_of(
        row(custody_id="K", detainer_id="K1", reasons="final_order", **lodged),
        row(custody_id="K", detainer_id="K2", reasons="final_order", **lodged),
    )
    created = imports.import_records(data=first, by=clerk)
    assert created.created_words == "1 person, 1 custody record, 2 detainers"
    assert created.updated_words == "nothing" and created.unchanged_words == "nothing"
    # The second row releases the person: the booking was updated (once), one detainer changed, one did not.
    second = csv_of(
        row(custody_id="K", detainer_id="K1", reasons="final_order", **lodged),
        row(
            custody_id="K",
            detainer_id="K2",
            reasons="final_order;biometric_match",
            eligible_for_release_at="2026-09-20 12:00",
            eligibility_reason="bail_posted",
            released_at="2026-09-20 12:00",
            **lodged,
        ),
    )
    report = imports.import_records(data=second, by=clerk)
    assert report.saved, report.errors
    assert (report.created_words, report.updated_words, report.unchanged_words) == (
        "nothing",
        "1 custody record, 1 detainer",
        "1 detainer",
    )


def test_a_changed_row_updates_its_record_with_history(clerk, municipality):
    imports.import_records(data=SAMPLE, by=clerk)
    custody = Custody.objects.get(external_id="BK-2026-0103")
    changed = SAMPLE.replace(
        b"2026-09-10 18:05,sentence,,,,",
        b"2026-09-10 18:05,sentence,2026-09-12 09:00,sentence_served,2026-09-12 09:00,",
    )
    report = imports.import_records(data=changed, by=clerk)
    assert not report.errors, report.errors
    assert report.updated["custody"] == 1
    custody.refresh_from_db()
    assert custody.released_at is not None and custody.history.count() >= 2


def test_one_bad_row_imports_nothing_and_names_the_row_and_column(clerk, municipality):
    data = csv_of(
        row(custody_id="A1"),
        row(custody_id="A2", basis="bogus"),
        row(
            custody_id="A3",
            detainer_id="D3",
            form="I-247A",
            received_via="fax",
            lodged_at="2026-09-20 11:00",
            reasons="final_order",
            judicial_warrant="no",
            federal_reference="A123456789",
        ),
    )
    report = imports.import_records(data=data, by=clerk)
    assert not report.saved and not Custody.objects.exists() and not Person.objects.exists()
    problems = {(error.row, error.column) for error in report.errors}
    assert (3, "basis") in problems and (4, "federal_reference") in problems
    assert len(report.errors) == 2


def test_times_around_daylight_saving_are_checked_per_row(clerk, municipality):
    report = imports.import_records(data=csv_of(row(booked_at="2026-03-08 02:30")), by=clerk)
    assert report.errors[0].column == "booked_at" and "does not exist" in report.errors[0].message
    report = imports.import_records(data=csv_of(row(booked_at="2026-11-01 01:30")), by=clerk)
    assert report.errors[0].message == (
        "2026-11-01 01:30 happened twice in America/New_York that night, when the clocks went back. Write it with "
        "its offset: 01:30-04:00 (EDT, the first) or 01:30-05:00 (EST, the second), as in 2026-11-01T01:30-05:00."
    )
    report = imports.import_records(data=csv_of(row(booked_at="2026-11-01T01:30-05:00")), by=clerk)
    assert report.saved


def test_a_detainer_row_without_its_columns_is_refused(clerk, municipality):
    report = imports.import_records(data=csv_of(row(detainer_id="D1")), by=clerk)
    assert {error.column for error in report.errors} == {
        "form",
        "received_via",
        "lodged_at",
        "reasons",
        "judicial_warrant",  # said either way: an empty cell is never read as "no"
    }


def test_an_imported_violation_opens_a_finding(clerk, municipality):
    imports.import_records(data=csv_of(row(basis="detainer_only")), by=clerk)
    assert Finding.objects.get().section == "2(d)"


def test_people_are_matched_by_department_id_and_possible_duplicates_flagged(clerk, municipality):
    existing = services.person_create(full_name="Row Person", department_id="HPD-1", by=clerk)
    imports.import_records(data=csv_of(row(person_id="hpd-1")), by=clerk)
    assert Custody.objects.get().person == existing
    twin = services.person_create(full_name="Twin Person", date_of_birth=None, department_id="", by=clerk)
    services.person_update(person=twin, date_of_birth=__import__("datetime").date(1990, 1, 1), by=clerk)
    report = imports.import_records(
        data=csv_of(row(custody_id="T2", full_name="Twin Person", date_of_birth="1990-01-01")), by=clerk
    )
    assert [p.full_name for p in report.possible_duplicates] == ["Twin Person"]


# --- Reading ------------------------------------------------------------------------------------------------


def test_a_bom_windows_line_endings_quotes_spaces_and_trailing_empty_rows_are_read(clerk, municipality):
    text = (
        HEADER
        + "\r\n"
        + row(custody_id="Q1", full_name='"  Silva, Ana  "', delay_reason='"two\r\nlines"')
        + "\r\n,,,\r\n\r\n"
    )
    report = imports.import_records(data=b"\xef\xbb\xbf" + text.encode(), by=clerk)
    assert report.saved, report.errors
    custody = Custody.objects.get()
    assert custody.person.full_name == "Silva, Ana"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("Jos\xe9,source".encode("latin-1"), "not UTF-8"),
        (b"PK\x03\x04 excel inside", "spreadsheet"),
        (b"full_name,booked_at\nX,2026-01-01 10:00\n", "Missing columns: source, custody_id, basis"),
        (HEADER.encode() + b"\n", "no rows"),
        ((HEADER + ",citizenship\n").encode(), "Unknown column: citizenship"),
    ],
)
def test_what_is_not_a_readable_csv_is_refused_clearly(clerk, municipality, data, message):
    with pytest.raises(imports.ImportRefused, match=message):
        imports.import_records(data=data, by=clerk)


def test_a_file_over_the_cap_is_refused(clerk, municipality, monkeypatch):
    monkeypatch.setattr(imports, "MAX_BYTES", 1024)
    with pytest.raises(imports.ImportRefused, match="the limit is"):
        imports.import_records(data=SAMPLE + b" " * 2048, by=clerk)


# --- From the command line and the screen ---------------------------------------------------------------------


def test_the_command_imports_and_reports_problems_by_line(clerk, municipality, tmp_path, capsys):
    good = tmp_path / "good.csv"
    good.write_bytes(SAMPLE)
    call_command("import_records", str(good), "--user", "clerk")
    assert "Imported 4 rows" in capsys.readouterr().out
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_of(row(custody_id="Z", basis="nope")))
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_records", str(bad))
    assert "line 2, basis" in capsys.readouterr().err


def test_the_import_screen_checks_then_imports(client, clerk, municipality):
    from django.core.files.uploadedfile import SimpleUploadedFile

    sign_in_verified(client, clerk)
    checked = client.post(reverse("detainers:import"), {"file": SimpleUploadedFile("rms.csv", SAMPLE), "dry_run": "on"})
    assert "Checked: every row is valid" in checked.content.decode() and not Custody.objects.exists()
    done = client.post(reverse("detainers:import"), {"file": SimpleUploadedFile("rms.csv", SAMPLE)})
    assert "Imported — 4 rows" in done.content.decode() and Custody.objects.count() == 3
    bad = client.post(reverse("detainers:import"), {"file": SimpleUploadedFile("rms.csv", csv_of(row(basis="x")))})
    body = bad.content.decode()
    assert "Nothing was imported: 1 problem in 1 row" in body and "<code>basis</code>" in body
    refused = client.post(reverse("detainers:import"), {"file": SimpleUploadedFile("x.csv", b"PK\x03\x04")})
    assert "This is a spreadsheet (Excel), not CSV" in refused.content.decode()


def test_a_code_not_in_its_list_is_refused_with_the_valid_ones_as_the_format_page_lists_them(
    client, clerk, municipality
):
    data = csv_of(
        row(
            custody_id="C1",
            detainer_id="D1",
            form="I-248",
            received_via="fax",
            lodged_at="2026-09-20 11:00",
            reasons="final_order;gangs",
            judicial_warrant="no",
        )
    )
    report = imports.import_records(data=data, by=clerk)
    messages = {error.column: error.message for error in report.errors}
    valid_forms = "I-247A, I-247D, I-247X, I-247N, I-200, I-203, I-205, release_inquiry, other"
    assert messages == {
        "form": f"“I-248” is not one of {valid_forms}.",
        "reasons": "“gangs” is not one of final_order, pending_proceedings, biometric_match, statements_or_evidence, "
        "dhs_transfer_resume, national_security, gang, felony, aggravated_felony, significant_misdemeanor, "
        "three_misdemeanors, other, not_stated.",
    }
    assert not report.saved and not Custody.objects.exists()
    format_page = sign_in_verified(client, clerk).get(reverse("detainers:import-format")).content.decode()
    assert f"Form: {valid_forms}." in format_page  # the page a clerk fixes the file from says the same


def test_the_import_result_links_what_it_created_and_counts_the_findings_it_opened(
    client, clerk, municipality, monkeypatch
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    monkeypatch.setattr(imports, "FIRST_CREATED", 1)  # a 10,000-row file names only the first few of each kind
    data = csv_of(
        row(custody_id="F1", full_name="Held Onhold", basis="detainer_only"),  # 2(d) from booking on
        row(custody_id="F2", full_name="Booked Plainly"),
    )
    sign_in_verified(client, clerk)
    checked = client.post(reverse("detainers:import"), {"file": SimpleUploadedFile("f.csv", data), "dry_run": "on"})
    assert "Importing would open 1 finding, 1 of them a violation" in checked.content.decode()
    assert (
        "<li>Clause 2(d) — No holding anyone on a detainer or administrative warrant: 1</li>"
        in checked.content.decode()
    )
    assert not Finding.objects.exists()
    body = client.post(reverse("detainers:import"), {"file": SimpleUploadedFile("f.csv", data)}).content.decode()
    assert "Created: 2 people, 2 custody records. Updated: nothing." in body
    assert "The import opened 1 finding, 1 of them a violation" in body
    assert f'<a href="{reverse("welcoming:findings")}">See them in the findings</a>' in body
    first = Custody.objects.get(external_id="F1")
    assert f'<a href="{first.person.get_absolute_url()}">Held Onhold</a>' in body
    assert f'<a href="{first.get_absolute_url()}">Held Onhold, booked 2026-09-20 10:00</a>' in body
    assert "Booked Plainly</a>" not in body  # past the first: counted, and found in the lists
    assert f'And 1 more: <a href="{reverse("detainers:person-list")}">all people</a>' in body
    assert f'And 1 more: <a href="{reverse("detainers:custody-list")}">all custody records</a>' in body
    again = client.post(reverse("detainers:import"), {"file": SimpleUploadedFile("f.csv", data)}).content.decode()
    assert "The import opened no finding." in again  # the finding was already open: nothing new


def test_a_finding_an_import_opens_and_then_closes_is_not_counted(clerk, municipality):
    # The first row of a booking has a hold with no copy served a day on (2(g)); its second row serves it.
    lodged = {
        "detainer_id": "G1",
        "form": "I-247A",
        "received_via": "fax",
        "lodged_at": "2026-09-20 11:00",
        "reasons": "final_order",
        "judicial_warrant": "no",
    }
    data = csv_of(
        row(custody_id="G", basis="criminal_charge", **lodged),
        row(custody_id="G", basis="criminal_charge", **lodged, copy_served_at="2026-09-20 12:00"),
    )
    report = imports.import_records(data=data, by=clerk)
    assert report.saved, report.errors
    assert Finding.objects.filter(section="2(g)").get().status == "closed"
    assert report.findings_raised == 0


def test_the_format_page_walks_through_the_sample_files_own_rows(client, clerk, municipality):
    sign_in_verified(client, clerk)
    page = client.get(reverse("detainers:import-format")).content.decode()
    assert "Where each column usually comes from" in page
    example = dict(imports.worked_example())
    # The story the page tells is the sample's: one booking, two holds, two rows.
    assert example["custody_id"] == ["BK-2026-0102", "BK-2026-0102"]
    assert example["booked_at"] == ["2026-09-03 02:10", "2026-09-03 02:10"]
    assert example["form"] == ["I-247A", "I-200"] and example["lodged_at"] == ["2026-09-03 04:00"] * 2
    assert example["reasons"] == ["final_order;biometric_match", "not_stated"]
    assert example["judicial_warrant"] == ["no", "no"] and example["copy_served_at"] == ["2026-09-03 06:30"] * 2
    assert example["released_at"] == ["2026-09-03 14:00"] * 2
    assert '<th scope="row"><code>form</code></th><td><code>I-247A</code></td><td><code>I-200</code></td>' in page
    assert "transferred_to_ice_at" not in example  # only the columns the rows fill
