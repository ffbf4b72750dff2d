"""The chief reads a past period's figures in the browser, opens the records behind a number, and downloads
the same numbers as CSV."""

import csv
import hashlib
import io
import re

from playwright.sync_api import expect

from detainers import services
from tests.e2e.conftest import axe_violations, sign_in
from tests.reports.conftest import local
from welcoming.roles import Role


def _lodged(clerk, name, year, month, day):
    """A person booked on a sentence at 8 and an I-247A lodged at 9 and served at 10; the custody."""
    person = services.person_create(full_name=name, by=clerk)
    custody = services.custody_create(person=person, booked_at=local(year, month, day, 8), basis="sentence", by=clerk)
    services.detainer_create(
        judicial_warrant=False,
        custody=custody,
        form="I-247A",
        lodged_at=local(year, month, day, 9),
        received_via="fax",
        reasons=[("final_order", "")],
        copy_served_at=local(year, month, day, 10),
        by=clerk,
    )
    return custody


def test_the_chief_follows_a_figure_to_the_people_behind_it(page, axe_page, municipality, clerk, make_staff):
    for name, day in [("Rosa Example", 2), ("Luis Example", 9)]:
        custody = _lodged(clerk, name, 2025, 7, day)
        release = local(2025, 7, day, 15) if name == "Rosa Example" else local(2025, 7, day, 12)
        services.custody_release(
            custody=custody,
            at=release,
            eligible_at=local(2025, 7, day, 12),
            eligibility_reason="sentence_served",
            by=clerk,
        )  # Rosa was held three hours past her release on the detainer; Luis walked out on time
    chief = make_staff("e2e-chief", Role.POLICE_CHIEF)
    sign_in(page, chief)
    page.get_by_role("link", name="Reports", exact=True).click()
    page.get_by_role("link", name="Figures for June 1, 2025 to November 30, 2025").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Clause 4 figures")
    detained = page.get_by_role("row", name="4(b) Detained on an ICE hold")
    expect(detained).to_contain_text("1")
    detained.get_by_role("link").click()
    expect(page.get_by_role("status")).to_contain_text("1 person")
    expect(page.get_by_role("row", name="Rosa Example")).to_be_visible()
    expect(page.get_by_text("Luis Example")).to_have_count(0)
    page.get_by_role("link", name="Figures, 2025-06-01 to 2025-11-30").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as CSV").click()
    rows = list(csv.reader(io.StringIO(download.value.path().read_text(encoding="utf-8"))))
    assert ["ordinance", "4(a)", "immigration_detainer", "total", "2"] in rows
    assert ["ordinance", "4(b)", "individuals_detained", "total", "1"] in rows

    sign_in(axe_page, make_staff("e2e-clerk", Role.RECORDS_CLERK))
    axe_page.goto(page.url)
    assert axe_violations(axe_page) == [], "figures page with numbers"


def test_the_chief_signs_a_report_and_downloads_its_pdf(page, axe_page, municipality, make_staff):
    from reports.models import Report
    from tests.conftest import current_code

    chief = make_staff("e2e-chief", Role.POLICE_CHIEF)
    sign_in(page, chief)
    page.get_by_role("link", name="Reports", exact=True).click()
    page.get_by_role("link", name=re.compile(r"^Period 4\b.*December 1, 2025 to May 31, 2026")).click()
    expect(page.get_by_text("ICE lodged no immigration detainer")).to_be_visible()  # nothing lodged: said in words
    page.get_by_label("Your comment for the report").fill("A quiet period: no request from ICE.")
    page.get_by_label("One-time code").fill("000000")
    page.get_by_role("button", name="Sign the report").click()
    expect(page.locator(".usa-error-message")).to_contain_text("That code is not right")
    expect(page.get_by_label("Your comment for the report")).to_have_value("A quiet period: no request from ICE.")
    page.wait_for_timeout(1200)  # django-otp makes the next try wait a second after a wrong code
    page.get_by_label("One-time code").fill(current_code(chief, offset_steps=1))  # sign-in spent this step's
    page.get_by_role("button", name="Sign the report").click()
    expect(page.get_by_role("status").first).to_contain_text("Report signed (version 1)")
    report = Report.objects.get()
    expect(page.get_by_text(report.pdf_sha256).first).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the signed PDF").click()
    assert hashlib.sha256(download.value.path().read_bytes()).hexdigest() == report.pdf_sha256

    # The chief's own pages, the signing form with a refused code included, checked by axe.
    sign_in(axe_page, make_staff("e2e-chief-2", Role.POLICE_CHIEF))
    for path in [page.url, f"/reports/signed/{report.pk}/", "/reports/", "/reports/periods/2/"]:
        axe_page.goto(path)
        assert axe_violations(axe_page) == [], path
    axe_page.get_by_label("One-time code").fill("000000")
    axe_page.get_by_role("button", name="Sign the report").click()
    expect(axe_page.locator(".usa-error-message")).to_contain_text("That code is not right")
    assert axe_violations(axe_page) == [], "signing form with an error"


