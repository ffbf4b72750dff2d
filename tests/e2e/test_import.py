"""A records clerk imports the records system's export in the browser."""

from pathlib import Path

from playwright.sync_api import expect

import detainers
from detainers.models import Custody
from tests.e2e.conftest import axe_violations, sign_in
from welcoming.roles import Role

SAMPLE = Path(detainers.__file__).parent / "samples" / "records-sample.csv"


def test_a_clerk_checks_then_imports_a_file(axe_page, municipality, make_staff, tmp_path):
    page = axe_page
    sign_in(page, make_staff("e2e-importer", Role.RECORDS_CLERK))
    page.goto("/police/import/")
    assert axe_violations(page) == [], "import page"
    page.locator("#id_file").set_input_files(str(SAMPLE))
    page.locator("label[for=id_dry_run]").click()
    page.get_by_role("button", name="Check and import").click()
    expect(page.get_by_role("heading", name="Checked: every row is valid — 4 rows")).to_be_visible()
    assert not Custody.objects.exists()
    page.locator("#id_file").set_input_files(str(SAMPLE))
    page.get_by_role("button", name="Check and import").click()
    expect(page.get_by_role("heading", name="Imported — 4 rows")).to_be_visible()
    assert Custody.objects.count() == 3
    assert axe_violations(page) == [], "import report"

    bad = tmp_path / "bad.csv"
    bad.write_text(SAMPLE.read_text().replace("criminal_charge", "unknown_basis", 1))
    page.locator("#id_file").set_input_files(str(bad))
    page.get_by_role("button", name="Check and import").click()
    expect(page.get_by_role("heading", name="Nothing was imported: 1 problem in 4 rows")).to_be_visible()
    expect(page.get_by_role("cell", name="basis", exact=True)).to_be_visible()
    page.goto("/police/import/format/")
    assert axe_violations(page) == [], "format page"
