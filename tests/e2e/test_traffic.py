"""An unlicensed-driver stop in a real browser: the records clerk records one that went the wrong way and sees the
2(f) findings on its page; the list, the form and the page have no WCAG 2.1 A or AA violation."""

import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations, sign_in
from traffic.models import UnlicensedDriverStop
from welcoming.roles import Role


def test_the_clerk_records_a_stop_and_sees_what_2f_makes_of_it(page, axe_page, municipality, make_staff):
    clerk = make_staff("e2e-clerk", Role.RECORDS_CLERK)
    sign_in(page, clerk)
    page.get_by_role("link", name="Traffic stops").first.click()
    page.get_by_role("link", name="Record a stop").click()
    when = timezone.localtime() - timedelta(hours=1)
    page.get_by_label("Stopped at").fill(when.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Where").fill("Cove Avenue")
    page.get_by_label("Officer's name").fill("Officer Booker")
    page.get_by_label("What the officer did").select_option("custodial_arrest")
    page.get_by_label("why a summons was not possible", exact=False).fill("The driver could not be identified.")
    for question, answer in [
        ("Was another arrestable violation present?", "No"),
        ("Was the driver offered the chance to call a licensed driver?", "No"),
        ("Did a licensed driver come for the car?", "No"),
        ("Was the vehicle impounded?", "Yes"),
    ]:
        page.get_by_role("group", name=question).locator("label", has_text=answer).click()
    page.get_by_role("button", name="Save").click()
    said = page.locator(".app-messages .usa-alert--warning")  # said first, not a green "recorded"
    expect(said).to_contain_text("This opens a violation of the ordinance. Violation of clause 2(f): A driver")
    expect(said).to_contain_text("Warning under clause 2(f): The car stopped at Cove Avenue was impounded")
    expect(said).to_contain_text("Stop recorded.")
    findings = page.locator("main").get_by_role("link", name=re.compile("stopped at Cove Avenue"))
    expect(findings.filter(has_text="taken into custody for driving without a license")).to_be_visible()
    expect(findings.filter(has_text="impounded without the driver being offered")).to_be_visible()
    stop = UnlicensedDriverStop.objects.get()

    sign_in(axe_page, make_staff("e2e-clerk-2", Role.RECORDS_CLERK))
    for path in ["/traffic/", "/traffic/new/", f"/traffic/{stop.pk}/"]:
        axe_page.goto(path)
        assert axe_violations(axe_page) == [], path
    axe_page.goto("/traffic/new/")
    axe_page.get_by_role("button", name="Save").click()
    assert axe_violations(axe_page) == [], "the form with errors"
