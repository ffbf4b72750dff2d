"""A real town's first hour in the browser: from what `start_town` prints to the chief's first signed report,
with no trace of the demo and no accessibility violation on the way (README, "Setting up your town")."""

import io
import re
from urllib.parse import urlparse

from django.core.management import call_command
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from detainers.imports import SAMPLE as SAMPLE_CSV
from reports.models import Report
from tests.conftest import current_code, device_code
from tests.e2e.conftest import axe_violations, enter_password, sign_in
from tests.welcoming.test_start_town import PASSWORD, TOWN
from welcoming.models import Account
from welcoming.roles import Role


def test_a_town_goes_from_start_town_to_its_first_signed_report(axe_page, make_staff, monkeypatch):
    page = axe_page
    monkeypatch.setenv("START_TOWN_ADMIN_PASSWORD", PASSWORD)
    out = io.StringIO()
    call_command("start_town", interactive=False, stdout=out, **TOWN)
    printed = re.search(r"Sign in at (\S+) as (\S+)\.", out.getvalue())
    address, username = urlparse(printed.group(1)).path, printed.group(2)

    # The IT lead follows the printed address and sets up the authenticator app.
    page.goto(address)
    assert "Demo data" not in page.content() and "Amesfield" in page.content()
    assert axe_violations(page) == [], "sign-in page"
    admin = Account.objects.get(username=username)
    enter_password(page, admin, password=PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up your authenticator app")
    assert axe_violations(page) == [], "enrolment"
    page.get_by_label("Code from the app").fill(device_code(TOTPDevice.objects.get(user=admin)))
    page.get_by_role("button", name="Finish set-up").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your recovery codes")
    page.get_by_role("link", name="I have saved them — continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Welcome, {username}")
    assert "Risk:" not in page.content() and "Harborview" not in page.content()
    assert axe_violations(page) == [], "the administrator's dashboard"

    # The staff the administrator adds (their own journeys are tested elsewhere): the clerk imports the history.
    clerk, chief = make_staff("amesfield-clerk", Role.RECORDS_CLERK), make_staff("amesfield-chief", Role.POLICE_CHIEF)
    page.context.clear_cookies()
    sign_in(page, clerk)
    page.goto("/police/import/")
    page.locator("#id_file").set_input_files(str(SAMPLE_CSV))
    page.locator("label[for=id_dry_run]").click()
    page.get_by_role("button", name="Check and import").click()
    expect(page.get_by_role("heading", name="Checked: every row is valid — 4 rows")).to_be_visible()
    page.locator("#id_file").set_input_files(str(SAMPLE_CSV))
    page.get_by_role("button", name="Check and import").click()
    expect(page.get_by_role("heading", name="Imported — 4 rows")).to_be_visible()
    expect(page.get_by_text("Created: 3 people, 3 custody records, 3 detainers.")).to_be_visible()
    assert axe_violations(page) == [], "import report"

    # The chief signs the first period the history falls in.
    page.context.clear_cookies()
    sign_in(page, chief)
    page.get_by_role("link", name="Reports", exact=True).click()
    page.get_by_role("link", name=re.compile(r"^Period 3\b.*May 6, 2026 to November 5, 2026")).click()
    assert axe_violations(page) == [], "the period to sign"
    page.get_by_label("One-time code").fill(current_code(chief, offset_steps=1))  # sign-in spent this step's
    page.get_by_role("button", name="Sign the report").click()
    expect(page.get_by_role("status").first).to_contain_text("Report signed (version 1)")
    page.goto(f"/reports/signed/{Report.objects.get().pk}/")
    expect(page.get_by_text("no request was certified or declined in the period")).to_be_visible()  # no false 0
    assert axe_violations(page) == [], "the signed report"

    page.goto("/public/docket/")
    assert "Amesfield" in page.content() and "Harborview" not in page.content()
