"""Each role signs in with its one-time code in a real browser; the pages pass WCAG 2.1 AA checks."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.conftest import current_code, device_code
from tests.e2e.conftest import CspWatch, MarkupWatch, axe_violations, enter_code, enter_password, sign_in
from welcoming.roles import Role


@pytest.mark.parametrize("role", list(Role))
def test_each_role_signs_in_with_its_code_and_lands_home(page, make_staff, role):
    user = make_staff(f"e2e-{role.value}", role)
    sign_in(page, user)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Welcome, {user.username}")
    expect(page.get_by_text(role.label, exact=True)).to_be_visible()
    # The administrator's menu leads to the admin site; nobody else's does.
    admin_link = page.get_by_role("link", name="Administration")
    expect(admin_link).to_have_count(1 if role == Role.ADMINISTRATOR else 0)
    page.get_by_role("button", name=f"Sign out {user.username}").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


def test_a_wrong_code_is_explained_and_nothing_opens(page, make_staff):
    user = make_staff("e2e-wrong", Role.RECORDS_CLERK)
    enter_password(page, user)
    enter_code(page, "000000")
    expect(page.get_by_role("alert")).to_contain_text("That code is wrong or was already used")
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your one-time code")
    assert "/accounts/verify/" in page.url


def test_first_sign_in_sets_up_the_authenticator_in_the_browser(page, make_staff):
    user = make_staff("e2e-new", Role.COUNCIL_STAFF, enrolled=False)
    enter_password(page, user)
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up your authenticator app")
    qr = page.get_by_role("img", name="QR code to add this site to an authenticator app")
    expect(qr).to_be_visible()
    # The SVG really loaded (wait for it: the element is visible before its image has arrived).
    page.wait_for_function("(img) => img.complete", arg=qr.element_handle())
    assert page.evaluate("(img) => img.naturalWidth", qr.element_handle()) > 100
    page.get_by_label("Code from the app").fill(device_code(TOTPDevice.objects.get(user=user)))
    page.get_by_role("button", name="Finish set-up").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your recovery codes")
    expect(page.locator(".app-codes li")).to_have_count(10)
    page.get_by_role("link", name="I have saved them — continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Welcome, {user.username}")


def test_sign_in_pages_and_landing_page_have_no_wcag_aa_violations(axe_page, make_staff):
    user = make_staff("e2e-axe", Role.POLICE_CHIEF)
    page = axe_page
    page.goto("/accounts/sign-in/")
    assert axe_violations(page) == [], "sign-in page"
    enter_password(page, user)
    assert axe_violations(page) == [], "one-time code page"
    enter_code(page, current_code(user))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
    assert axe_violations(page) == [], "landing page"
    page.goto("/accounts/tokens/")
    assert axe_violations(page) == [], "API tokens page"
    page.goto("/no-such-page/")
    assert axe_violations(page) == [], "not-found page"


def test_enrolment_page_has_no_wcag_aa_violations(axe_page, make_staff):
    user = make_staff("e2e-axe-new", Role.RECORDS_CLERK, enrolled=False)
    page = axe_page
    enter_password(page, user)
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up your authenticator app")
    assert axe_violations(page) == []


def test_admin_site_and_api_docs_keep_the_strict_csp(page, make_staff):
    admin = make_staff("e2e-admin", Role.ADMINISTRATOR)
    sign_in(page, admin)
    page.get_by_role("link", name="Administration").click()
    expect(page.get_by_role("heading", name="Users, roles and settings")).to_be_visible()
    page.goto("/admin/auth/user/")
    expect(page.get_by_role("link", name="e2e-admin")).to_be_visible()
    page.goto("/api/docs/")
    expect(page.get_by_text("Welcoming Community compliance tracker API")).to_be_visible()


def test_the_csp_watch_reports_a_refused_inline_script(browser, live_server):
    # The `page` fixture's CSP check is only worth something if it notices a violation when there is one.
    context = browser.new_context()
    page = context.new_page()
    watch = CspWatch(page)
    page.route(
        "**/csp-probe",
        lambda route: route.fulfill(
            status=200,
            headers={"Content-Security-Policy": "script-src 'self'", "Content-Type": "text/html"},
            body="<title>before</title><script>document.title = 'ran'</script>",
        ),
    )
    page.goto(f"{live_server.url}/csp-probe")
    assert page.title() == "before"
    assert watch.violations
    context.close()


def test_the_markup_watch_reports_a_shared_id_and_a_label_for_another_forms_field(browser, live_server):
    # The check every browser test's pages go through is only worth something if it notices the custody page's
    # old fault: two forms drawing `id_at`, so the second form's label focused the first form's box.
    context = browser.new_context()
    markup = MarkupWatch(context)
    page = context.new_page()
    page.route(
        "**/markup-probe",
        lambda route: route.fulfill(
            status=200,
            headers={"Content-Type": "text/html"},
            body='<title>probe</title><form><label for="id_at">Eligible at</label><input id="id_at"></form>'
            '<form><label for="id_at">Released at</label><input id="id_at"><label for="gone">Gone</label></form>',
        ),
    )
    page.goto(f"{live_server.url}/markup-probe")
    context.close()
    assert markup.problems == [
        '/markup-probe: the id "id_at" is used twice',
        '/markup-probe: the label "Released at" (for="id_at") names a field of another form',
        '/markup-probe: the label "Gone" (for="gone") names no element',
    ]
