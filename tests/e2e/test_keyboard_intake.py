"""The records clerk records a detainer with the keyboard alone: from the custody page to the saved detainer, no
mouse, every field reached with Tab and filled by typing (a date and time as a keyboard fills it)."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from detainers import services
from detainers.models import Detainer
from tests.e2e.conftest import sign_in
from tests.e2e.test_public_complaint import tab_to
from welcoming.roles import Role


def test_the_clerk_records_a_detainer_by_keyboard_alone(page, municipality, make_staff):
    clerk = make_staff("e2e-keyboard-clerk", Role.RECORDS_CLERK)
    person = services.person_create(full_name="Ana Teclado", by=clerk)
    custody = services.custody_create(
        person=person, booked_at=timezone.now() - timedelta(days=2), basis="criminal_charge", by=clerk
    )
    sign_in(page, clerk)
    page.goto(custody.get_absolute_url())
    tab_to(page, "Record a detainer")
    page.keyboard.press("Enter")
    page.wait_for_url("**/detainers/new/")

    tab_to(page, "Form")
    page.keyboard.type("I-247A")  # a focused list jumps to the option that starts so
    tab_to(page, "Received by")
    page.keyboard.type("Fax")
    tab_to(page, "Lodged at")
    lodged = timezone.localtime(timezone.now() - timedelta(days=1)).replace(hour=9, minute=30)
    # Month, day and year (each segment moves on to the next when full), then the arrow to the time: 09:30 AM.
    for key in [*lodged.strftime("%m%d%Y"), "ArrowRight", *"0930", "ArrowRight", "A"]:
        page.keyboard.press(key)
    tab_to(page, "Final order of removal")
    page.keyboard.press("Space")
    tab_to(page, "Yes")  # did a judge's warrant come with it? Neither answer is ticked until the clerk says
    page.keyboard.press("ArrowDown")  # arrows move to "No" and tick it
    tab_to(page, "Record it")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=2, name="What the ordinance requires next")).to_be_visible()
    detainer = Detainer.objects.get()
    assert (detainer.form, detainer.received_via) == ("I-247A", "fax")
    assert timezone.localtime(detainer.lodged_at).strftime("%Y-%m-%d %H:%M") == lodged.strftime("%Y-%m-%d 09:30")
    assert [reason.code for reason in detainer.reasons.all()] == ["final_order"]