def test_the_chief_sees_a_signed_report_drift_and_signs_a_correction_with_the_differences_in_view(
    page, axe_page, municipality, clerk, make_staff
):
    from reports import services as report_services
    from reports.models import Report
    from tests.conftest import current_code

    _lodged(clerk, "Rosa Example", 2026, 3, 2)
    chief = make_staff("e2e-chief", Role.POLICE_CHIEF)
    report_services.report_freeze(period_number=3, by=chief)
    _lodged(
        clerk, "Lena Example", 2026, 3, 9
    )  # entered after the signature: its save checks the signed report when it commits

    sign_in(page, chief)
    drift = page.locator(".app-drift").first
    expect(drift).to_contain_text("The records no longer match the signed report for December 1, 2025 to May 31")
    expect(drift.get_by_role("row", name=re.compile(r"^4\(a\) Immigration detainers 1 2$"))).to_be_visible()
    drift.get_by_role("link", name="Open the report").click()
    expect(page.get_by_role("heading", name="The records no longer match this signed report")).to_be_visible()
    expect(page.get_by_text(re.compile(r"Document \d+: added on"))).to_be_visible()
    page.get_by_role("link", name="Review the differences and sign a correction").click()
    changed = page.get_by_role("row", name=re.compile(r"^4\(a\) Immigration detainers 1 2 Changed"))
    expect(changed).to_be_visible()
    expect(page.get_by_text("2 figures would change")).to_be_visible()

    # A wrong code and no reason: the summary at the top says both, and takes focus.
    page.get_by_label("One-time code").fill("000000")
    page.get_by_role("button", name="Sign the correction (version 2)").click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Why this correction: This field is required.")
    expect(page.locator(".usa-error-message").first).to_contain_text("This field is required.")
    assert Report.objects.count() == 1

    second_chief = make_staff("e2e-chief-2", Role.POLICE_CHIEF)
    sign_in(axe_page, second_chief)
    axe_page.goto("/")
    assert axe_violations(axe_page) == [], "the chief's dashboard with a drifted report"
    axe_page.goto("/reports/periods/4/")
    assert axe_violations(axe_page) == [], "the period page with its drift"
    axe_page.goto("/reports/periods/4/correct/")
    assert axe_violations(axe_page) == [], "the correction page"
    axe_page.set_viewport_size({"width": 390, "height": 844})
    assert axe_page.evaluate("document.documentElement.scrollWidth") <= 390, "the correction page on a phone"

    page.get_by_label("Why this correction").fill("A detainer lodged in March was entered after the signature.")
    page.wait_for_timeout(1200)  # django-otp makes the next try wait a second after a wrong code
    page.get_by_label("One-time code").fill(current_code(chief, offset_steps=1))  # sign-in spent this step's
    page.get_by_role("button", name="Sign the correction (version 2)").click()
    expect(page.get_by_role("status").first).to_contain_text("Correction signed: version 2 supersedes version 1")
    expect(page.locator(".app-drift")).to_have_count(0)
    assert Report.objects.current().get().snapshot["figures"]["lodged"]["immigration_detainer"]["total"] == 2
