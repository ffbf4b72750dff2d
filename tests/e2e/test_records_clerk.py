"""A records clerk's night: book a person, log a detainer with its scan, see the finding, record the copy served,
answer an information request and download the letter — accessible on every page, under the strict CSP."""

import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from detainers import services
from detainers.models import Detainer
from tests.conftest import A_PDF
from tests.e2e.conftest import axe_violations, sign_in
from welcoming.models import Attachment
from welcoming.roles import Role

PDF = A_PDF


def local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def check(page, visited, name):
    visited.append(name)
    assert axe_violations(page) == [], name


def test_a_clerk_logs_a_detainer_and_answers_an_information_request(axe_page, municipality, make_staff, tmp_path):
    page, visited = axe_page, []
    clerk = make_staff("e2e-clerk", Role.RECORDS_CLERK)
    sign_in(page, clerk)

    page.get_by_role("link", name="Release board", exact=True).click()
    expect(page.get_by_text("Nobody in custody has an open detainer")).to_be_visible()
    check(page, visited, "release board, empty")

    page.goto("/police/book/")
    check(page, visited, "book a person")
    page.get_by_label("Full name").fill("Ana Almeida")
    page.get_by_label("Booked at").fill(local(timezone.now() - timedelta(hours=30)))
    page.get_by_label("Basis of custody").select_option("criminal_charge")
    page.get_by_label("Booking number", exact=True).fill("B-26-3001")
    page.get_by_role("button", name="Book").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ana Almeida")
    check(page, visited, "custody page")

    page.get_by_role("link", name="Record a detainer, warrant or notification request").click()
    check(page, visited, "detainer form")
    page.locator("#id_form").select_option("I-247A")
    page.get_by_label("Received by").select_option("fax")
    page.get_by_label("Lodged at").fill(local(timezone.now() - timedelta(hours=26)))
    page.locator("label", has_text="Final order of removal").click()
    page.locator("label", has_text="Biometric confirmation").click()
    page.get_by_label("ICE subject or event ID").fill("SUBJ-3001")
    scan = tmp_path / "i247a.pdf"
    scan.write_bytes(PDF)
    page.locator("#id_scan").set_input_files(str(scan))
    judge = page.get_by_role("group", name="Did a warrant or order signed by a judge come with it?")
    judge.locator("label", has_text="No").click()  # USWDS draws the radio on its label
    page.get_by_role("button", name="Record it").click()

    expect(page.get_by_role("heading", level=2, name="What the ordinance requires next")).to_be_visible()
    expect(page.get_by_text("Give Ana Almeida a copy")).to_be_visible()
    # Lodged 26 hours ago with no copy served: the 2(g) finding is there at once.
    expect(page.get_by_role("link", name="The copy of the I-247A")).to_be_visible()
    expect(page.get_by_role("link", name="i247a.pdf")).to_be_visible()
    check(page, visited, "detainer page")
    assert Attachment.objects.get().content_type == "application/pdf"

    page.get_by_label("Copy served at").fill(local(timezone.now() - timedelta(minutes=5)))
    page.get_by_role("button", name="Record the copy served").click()
    expect(page.get_by_role("status").first).to_contain_text("Saved")
    assert Detainer.objects.get().copy_served_at is not None
    expect(page.get_by_text("The copy was served on Ana Almeida")).to_be_visible()

    page.goto("/police/board/")
    expect(page.get_by_role("link", name="Ana Almeida")).to_be_visible()
    check(page, visited, "release board, one person")

    page.get_by_role("link", name="Ana Almeida").click()
    page.get_by_role("link", name="Record a request for information").click()
    check(page, visited, "information screener")
    page.get_by_label("Requesting agency").fill("ICE ERO Boston")
    page.get_by_label("Received at").fill(local(timezone.now() - timedelta(minutes=2)))
    page.get_by_label("Received by").select_option("phone")
    page.locator("label[for=id_asked_home_address]").click()
    page.locator("label[for=id_asked_pending_release]").click()
    page.get_by_role("button", name="Record the request").click()  # not said whether each went out: refused
    expect(page.get_by_text("Say whether it was disclosed.").first).to_be_visible()
    page.get_by_label("Home address: disclosed?").select_option("no")
    page.get_by_label("Pending release (date or time): disclosed?").select_option("no")
    page.get_by_role("button", name="Record the request").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Information request from ICE ERO Boston")
    check(page, visited, "information request page")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the response letter (PDF)").click()
    letter = download_info.value
    path = tmp_path / "letter.pdf"
    letter.save_as(path)
    assert path.read_bytes().startswith(b"%PDF-")
    assert letter.suggested_filename.endswith("-response.pdf")
    assert len(visited) == 8


