"""The header's search box in a browser: a clerk types a name, finds the person and their custody, opens the
custody; accessible, under the strict CSP, on a desktop and on a phone (where the box sits in the menu)."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from detainers import services
from tests.e2e.conftest import axe_violations, sign_in
from welcoming.roles import Role

SEARCH_BOX = "Search police records: a name, booking number, department ID or ICE reference"


def book_ana(clerk):
    return services.book_person(
        full_name="Ana Almeida",
        date_of_birth=None,
        department_id="HPD-3001",
        booked_at=timezone.now() - timedelta(hours=30),
        basis="criminal_charge",
        booking_number="B-26-3001",
        by=clerk,
    )


def test_a_clerk_finds_a_person_and_their_custody_from_the_header(axe_page, municipality, make_staff):
    page = axe_page
    clerk = make_staff("e2e-clerk", Role.RECORDS_CLERK)
    custody = book_ana(clerk)
    sign_in(page, clerk)
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_label(SEARCH_BOX).fill("almeida")
    page.get_by_label(SEARCH_BOX).press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Search police records")
    expect(page.get_by_role("status")).to_have_text("2 records match “almeida”.")
    people = page.get_by_role("region", name="People")
    expect(people.get_by_role("link", name="Ana Almeida")).to_be_visible()
    custody_found = page.get_by_role("region", name="Custody records")
    expect(custody_found.get_by_role("link", name="Custody of Ana Almeida")).to_be_visible()
    expect(page.get_by_label(SEARCH_BOX)).to_have_value("almeida")  # the header keeps the words
    assert axe_violations(page) == []

    custody_found.get_by_role("link", name="Custody of Ana Almeida").click()
    expect(page).to_have_url(f"{page.url.split('/police/')[0]}{custody.get_absolute_url()}")

    page.goto("/police/search/")
    expect(page.get_by_text("Type what you know in the box above")).to_be_visible()
    assert axe_violations(page) == []


def test_on_a_phone_the_search_box_is_in_the_menu(page, municipality, make_staff):
    """Under the app's real CSP (the `page` fixture fails on any refusal)."""
    clerk = make_staff("e2e-clerk", Role.RECORDS_CLERK)
    book_ana(clerk)
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, clerk)
    page.get_by_role("button", name="Menu").click()
    page.get_by_label(SEARCH_BOX).fill("B-26-3001")
    page.get_by_role("button", name="Search").first.click()
    expect(page.get_by_role("region", name="Custody records").get_by_role("link")).to_have_count(1)
