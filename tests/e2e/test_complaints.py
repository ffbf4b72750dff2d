"""Complaints in a real browser: the coordinator takes one in by phone and routes it; internal affairs
investigates it, forwards it to POST, decides each allegation and closes it with the outcome; every page they
pass through has no WCAG 2.1 A or AA violation."""

import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from complaints import services
from complaints.models import Complaint
from tests.conftest import current_code
from tests.e2e.conftest import axe_violations, enter_code, enter_password, sign_in
from welcoming.roles import Role


def test_the_coordinator_takes_in_a_complaint_and_routes_it(page, axe_page, municipality, make_staff):
    coordinator = make_staff("e2e-coordinator", Role.COMPLAINTS_COORDINATOR)
    make_staff("e2e-ia", Role.INTERNAL_AFFAIRS)
    sign_in(page, coordinator)
    page.get_by_role("link", name="Complaints", exact=True).first.click()
    expect(page.get_by_role("status")).to_contain_text("0 complaints")
    page.get_by_role("link", name="Take in a complaint").click()
    page.get_by_label("Received by").select_option("phone")
    page.get_by_label("Complainant's language").select_option("es")
    page.get_by_label("Complainant's name").fill("Luis Ortega")
    page.get_by_label("How to reach them").fill("luis.ortega@example.org")
    page.get_by_label("What happened").fill("The release time was given to agents waiting outside.")
    tick(page, "Police department")
    page.get_by_label("If the police: whom?").select_option("officers")
    tick(page, "2(e) No release dates or addresses for ICE")
    tick(page, "Alleges bias (immigration status, national origin, race or the like)")
    page.get_by_role("button", name="Save").click()
    status = page.get_by_role("status").first
    expect(status).to_contain_text("Give the complainant the tracking code")
    complaint = Complaint.objects.get()
    expect(status).to_contain_text(complaint.tracking_code)
    expect(page.get_by_role("rowheader", name="Forwarding to the POST Commission")).to_be_visible()
    page.get_by_role("link", name="Triage and route").click()
    expect(page.get_by_label("Police department")).to_be_checked()
    page.get_by_role("button", name="Route").click()
    expect(page.get_by_role("status").first).to_contain_text("Complaint with internal affairs.")
    expect(page.get_by_role("heading", level=1)).to_contain_text("With internal affairs")

    against_chief, _ = services.complaint_create(
        received_at=timezone.now() - timedelta(hours=1),
        channel="mail",
        narrative="The chief lent officers to a federal operation.",
        department="police",
        about="chief",
        by=coordinator,
    )
    sign_in(axe_page, make_staff("e2e-coordinator-2", Role.COMPLAINTS_COORDINATOR))
    for path in [
        "/",
        "/complaints/",
        "/complaints/?queue=all",
        "/complaints/intake/",
        f"/complaints/{complaint.pk}/",
        f"/complaints/{against_chief.pk}/",
        f"/complaints/{against_chief.pk}/triage/",
        f"/complaints/{complaint.pk}/classify/",
        f"/complaints/{complaint.pk}/letters/acknowledgement/",
        f"/complaints/{complaint.pk}/letters/acknowledgement/sent/",
    ]:
        axe_page.goto(path)
        assert axe_violations(axe_page) == [], path
    # A form sent back with errors is accessible too.
    axe_page.goto("/complaints/intake/")
    axe_page.get_by_role("button", name="Save").click()
    expect(axe_page.get_by_text("This field is required.").first).to_be_visible()
    assert axe_violations(axe_page) == [], "intake with errors"


