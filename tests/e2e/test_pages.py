"""Each role's pages in a real browser: the town's words, no CSP violation, zero WCAG 2.1 AA violations."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations, sign_in
from welcoming.findings import findings_reconcile
from welcoming.models import LocalHoliday
from welcoming.roles import Role

POLICE = (Role.RECORDS_CLERK, Role.INTERNAL_AFFAIRS, Role.POLICE_CHIEF)


@pytest.mark.parametrize("role", list(Role))
def test_each_roles_pages_are_accessible_and_speak_the_towns_words(axe_page, municipality, make_staff, role):
    """(Every page type is checked as it first opens by test_every_page.py; here, the states a plain address does
    not reach: a past period's draft with the signing form, a refused range with its errors, figures' records.)"""
    user = make_staff(f"e2e-{role.value}", role)
    page = axe_page
    sign_in(page, user)
    expect(page.get_by_role("heading", level=2, name=role.label)).to_be_visible()
    expect(page.locator("header")).to_contain_text("City of Harborview")
    police_states = [
        "/reports/periods/3/",  # a past period's draft: the chief sees the signing form
        "/reports/figures/?start=2026-06-01&end=2026-01-01",  # a refused range, its errors shown
        "/reports/figures/records/?start=2024-06-01&end=2024-11-30&figure=lodged&kind=immigration_detainer",
        "/reports/figures/records/?start=2024-06-01&end=2024-11-30&figure=detained",
    ]
    for path in police_states if role in POLICE else []:
        page.goto(path)
        assert axe_violations(page) == [], path


def test_internal_affairs_dismisses_a_finding_in_the_browser(page, axe_page, municipality, toy_rule, make_staff):
    holiday = LocalHoliday.objects.create(municipality=municipality, name="breach day", month=1, day=2)
    findings_reconcile(record=holiday, now=datetime(2026, 11, 2, 9, tzinfo=ZoneInfo("America/New_York")))
    ia = make_staff("e2e-ia", Role.INTERNAL_AFFAIRS)
    sign_in(page, ia)
    expect(page.get_by_text("1 violation and 0 warnings need action.")).to_be_visible()
    page.get_by_role("link", name="Open the findings queue").click()
    page.get_by_role("link", name="Toy breach on breach day.").click()
    page.locator("label", has_text="Dismiss: it is not a breach").click()  # USWDS styles the label, not the input
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert").first).to_contain_text("Say why the finding is dismissed")
    page.locator("label", has_text="Dismiss: it is not a breach").click()  # USWDS styles the label, not the input
    page.get_by_label("Reason or note").fill("A paperwork lag, not a hold.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status").first).to_contain_text("Finding dismissed.")
    expect(page.locator(".app-facts").first).to_contain_text("A paperwork lag, not a hold.")

    other = make_staff("e2e-chief", Role.POLICE_CHIEF)
    sign_in(axe_page, other)
    axe_page.goto(page.url)
    assert axe_violations(axe_page) == [], "finding page"


def test_the_administrator_edits_the_profile_under_the_strict_csp(page, municipality, make_staff):
    sign_in(page, make_staff("e2e-admin", Role.ADMINISTRATOR))
    page.get_by_role("link", name="Edit the profile").click()
    page.get_by_label("Chief name").fill("Dana Whitfield")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("was changed successfully")).to_be_visible()
    page.goto("/admin/welcoming/auditentry/")
    expect(page.get_by_role("cell", name="chief_name", exact=True)).to_be_visible()


def test_a_visitor_switches_the_sign_in_page_to_haitian_creole(page, municipality):
    page.goto("/accounts/sign-in/")
    page.get_by_label("Language").select_option("ht")
    page.get_by_role("button", name="Change language").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Konekte")
    assert page.locator("html").get_attribute("lang") == "ht"


def test_the_administrator_adds_a_user_with_a_role_and_reads_the_audit_log(page, municipality, make_staff):
    """Users, roles and the audit log, in the admin site under the strict CSP: a new clerk is added, given the
    records clerk's role, and the administrator finds that change in the audit log and exports it."""
    admin = make_staff("e2e-admin", Role.ADMINISTRATOR)
    sign_in(page, admin)
    page.goto("/admin/auth/user/add/")
    page.get_by_label("Username").fill("new-clerk")
    page.locator("#id_password1").fill("a long enough passphrase 7")
    page.locator("#id_password2").fill("a long enough passphrase 7")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("was added successfully")).to_be_visible()
    page.locator("#id_groups_from").select_option(label=Role.RECORDS_CLERK.label)
    page.locator("#id_groups_add").click()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("was changed successfully")).to_be_visible()
    new_clerk = get_user_model().objects.get(username="new-clerk")
    assert [group.name for group in new_clerk.groups.all()] == [Role.RECORDS_CLERK.label]

    page.goto("/admin/welcoming/auditentry/")
    page.locator("#searchbar").fill(str(new_clerk.pk))
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("cell", name="auth.user").first).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Export these entries as CSV").click()
    rows = download.value.path().read_text().splitlines()
    assert rows[0].startswith("id,at,username,action,record_type,record_id")
    assert any(",e2e-admin," in row and ",auth.user," in row and f",{new_clerk.pk}," in row for row in rows[1:])