def test_the_clerks_pages_keep_the_strict_csp(page, municipality, make_staff, clerk):

    custody = services.book_person(
        full_name="Csp Person",
        date_of_birth=None,
        department_id="",
        basis="sentence",
        booked_at=timezone.now() - timedelta(hours=2),
        by=clerk,
    )
    detainer = services.detainer_create(
        judicial_warrant=False,
        custody=custody,
        form="I-200",
        lodged_at=timezone.now() - timedelta(hours=1),
        received_via="fax",
        reasons=[("not_stated", "")],
        by=clerk,
    )
    sign_in(page, clerk)
    for path in [
        "/police/board/",
        "/police/book/",
        f"/police/custody/{custody.pk}/",
        f"/police/custody/{custody.pk}/detainers/new/",
        f"/police/detainers/{detainer.pk}/",
        f"/police/custody/{custody.pk}/information-requests/new/",
        "/police/detainers/",
        "/police/people/",
        f"/police/people/{custody.person.pk}/",
        "/police/assistance-requests/new/",
        "/police/reimbursements/new/",
    ]:
        page.goto(path)
        expect(page.locator("h1")).to_be_visible()


def test_the_clerk_records_a_late_release_and_sees_the_2d_finding(page, municipality, make_staff):

    clerk = make_staff("e2e-release-clerk", Role.RECORDS_CLERK)
    now = timezone.now()
    custody = services.book_person(
        full_name="Rui Tavares",
        date_of_birth=None,
        department_id="",
        basis="criminal_charge",
        booked_at=now - timedelta(days=3),
        by=clerk,
    )
    services.detainer_create(
        judicial_warrant=False,
        custody=custody,
        form="I-247A",
        lodged_at=now - timedelta(days=2),
        received_via="fax",
        reasons=[("final_order", "")],
        copy_served_at=now - timedelta(days=2) + timedelta(hours=1),
        by=clerk,
    )
    sign_in(page, clerk)
    page.get_by_role("link", name="Release board", exact=True).click()
    page.get_by_role("link", name="Rui Tavares").click()
    release = page.locator("#release")
    release.get_by_role("button", name="Record the release").click()  # no time: told which field, nothing saved
    expect(page.get_by_label("Released at")).to_have_attribute("aria-invalid", "true")
    custody.refresh_from_db()
    assert custody.released_at is None
    page.get_by_label("Released at").fill(local(now - timedelta(minutes=10)))
    page.get_by_label("Eligible for release at").fill(local(now - timedelta(hours=1, minutes=10)))
    page.get_by_label("Why eligible").select_option("bail_posted")
    page.get_by_label("If the release came after eligibility: why").fill("Waited for the shift change.")
    page.get_by_role("button", name="Save").click()  # the form, refused, stands on a page of its own
    # Not a green "Saved": the save breached 2(d), and the top of the page says so first.
    expect(page.locator(".usa-alert--warning")).to_contain_text("This opens a violation of the ordinance.")
    custody.refresh_from_db()
    assert custody.released_at is not None and custody.eligibility_reason == "bail_posted"
    expect(page.get_by_text(re.compile(r"Released \d{4}-\d\d-\d\d"))).to_be_visible()
    # Held an hour past eligibility with an ICE hold open: the 2(d) finding is there at once.
    expect(
        page.get_by_role("link", name=re.compile("Rui Tavares stayed in custody 60 minutes past eligibility"))
    ).to_be_visible()
    page.get_by_role("link", name="Release board", exact=True).click()
    expect(page.get_by_text("Nobody in custody has an open detainer")).to_be_visible()


