"""The chief signs a period's report: the figures freeze, the PDF is made once and hashed, a correction is a new
version that supersedes the first (DESIGN.md section 5)."""

import hashlib
import io
import re
import subprocess
import time
import zlib
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from detainers import services as detainer_services
from reports import selectors, services
from reports.models import Report
from tests.conftest import current_code, sign_in_verified
from tests.reports.conftest import NOW, local
from welcoming.accounts import otp_verify, otp_wait_seconds
from welcoming.models import Notification
from welcoming.roles import Role
from welcoming.selectors import municipality_get

PERIOD = 3  # December 1, 2025 – May 31, 2026: over, whatever day the tests run


@pytest.fixture
def chief_web(client, chief, municipality):
    return sign_in_verified(client, chief)


@pytest.fixture
def lodged(records):
    custody = records.custody(records.person("Rosa Example", "HPD-1"), booked=local(2026, 2, 3, 8))
    detainer = records.lodge(custody, at=local(2026, 2, 3, 9), copy_served_at=local(2026, 2, 3, 10))
    records.release(custody, eligible=local(2026, 2, 3, 12), at=local(2026, 2, 3, 14))
    return detainer


def sign(web, chief, *, step=0, **fields):
    data = {"code": current_code(chief, offset_steps=step), "chief_comment": "", **fields}
    return web.post(reverse("reports:report", args=[PERIOD]), data)


def correct(web, chief, *, step=0, **fields):
    data = {"code": current_code(chief, offset_steps=step), "chief_comment": "", **fields}
    return web.post(reverse("reports:report-correct", args=[PERIOD]), data)


def pdf_objects(data: bytes) -> bytes:
    """The file's objects with their compressed streams inflated, where the catalog (and its /Lang) lives."""
    inflated = [data]
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", data, re.S):
        try:
            inflated.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue  # images and fonts with other filters
    return b"\n".join(inflated)


def live_figures(report) -> dict:
    municipality = municipality_get()
    window = selectors.figures_window(municipality=municipality, start=report.period_start, end=report.period_end)
    return selectors.figures(municipality=municipality, window=window)


