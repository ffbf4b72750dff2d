"""After signing, in a real browser: the municipal clerk takes the report to the committee's agenda, council
staff read the agenda and the report, and a visitor reads the public docket and figures in Haitian Creole."""

import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from reports import services
from reports.models import Meeting
from tests.e2e.conftest import axe_violations, sign_in
from welcoming.roles import Role


def _signed_report(make_staff):
    return services.report_freeze(period_number=3, by=make_staff("e2e-chief", Role.POLICE_CHIEF))


def _docketed(make_staff):
    """A signed report the municipal clerk received, forwarded and docketed as 2026-214; and the clerk."""
    report = _signed_report(make_staff)
    clerk = make_staff("e2e-townclerk", Role.MUNICIPAL_CLERK)
    services.report_receive(report=report, by=clerk)
    services.report_forward(report=report, by=clerk)
    item = services.report_docket(report=report, number="2026-214", title="Chief's report, Dec–May", by=clerk)
    return report, item, clerk


def test_the_municipal_clerk_takes_a_signed_report_to_the_committees_agenda(page, axe_page, municipality, make_staff):
    report = _signed_report(make_staff)
    clerk = make_staff("e2e-townclerk", Role.MUNICIPAL_CLERK)
    soon = services.meeting_create(
        body="Public Safety Committee", starts_at=timezone.now() + timedelta(hours=20), place="Room 1", by=clerk
    )
    next_one = services.meeting_create(
        body="Public Safety Committee", starts_at=timezone.now() + timedelta(days=12), place="Room 204", by=clerk
    )
    sign_in(page, clerk)
    expect(page.get_by_text("1 to receive")).to_be_visible()
    page.get_by_role("link", name="Signed reports", exact=True).first.click()
    page.get_by_role("link", name=re.compile("December 1, 2025 to May 31, 2026")).click()
    page.get_by_role("button", name="Mark as received").click()
    expect(page.get_by_role("status").first).to_contain_text("Received. The chief was told.")
    page.get_by_role("button", name=re.compile("Mark as forwarded to the Mayor")).click()
    expect(page.get_by_role("status").first).to_contain_text("forwarded to the Mayor")
    page.get_by_role("link", name="Give it a docket number").click()
    expect(page.get_by_label("Title on the docket")).to_have_value(re.compile("semiannual report under clause 4"))
    page.get_by_label("Docket number").fill("2026-214")
    page.get_by_role("button", name="Docket it").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Docket 2026-214")
    meeting = page.get_by_label("Meeting")
    expect(meeting).to_have_value(str(next_one.pk))  # the next one whose agenda can still be posted
    expect(meeting.locator(f'option[value="{soon.pk}"]')).to_have_count(0)
    page.get_by_role("button", name="Place it on this agenda").click()
    expect(page.get_by_role("status").first).to_contain_text("On the agenda of Public Safety Committee")
    report.refresh_from_db()
    assert report.status == "docketed" and report.docket_item.meeting == next_one

    sign_in(axe_page, make_staff("e2e-townclerk-2", Role.MUNICIPAL_CLERK))
    for path in [
        "/",
        "/reports/clerk/",
        f"/reports/signed/{report.pk}/",
        "/reports/meetings/",
        "/reports/meetings/new/",
        f"/reports/meetings/{next_one.pk}/",
        "/reports/docket/",
        "/reports/docket/2026-214/",
        "/reports/docket/earlier-report/",
    ]:
        axe_page.goto(path)
        assert axe_violations(axe_page) == [], path


def test_council_staff_read_the_agenda_and_the_report(page, axe_page, municipality, make_staff):
    report, item, clerk = _docketed(make_staff)
    meeting = services.meeting_create(
        body="Public Safety Committee", starts_at=timezone.now() + timedelta(days=12), place="Room 204", by=clerk
    )
    services.docket_place_on_agenda(item=item, meeting=meeting, by=clerk)
    council = make_staff("e2e-council", Role.COUNCIL_STAFF)
    sign_in(page, council)
    page.get_by_role("link", name="Meetings", exact=True).click()
    page.get_by_role("rowheader").get_by_role("link", name=re.compile("Public Safety Committee")).click()
    expect(page.get_by_role("row", name=re.compile("2026-214"))).to_be_visible()
    page.get_by_role("link", name="Read the report").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Semiannual report, December 1, 2025 to May 31, 2026")
    expect(page.get_by_role("button", name="Mark as received")).to_have_count(0)
    sign_in(axe_page, make_staff("e2e-council-2", Role.COUNCIL_STAFF))
    for path in [
        "/",
        "/reports/meetings/",
        f"/reports/meetings/{meeting.pk}/",
        "/reports/docket/",
        "/reports/docket/2026-214/",
        f"/reports/signed/{report.pk}/",
    ]:
        axe_page.goto(path)
        assert axe_violations(axe_page) == [], path