def test_the_clerk_records_a_late_transfer_and_is_told_at_the_top_it_is_a_violation(axe_page, municipality, make_staff):
    """The 26-hour case, as the clerk enters it: eligible yesterday on an I-247A, handed to ICE today once a judge's
    warrant came. The transfer is lawful (2(c)); the night held on the detainer is not (2(d))."""
    from detainers import services

    page = axe_page
    page.set_viewport_size({"width": 390, "height": 844})  # the clerk's phone, on the night shift
    clerk = make_staff("e2e-transfer-clerk", Role.RECORDS_CLERK)
    now = timezone.now()
    custody = services.book_person(
        full_name="Ana Ruiz",
        date_of_birth=None,
        department_id="",
        basis="criminal_charge",
        booked_at=now - timedelta(days=2),
        by=clerk,
    )
    services.detainer_create(
        judicial_warrant=False,
        custody=custody,
        form="I-247A",
        lodged_at=now - timedelta(days=2) + timedelta(hours=2),
        received_via="fax",
        reasons=[("final_order", "")],
        copy_served_at=now - timedelta(days=2) + timedelta(hours=3),
        by=clerk,
    )
    sign_in(page, clerk)
    page.goto(custody.get_absolute_url())
    transfer = page.locator("#transfer")
    transfer.get_by_label("Transferred to ICE at").fill(local(now - timedelta(minutes=5)))
    transfer.get_by_label("Authority for the transfer").select_option("judicial_warrant")
    transfer.get_by_label("If a judicial warrant or court order: it was received at").fill(
        local(now - timedelta(minutes=20))
    )
    transfer.get_by_label("Eligible for release at").fill(local(now - timedelta(hours=26, minutes=20)))
    transfer.get_by_label("Why eligible").select_option("bail_posted")
    transfer.get_by_role("button", name="Record the transfer").click()

    said = page.locator(".app-messages .usa-alert--warning")
    expect(said).to_contain_text("This opens a violation of the ordinance.")
    expect(said).to_contain_text("Violation of clause 2(d): Ana Ruiz stayed in custody 1560 minutes past eligibility")
    expect(said).to_contain_text("until a judicial warrant or court order was received")
    assert axe_violations(page) == []
    said.get_by_role("link", name="Open the finding").click()
    expect(
        page.get_by_role("link", name=re.compile(r"^Custody of Ana Ruiz, booked \d{4}-\d\d-\d\d \d\d:\d\d"))
    ).to_be_visible()
    expect(page.locator("dt", has_text="Judicial authority received at")).to_be_visible()
    assert axe_violations(page) == []


# Whether a select shows its chosen option in full: the text's width in the select's own font, against the room
# inside its padding (USWDS keeps the arrow in the right padding).
SHOWS_IN_FULL = """(select) => {
    const style = getComputedStyle(select);
    const context = document.createElement("canvas").getContext("2d");
    context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    return context.measureText(select.options[select.selectedIndex].text).width <= room;
}"""


def test_the_screener_shows_every_choice_in_full_on_a_1280_pixel_screen(page, municipality, make_staff):
    clerk = make_staff("e2e-screener-clerk", Role.RECORDS_CLERK)
    custody = services.book_person(
        full_name="Lia Screen",
        date_of_birth=None,
        department_id="",
        basis="criminal_charge",
        booked_at=timezone.now() - timedelta(hours=3),
        by=clerk,
    )
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, clerk)
    page.goto(f"/police/custody/{custody.pk}/information-requests/new/")
    selects = page.locator("table select")
    assert selects.count() == 18  # a disclosed and a basis select for each of nine items
    for index in range(selects.count()):
        select = selects.nth(index)
        for value in select.locator("option").evaluate_all("(options) => options.map((o) => o.value)"):
            select.select_option(value)
            label = select.evaluate("(s) => s.options[s.selectedIndex].text")
            assert select.evaluate(SHOWS_IN_FULL), f"{select.get_attribute('id')} cuts “{label}” short"


def test_the_police_records_lists_fit_a_phone_with_their_sub_navigation(axe_page, municipality, clerk):
    """The seven-segment sub-navigation once pushed every police list 810 px wide on a phone: it now scrolls
    inside its own box, and the page itself never sideways."""
    page = axe_page
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, clerk)
    for path in ["/police/detainers/", "/police/custody/", "/police/reimbursements/"]:
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
        subnav = page.get_by_role("navigation", name="Police records")
        subnav.get_by_role("link", name="Import").scroll_into_view_if_needed()
        expect(subnav.get_by_role("link", name="Import")).to_be_in_viewport()
        assert not axe_violations(page), path