def test_internal_affairs_investigates_and_closes_a_complaint(page, axe_page, municipality, make_staff):
    coordinator = make_staff("e2e-coordinator", Role.COMPLAINTS_COORDINATOR)
    ia = make_staff("e2e-ia", Role.INTERNAL_AFFAIRS)
    ia.first_name, ia.last_name = "Ian", "Affairs"
    ia.save()
    complaint, _ = services.complaint_create(
        received_at=timezone.now() - timedelta(hours=3),
        channel="in_person",
        language="zh-hans",
        complainant_name="Wei Chen",
        complainant_contact="12 Dock Road, Harborview",
        narrative="An officer called immigration about me after I reported a break-in.",
        department="police",
        about="officers",
        clauses=["2(c)"],
        alleges_bias=True,
        people=[{"name": "Pat Moreno", "title": "Officer", "badge_number": "152"}],
        by=coordinator,
    )
    services.complaint_route(complaint=complaint, by=coordinator)
    sign_in(page, ia)
    expect(page.get_by_text("1 to forward to POST")).to_be_visible()
    page.get_by_role("link", name=complaint.tracking_code, exact=True).click()
    page.get_by_role("link", name="Assign an investigator").click()
    page.get_by_label("Investigator").select_option(label="Ian Affairs")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status").first).to_contain_text("Investigator assigned.")
    page.get_by_role("link", name="Record forwarding to POST").click()
    page.get_by_label("POST's reference").fill("POST-2026-0412")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("cell", name=re.compile("ref. POST-2026-0412"))).to_be_visible()
    page.get_by_role("link", name="Record the acknowledgement sent").click()
    tick(page, "Handed over")
    page.get_by_role("button", name="Record it sent").click()
    expect(page.get_by_role("status").first).to_contain_text("Recorded as sent.")
    page.get_by_role("link", name="Add an allegation").click()
    page.get_by_label("Against").select_option(label="Officer Pat Moreno (badge 152)")
    page.get_by_label("Clause").select_option("2(c)")
    page.get_by_label("What is alleged").fill("Called federal agents about a crime victim.")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name=re.compile("record the disposition of allegation 1")).click()
    tick(page, "Sustained")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("A sustained allegation needs the action taken")).to_be_visible()
    page.get_by_label("Action taken").fill("Suspended five days; retrained.")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Close", exact=True).click()
    page.get_by_label("Outcome, for the record").fill("The officer broke the ordinance and was suspended.")
    page.get_by_role("button", name="Close", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Closed")
    expect(page.get_by_text("needs translation into Simplified Chinese").first).to_be_visible()

    # The outcome letter: written in Chinese, for the letter; the staff's English pasted in is refused.
    page.get_by_role("link", name="Outcome letter").first.click()
    expect(page.get_by_text("Needs translation: the complainant reads Simplified Chinese.")).to_be_visible()
    page.get_by_role("link", name="Write it in Simplified Chinese").click()
    page.get_by_label(re.compile("Allegation 1 .* in Simplified Chinese")).fill(
        "一名警员就犯罪受害人的情况联系了联邦人员。"
    )
    page.get_by_label("The outcome, explained — in Simplified Chinese").fill(
        "The officer broke the ordinance and was suspended."
    )
    page.get_by_role("button", name="Save and preview").click()
    expect(page.get_by_text("is copied from the staff's English text")).to_be_visible()
    page.get_by_label("The outcome, explained — in Simplified Chinese").fill(
        "调查认定该警员违反了本市条例。警察局已采取措施。"
    )
    page.get_by_role("button", name="Save and preview").click()
    expect(page.get_by_text("调查认定该警员违反了本市条例。")).to_be_visible()
    page.get_by_role("button", name="Make final").click()
    expect(page.get_by_role("status").first).to_contain_text("The letter is final.")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download (PDF)").click()
    assert download.value.suggested_filename == f"complaint-{complaint.tracking_code}-outcome.pdf"
    page.get_by_role("link", name="Record it sent").click()
    tick(page, "Mailed")
    page.get_by_role("button", name="Record it sent").click()
    expect(page.get_by_text("Outcome letter, mailed")).to_be_visible()
    complaint.refresh_from_db()
    assert complaint.stage == "closed" and complaint.allegations.get().disposition == "sustained"
    assert complaint.letters.get(kind="outcome").delivery == "mail"

    open_one = services.complaint_route(
        complaint=services.complaint_create(
            received_at=timezone.now(),
            channel="phone",
            narrative="x",
            department="police",
            about="officers",
            by=coordinator,
        )[0],
        by=coordinator,
    )
    allegation = services.allegation_add(complaint=open_one, by=ia, clause="2(b)", summary="Asked")
    in_spanish = services.complaint_route(
        complaint=services.complaint_create(
            received_at=timezone.now(),
            channel="mail",
            language="es",
            complainant_contact="Calle 1, Harborview",
            narrative="x",
            department="police",
            about="officers",
            by=coordinator,
        )[0],
        by=coordinator,
    )
    alleged = services.allegation_add(
        complaint=in_spanish, by=ia, clause="2(b)", summary="Asked about her immigration status"
    )
    services.allegation_dispose(allegation=alleged, by=ia, disposition="unfounded")
    services.complaint_close(complaint=in_spanish, by=ia, outcome="Unfounded.")
    for path in [
        "/",
        f"/complaints/{complaint.pk}/",
        f"/complaints/{complaint.pk}/letters/outcome/",
        f"/complaints/{in_spanish.pk}/letters/outcome/",
        f"/complaints/{in_spanish.pk}/letters/outcome/write/",
        f"/complaints/{in_spanish.pk}/letters/acknowledgement/sent/",
        f"/complaints/{open_one.pk}/",
        *(
            f"/complaints/{open_one.pk}/{step}/"
            for step in [
                "assign",
                "post",
                "people/new",
                "allegations/new",
                "link-record",
                "link-finding",
                f"allegations/{allegation.pk}",
                "close",
            ]
        ),
    ]:
        assert axe_violations_free(axe_page, ia, path), path
    # A form sent back with its error is accessible too.
    axe_page.goto(f"/complaints/{open_one.pk}/allegations/{allegation.pk}/")
    tick(axe_page, "Sustained")
    axe_page.get_by_role("button", name="Save").click()
    expect(axe_page.get_by_text("A sustained allegation needs the action taken")).to_be_visible()
    assert axe_violations(axe_page) == [], "disposition with an error"
    axe_page.goto(f"/complaints/{in_spanish.pk}/letters/outcome/write/")
    axe_page.get_by_label("The outcome, explained — in Spanish").fill("Asked about her immigration status.")
    axe_page.get_by_role("button", name="Save and preview").click()
    expect(axe_page.get_by_text("is copied from the staff's English text")).to_be_visible()
    assert axe_violations(axe_page) == [], "the letter's text with an error"


def tick(page, label: str) -> None:
    """Tick a radio button or checkbox by its label, as a person does: USWDS styles the label, not the input."""
    page.locator("label").filter(has_text=re.compile(f"^{re.escape(label)}$")).click()


def axe_violations_free(axe_page, user, url) -> bool:
    """Open `url` signed in as `user` (once) on the axe page and check it; print what axe found if anything."""
    if not getattr(axe_page, "_signed_in", False):
        enter_password(axe_page, user)
        enter_code(axe_page, current_code(user, offset_steps=1))
        axe_page._signed_in = True
    axe_page.goto(url)
    found = axe_violations(axe_page)
    assert found == [], url
    return True