def test_a_visitor_reads_the_public_docket_and_figures_in_haitian_creole(page, axe_page, municipality, make_staff):
    _docketed(make_staff)
    page.goto("/accounts/sign-in/")
    page.get_by_role("link", name="The docket").click()
    page.get_by_label("Language").select_option("ht")
    page.get_by_role("button", name="Change language").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rejis dosye yo")
    assert page.locator("html").get_attribute("lang") == "ht"
    expect(page.get_by_role("row", name=re.compile("2026-214"))).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("PDF")).first.click()
    assert download.value.path().read_bytes().startswith(b"%PDF-")
    page.get_by_role("link", name="Chif pa peryòd").click()
    expect(page.get_by_role("img", name=re.compile("4\\(a\\)"))).to_be_visible()  # the chart, named
    expect(page.get_by_role("table").first).to_contain_text("Peryòd")
    for path in ["/public/docket/", "/public/figures/"]:
        axe_page.goto(path)
        assert axe_violations(axe_page) == [], path


def test_after_the_meeting_the_clerk_records_the_committees_action_and_the_public_reads_it(
    page, municipality, make_staff
):
    report, item, clerk = _docketed(make_staff)
    meeting = services.meeting_create(
        body="Public Safety Committee", starts_at=timezone.now() + timedelta(days=12), place="Room 204", by=clerk
    )
    services.docket_place_on_agenda(item=item, meeting=meeting, by=clerk)
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - timedelta(hours=2))  # the meeting was held
    sign_in(page, clerk)
    page.get_by_role("link", name="Docket", exact=True).first.click()
    page.get_by_role("link", name=re.compile("2026-214")).first.click()
    page.get_by_role("button", name="Record the action").click()  # nothing chosen: told which field
    expect(page.get_by_label("What the committee did")).to_have_attribute("aria-invalid", "true")
    page.get_by_label("What the committee did").select_option("referred_back")
    page.get_by_label("Note").fill("The committee asked for the figures by month.")
    page.get_by_role("button", name="Record the action").click()
    expect(page.get_by_role("status").first).to_contain_text("Referred back with questions")
    expect(page.get_by_role("button", name="Record the action")).to_have_count(0)  # recorded once
    item.refresh_from_db()
    assert (item.action, item.action_note) == ("referred_back", "The committee asked for the figures by month.")

    page.get_by_role("button", name=f"Sign out {clerk.username}").click()
    page.goto("/public/docket/")
    page.get_by_label("Language").select_option("es")
    page.get_by_role("button", name="Change language").click()
    expect(page.get_by_role("row", name=re.compile("2026-214"))).to_contain_text(
        "Devuelto con preguntas: The committee asked for the figures by month."
    )


def test_the_clerk_replaces_a_corrected_report_on_the_agenda_and_prints_the_notice(
    page, axe_page, municipality, make_staff
):
    report, item, clerk = _docketed(make_staff)
    meeting = services.meeting_create(
        body="Public Safety Committee", starts_at=timezone.now() + timedelta(days=12), place="Room 204", by=clerk
    )
    services.docket_place_on_agenda(item=item, meeting=meeting, by=clerk)
    services.report_freeze(period_number=3, by=report.signed_by, correction_reason="A document came late.")

    sign_in(page, clerk)
    page.get_by_role("link", name="Meetings", exact=True).first.click()
    page.get_by_role("rowheader").get_by_role("link", name=re.compile("Public Safety Committee")).click()
    row = page.get_by_role("row", name=re.compile("2026-214"))
    expect(row).to_contain_text("Replaced by version 2")
    row.get_by_role("link", name=re.compile("Withdraw it")).click()
    page.get_by_role("button", name="Withdraw it from this agenda").click()  # no reason: said at the top, focused
    expect(page.locator("#error-summary")).to_be_focused()
    expect(page.locator("#error-summary")).to_contain_text("Why it is withdrawn: This field is required.")
    page.get_by_label("Why it is withdrawn").fill("Replaced by version 2 of the report.")
    page.get_by_role("button", name="Withdraw it from this agenda").click()
    expect(page.get_by_role("status").first).to_contain_text("was withdrawn from the agenda")

    page.get_by_role("link", name="Signed reports", exact=True).first.click()
    page.get_by_role("link", name=re.compile("version 2")).first.click()
    page.get_by_role("button", name="Mark as received").click()
    page.get_by_role("button", name=re.compile("Mark as forwarded")).click()
    page.get_by_role("link", name="Give it a docket number").click()
    expect(page.get_by_label("Docket number")).to_have_value("2026-215")  # the next free number
    page.get_by_role("button", name="Docket it").click()
    expect(page.get_by_label("Meeting")).to_have_value(str(meeting.pk))  # the agenda the old version was on
    page.get_by_role("button", name="Place it on this agenda").click()
    expect(page.get_by_role("status").first).to_contain_text("On the agenda of Public Safety Committee")

    page.goto(f"/reports/meetings/{meeting.pk}/notice/")
    expect(page.get_by_text(re.compile(r"version 2 \(docket 2026-215\)"))).to_be_visible()
    page.emulate_media(media="print")
    expect(page.locator("header.usa-header")).to_be_hidden()  # the printed notice is the document alone

    sign_in(axe_page, make_staff("e2e-townclerk-2", Role.MUNICIPAL_CLERK))
    for path in [
        f"/reports/meetings/{meeting.pk}/",
        f"/reports/meetings/{meeting.pk}/notice/",
        f"/reports/meetings/{meeting.pk}/agenda/",
        "/reports/docket/2026-214/",
    ]:
        axe_page.goto(path)
        assert axe_violations(axe_page) == [], path
