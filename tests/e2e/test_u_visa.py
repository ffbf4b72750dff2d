"""U visa certifications in a real browser: the records clerk logs a request, a certifying official decides it
from the queue and downloads the letter, and the chief declines another; every page on the way has no WCAG 2.1 A
or AA violation."""

import re

from django.utils import timezone
from playwright.sync_api import expect

from certifications.models import UVisaRequest
from detainers import services as detainer_services
from tests.conftest import current_code
from tests.e2e.conftest import axe_violations, enter_code, enter_password, sign_in
from welcoming.roles import Role


def test_the_clerk_logs_and_a_certifying_official_decides(page, axe_page, municipality, make_staff):
    clerk = make_staff("e2e-clerk", Role.RECORDS_CLERK)
    official = make_staff("e2e-certifier", Role.CERTIFYING_OFFICIAL)
    official.first_name, official.last_name = "Cato", "Certifier"
    official.save()
    detainer_services.person_create(full_name="Lucía Morales", by=clerk)
    sign_in(page, clerk)
    page.get_by_role("link", name="U visa requests").first.click()
    page.get_by_role("link", name="Log a request").click()
    page.get_by_label("Received on").fill(timezone.localdate().isoformat())
    page.get_by_label("Sent by").select_option("attorney")
    page.get_by_label("Requester's name").fill("Harborview Legal Aid")
    page.get_by_label("Victim", exact=False).first.select_option(label="Lucía Morales")
    page.get_by_label("Qualifying criminal activity").select_option("domestic_violence")
    page.get_by_label("The victim's helpfulness").select_option("has_been")
    page.get_by_role("group", name="Was an expedited decision asked for?").locator("label", has_text="No").click()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status").first).to_contain_text("A decision is due by")
    request = UVisaRequest.objects.get()

    page.get_by_role("button", name=f"Sign out {clerk.username}").click()
    enter_password(page, official)
    enter_code(page, current_code(official))
    expect(page.get_by_text(re.compile(r"1\s+pending"))).to_be_visible()
    page.get_by_role("link", name="Open the decision queue").click()
    page.get_by_role("link", name=re.compile(request.due_on.isoformat())).click()
    page.get_by_role("link", name="Record the decision").click()
    page.locator("label", has_text="Declined").click()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("A decline needs its reason")).to_be_visible()
    page.locator("label", has_text="Certified").click()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status").first).to_contain_text("Decision recorded: certified.")
    with page.expect_download() as download:
        page.get_by_role("link", name="Decision letter (PDF)").click()
    assert download.value.suggested_filename == f"u-visa-decision-{request.pk}.pdf"
    request.refresh_from_db()
    assert request.decision == "certified" and request.certifying_official == official

    pending = UVisaRequest.objects.create(
        received_on=request.received_on,
        requester_kind="victim",
        requester_name="Ana Lima",
        victim=request.victim,
        qualifying_crime="stalking",
        helpfulness="likely",
        expedited=False,
        due_on=request.due_on,
        decision=UVisaRequest.Decision.PENDING,
    )
    sign_in(axe_page, make_staff("e2e-chief", Role.POLICE_CHIEF))
    for path in [
        "/",
        "/u-visa/",
        "/u-visa/queue/",
        f"/u-visa/{request.pk}/",
        f"/u-visa/{pending.pk}/",
        f"/u-visa/{pending.pk}/decide/",
    ]:
        axe_page.goto(path)
        assert axe_violations(axe_page) == [], path
    axe_page.get_by_role("button", name="Save").click()  # nothing chosen: errors beside the fields
    assert axe_violations(axe_page) == [], "the decision form with errors"
    expect(axe_page.get_by_role("group", name="Decision")).to_have_attribute(
        "aria-describedby", re.compile("id_decision-error-1")
    )

    # The chief, a certifying official by office, declines the second with the reason the letter gives.
    axe_page.get_by_role("group", name="Decision").locator("label", has_text="Declined").click()
    axe_page.get_by_label("Decided on").fill(timezone.localdate().isoformat())
    axe_page.get_by_label("Reason").fill("The records show no qualifying criminal activity was reported to us.")
    axe_page.get_by_role("button", name="Save").click()
    expect(axe_page.get_by_role("status").first).to_contain_text("Decision recorded: declined.")
    pending.refresh_from_db()
    assert pending.decision == "declined" and pending.decided_on == timezone.localdate()
    with axe_page.expect_download() as download:
        axe_page.get_by_role("link", name="Decision letter (PDF)").click()
    assert download.value.path().read_bytes().startswith(b"%PDF-")