def pdf_text(report, tmp_path, *, layout=True) -> str:
    path = tmp_path / f"report-{report.pk}.pdf"
    with report.pdf.open("rb") as stored:
        path.write_bytes(stored.read())
    options = ["-layout"] if layout else []
    return subprocess.run(["pdftotext", *options, str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_the_chief_signs_and_the_figures_freeze(chief_web, chief, lodged, make_staff, tmp_path):
    townclerk = make_staff("townclerk", Role.MUNICIPAL_CLERK)
    page = chief_web.get(reverse("reports:report", args=[PERIOD])).content.decode()
    assert "Draft." in page and "Sign the report" in page
    response = sign(chief_web, chief, chief_comment="One person was held two hours past bail; IA is reviewing it.")
    assert response.status_code == 302
    report = Report.objects.get()
    assert (report.version, report.signer_name, report.signer_title) == (1, "Charlene Chief", "Chief of Police")
    live = live_figures(report)
    assert report.snapshot["figures"] == live
    assert report.snapshot["records"]["lodged"]["immigration_detainer"] == [lodged.pk]
    assert report.snapshot["records"]["individuals_detained"]["persons"] == [lodged.custody.person_id]
    page = chief_web.get(reverse("reports:report", args=[PERIOD])).content.decode()
    assert report.pdf_sha256 in page and "Signed" in page and "Sign the report" not in page
    assert "IA is reviewing it" in page
    told = Notification.objects.filter(event=Notification.Event.REPORT_SIGNED)
    assert set(told.values_list("recipient__username", flat=True)) == {"chief", "townclerk"}
    assert townclerk.notifications.get().link == reverse("reports:report-version", args=[report.pk])

    # Later edits and voids of the records behind it change the live figures, never the signed ones.
    detainer_services.record_void(record=lodged, by=chief, reason="Lodged for another person.", now=NOW)
    report.refresh_from_db()
    assert report.snapshot["figures"] == live
    assert (
        selectors.figures(
            municipality=selectors.municipality_get(),
            window=selectors.figures_window(
                municipality=selectors.municipality_get(), start=report.period_start, end=report.period_end
            ),
        )["lodged"]["immigration_detainer"]["total"]
        == 0
    )
    page = chief_web.get(reverse("reports:report", args=[PERIOD])).content.decode()
    assert re.search(r"Immigration detainer \(hold\): all</th><td class=\"app-number\">1<", page)
    text = pdf_text(report, tmp_path)
    assert re.search(r"Immigration detainer \(hold\): all\s+1\b", text)


def test_the_pdf_says_what_the_snapshot_says_and_its_hash_is_stable(chief_web, chief, lodged, records, tmp_path):
    from datetime import date

    records.reimbursement("1000.00", date(2026, 2, 4), "PD-2026-0118")
    sign(chief_web, chief)
    report = Report.objects.get()
    document = report.snapshot["figures"]
    text = pdf_text(report, tmp_path)
    assert "Welcoming Community Ordinance No. 2024-17: semiannual report of" in text
    assert "Harborview Police Department" in text and "December 1, 2025 to May 31, 2026" in text
    for kind in selectors.lodged_rows(document):
        assert re.search(rf"{re.escape(kind['label'])}: all\s+{kind['total']}\b", text), kind["label"]
        for reason in kind["reasons"]:
            assert re.search(rf"{re.escape(reason['label'])}\s+{reason['count']}\b", text), reason["label"]
    assert re.search(rf"4\(b\) Detained on an ICE hold.*?\s{document['individuals_detained']}\s", text, re.S)
    assert re.search(rf"4\(c\) Transferred to ICE custody.*?\s{document['individuals_transferred']}\s", text, re.S)
    assert re.search(r"PD-2026-0118\s+\$1,000\.00", text) and re.search(r"Total\s+\$1,000\.00", text)
    assert "Supplement: beyond what the ordinance requires" in text
    assert "Signed by Charlene Chief, Chief of Police" in text and re.search(r"Page 1 of \d", text)
    assert "Rosa Example" not in text and "HPD-1" not in text  # a public paper: figures, never names
    downloads = [chief_web.get(reverse("reports:report-pdf", args=[report.pk])) for _ in range(2)]
    for download in downloads:
        assert download["Content-Type"] == "application/pdf"
        assert hashlib.sha256(b"".join(download.streaming_content)).hexdigest() == report.pdf_sha256


def test_the_pdf_carries_archival_metadata_and_fonts_for_every_language(chief_web, chief, tmp_path):
    sign(chief_web, chief, chief_comment="Informe — Relatório — Rapò — 报告 — Báo cáo")
    report = Report.objects.get()
    path = tmp_path / "report.pdf"
    with report.pdf.open("rb") as stored:
        path.write_bytes(stored.read())
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert "Title:           Semiannual report, December 1, 2025 to May 31, 2026" in info
    assert "Author:          Harborview Police Department" in info
    assert "Subject:         Welcoming Community Ordinance No. 2024-17, clause 4" in info
    assert re.search(r"Tagged:\s+yes", info)
    xmp = subprocess.run(["pdfinfo", "-meta", str(path)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"pdfaid:part[^0-9]*3", xmp) and re.search(r"pdfaid:conformance[^A-Z]*A", xmp)  # PDF/A-3a
    assert re.search(rb"/Lang\s*\(en\)", pdf_objects(path.read_bytes()))  # the language screen readers use
    # Tagged for a screen reader: headings, tables with header cells tied to their data, the chart as a figure
    # with its words (the chart's own title; the table beside it gives the numbers).
    structure = subprocess.run(["pdfinfo", "-struct", str(path)], capture_output=True, text=True, check=True).stdout
    tags = {line.split()[0].rstrip(":") for line in structure.splitlines() if line.strip()}
    assert {"Document", "H1", "H2", "Table", "TH", "TD", "/Headers", "Caption", "Figure", "L", "LI"} <= tags, tags
    assert b"/Alt (The figures across periods)" in pdf_objects(path.read_bytes())
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert "NotoSansCJK" in fonts.replace("-", "").replace(" ", "")  # Chinese needs the CJK face
    assert "报告" in pdf_text(report, tmp_path, layout=False) and "Báo cáo" in pdf_text(report, tmp_path, layout=False)


def test_a_period_with_nothing_lodged_says_so_in_words(chief_web, chief, tmp_path):
    sign(chief_web, chief)
    text = " ".join(pdf_text(Report.objects.get(), tmp_path, layout=False).split())
    assert "ICE lodged no immigration detainer, administrative warrant or notification request" in text
    assert "Nobody was detained on an ICE hold or administrative warrant." in text
    assert "Nobody was transferred to ICE custody." in text
    assert "No reimbursement was received from the federal government." in text
    # A median of nothing is no zero: the line shows a dash and says why, in the PDF, the JSON and the CSV.
    assert "Median days from request to decision — no request was certified or declined in the period" in text
    assert "Median days from request to decision 0" not in text
    [line] = [
        line
        for section in Report.objects.get().snapshot["figures"]["supplement"]["sections"]
        for line in section["lines"]
        if line["key"] == "median_days_to_decision"
    ]
    assert line["value"] is None and line["none_because"] == "no request was certified or declined in the period"
    figures_csv = reverse("reports:figures-download", args=["csv"]) + "?start=2025-12-01&end=2026-05-31"
    csv_text = chief_web.get(figures_csv).content.decode()
    assert "supplement,beyond the ordinance,u_visa_requests,median_days_to_decision,\r\n" in csv_text


def test_a_correction_needs_a_reason_and_supersedes_the_signed_version(chief_web, chief, lodged, tmp_path):
    sign(chief_web, chief)
    first = Report.objects.get()
    refused = correct(chief_web, chief, step=1)
    assert refused.status_code == 400 and "This field is required" in refused.content.decode()
    assert Report.objects.count() == 1
    response = correct(chief_web, chief, step=1, correction_reason="A reimbursement was entered in the wrong period.")
    assert response.status_code == 302
    second = Report.objects.get(version=2)
    first.refresh_from_db()
    assert second.supersedes == first and first.is_superseded and not second.is_superseded
    assert list(Report.objects.current()) == [second]
    text = " ".join(pdf_text(second, tmp_path, layout=False).split())
    assert "Version 2, a correction. It replaces version 1" in text
    assert "A reimbursement was entered in the wrong period." in text
    page = chief_web.get(reverse("reports:report", args=[PERIOD])).content.decode()
    assert "Superseded by version 2" in page and first.pdf_sha256 in page and second.pdf_sha256 in page
    old = chief_web.get(reverse("reports:report-version", args=[first.pk])).content.decode()
    assert "Superseded by" in old


def test_a_signed_report_read_back_lists_kinds_and_reasons_in_the_ordinance_order(chief_web, chief, records):
    custody = records.custody(records.person("Rosa Example", "HPD-1"), booked=local(2026, 2, 3, 8))
    # Stored by PostgreSQL by the keys' lengths: final_order, biometric_match, pending_proceedings.
    reasons = (("final_order", ""), ("pending_proceedings", ""), ("biometric_match", ""))
    records.lodge(custody, at=local(2026, 2, 3, 9), reasons=reasons)
    records.lodge(custody, at=local(2026, 2, 3, 9), form="I-247N", reasons=(("not_stated", ""),))
    sign(chief_web, chief)
    # Read back from the database, which (PostgreSQL) keeps a JSON object's keys in an order of its own.
    page = chief_web.get(reverse("reports:report", args=[PERIOD])).content.decode()
    headings = ["Immigration detainer (hold): all", "Final order of removal", "Removal proceedings", "Biometric"]
    headings += ["Administrative warrant: all", "Notification request: all", "Not stated on the document"]
    positions = [page.index(heading) for heading in headings]
    assert positions == sorted(positions)


def test_only_the_chief_signs_and_only_with_a_fresh_code_after_the_period(client, chief_web, chief, make_staff):
    for role in (Role.RECORDS_CLERK, Role.INTERNAL_AFFAIRS, Role.MUNICIPAL_CLERK):
        other = make_staff(f"other-{role.value}", role)
        web = sign_in_verified(type(client)(), other)
        response = web.post(reverse("reports:report", args=[PERIOD]), {"code": current_code(other)})
        assert response.status_code == 403, role
        with pytest.raises(PermissionDenied, match="Only the chief"):
            services.report_sign(period_number=PERIOD, by=other, code=current_code(other))
    wrong = chief_web.post(reverse("reports:report", args=[PERIOD]), {"code": "123456"})
    assert wrong.status_code == 400 and "That code is not right" in wrong.content.decode()
    assert TOTPDevice.objects.get(user=chief).throttling_failure_count == 1
    # After two wrong codes django-otp makes the next try wait two seconds, and the page says so. The wait runs on
    # the wall clock, so a loaded machine could outlast it between two requests: the second failure is stamped now.
    stamp = {"throttling_failure_count": 2, "throttling_failure_timestamp": timezone.now()}
    TOTPDevice.objects.filter(user=chief).update(**stamp)
    throttled = sign(chief_web, chief)
    assert throttled.status_code == 400
    assert re.search(r"Too many wrong codes: wait [12] seconds?,", throttled.content.decode())
    while otp_wait_seconds(user=chief):
        time.sleep(0.2)
    assert sign(chief_web, chief).status_code == 302
    assert Report.objects.count() == 1
    # The same code again: refused, as a replay, and nothing is signed.
    again = correct(chief_web, chief, correction_reason="Typo in the comment.")
    assert again.status_code == 400 and "already used" in again.content.decode()
    assert Report.objects.count() == 1


def test_the_service_refuses_a_second_signature_without_a_reason_and_a_correction_of_nothing(chief, municipality):
    with pytest.raises(ValidationError, match="no signed report to correct"):
        services.report_freeze(period_number=PERIOD, by=chief, correction_reason="Nothing to correct yet.")
    first = services.report_freeze(period_number=PERIOD, by=chief)
    with pytest.raises(ValidationError, match="already signed \\(version 1\\)"):
        services.report_freeze(period_number=PERIOD, by=chief)
    # A refusal that needs no code spends none: the code still signs the correction afterwards.
    code = current_code(chief)
    with pytest.raises(ValidationError, match="already signed"):
        services.report_sign(period_number=PERIOD, by=chief, code=code)
    second = services.report_sign(period_number=PERIOD, by=chief, code=code, correction_reason="A late entry.")
    assert second.supersedes == first


def test_a_signed_report_never_changes(chief, municipality):
    report = services.report_freeze(period_number=PERIOD, by=chief)
    report.chief_comment = "Rewritten afterwards."
    with pytest.raises(ValueError, match="never changes"):
        report.save()
    with pytest.raises(ValueError, match="never changes"):
        report.save(update_fields=["chief_comment"])
    report.refresh_from_db()
    assert report.chief_comment == ""


def test_the_running_period_cannot_be_signed(chief_web, chief, municipality):
    current = selectors.current_period(municipality, today=selectors.today_local(municipality))
    page = chief_web.get(reverse("reports:report", args=[current.number])).content.decode()
    assert "This period is still running" in page and "Sign the report" not in page
    response = chief_web.post(reverse("reports:report", args=[current.number]), {"code": current_code(chief)})
    assert response.status_code == 403
    with pytest.raises(ValidationError, match="signed once the period is over"):
        services.report_freeze(period_number=current.number, by=chief)
    assert not Report.objects.exists()


def test_a_pdf_that_fails_to_render_leaves_the_report_unsigned(chief_web, chief, monkeypatch, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)  # a directory of its own: nothing else writes there meanwhile
    reports_dir = Path(settings.MEDIA_ROOT) / "reports"
    before = set(reports_dir.iterdir()) if reports_dir.exists() else set()
    monkeypatch.setattr(services, "PDF_TEMPLATE", "reports/pdf/no-such-template.html")  # a real rendering failure
    response = sign(chief_web, chief)
    assert response.status_code == 400
    assert "The PDF could not be made (TemplateDoesNotExist); the report was not signed." in response.content.decode()
    assert not Report.objects.exists() and not Notification.objects.exists()
    assert (set(reports_dir.iterdir()) if reports_dir.exists() else set()) == before
    monkeypatch.undo()
    assert sign(chief_web, chief, step=1).status_code == 302  # with the next code, as the message says


def test_a_failure_after_the_pdf_is_stored_leaves_no_file_behind(chief, municipality, monkeypatch, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    reports_dir = Path(settings.MEDIA_ROOT) / "reports"
    before = set(reports_dir.iterdir()) if reports_dir.exists() else set()

    def mail_server_down(report):
        raise ConnectionError("SMTP unreachable")

    monkeypatch.setattr(services, "_notify_signed", mail_server_down)
    with pytest.raises(ConnectionError):
        services.report_freeze(period_number=PERIOD, by=chief)
    assert not Report.objects.exists()
    assert (set(reports_dir.iterdir()) if reports_dir.exists() else set()) == before


def test_the_chief_is_told_once_that_a_report_awaits_signature(chief, municipality):
    from django.core.management import call_command

    call_command("run_periodic", stdout=io.StringIO())
    told = Notification.objects.filter(recipient=chief, event=Notification.Event.REPORT_AWAITING_SIGNATURE)
    unsigned_past = [
        p
        for p in selectors.reporting_periods(municipality, today=selectors.today_local(municipality))
        if p.end < selectors.today_local(municipality)
    ]
    assert told.count() == len(unsigned_past) >= 4
    assert told.filter(link=reverse("reports:report", args=[PERIOD])).exists()
    call_command("run_periodic", stdout=io.StringIO())
    assert told.count() == len(unsigned_past)  # once per period, however often the scheduler runs


def test_a_code_just_used_to_sign_in_is_refused_with_a_sentence_to_wait_for_the_next(chief, lodged):
    services.report_freeze(period_number=PERIOD, by=chief)
    code = current_code(chief)
    assert otp_verify(user=chief, code=code) is not None  # signing in spends it
    with pytest.raises(ValidationError) as refused:
        services.report_sign(period_number=PERIOD, by=chief, code=code, correction_reason="A document came late.")
    assert "already used, perhaps to sign in" in str(refused.value) and "Wait for your app" in str(refused.value)
    assert Report.objects.count() == 1
