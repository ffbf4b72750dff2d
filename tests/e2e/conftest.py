"""The browser harness: Playwright drives Debian's Chromium against pytest-django's live server.

Never downloads a browser. axe-core is injected from node_modules into a context that bypasses the page's CSP,
so the app's own policy stays strict; other contexts keep the CSP and report any violation. Every page any
browser test opens is also checked for ids used twice and labels that point at the wrong field (`MarkupWatch`).
"""

import json
import os
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from tests.conftest import PASSWORD, current_code

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# Headless, and quiet on a closed network: no background calls home, which would be refused.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.path):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"No Chromium at {CHROMIUM}: install Debian's chromium package (see README).")
    # Playwright's sync API runs an event loop in the test's thread, where the tests' own ORM calls are still
    # plain synchronous ones: tell Django so, for the browser tests only.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


class CspWatch:
    """Collects what the browser reports as refused by the Content-Security-Policy."""

    def __init__(self, page):
        self.violations = []
        page.on("console", self._console)

    def _console(self, message):
        if message.type == "error" and "Content Security Policy" in message.text:
            self.violations.append(message.text)


# Two forms on one page drawn with Django's default ids share `id_at`: the label "Released at" then focuses the
# eligibility box, and a screen reader announces the wrong field. axe reports duplicate ids only when they are
# focusable and never checks that a label's field is in the label's own form, so this check does both.
MARKUP_CHECK = """() => {
  const problems = [];
  const seen = new Set();
  for (const element of document.querySelectorAll("[id]")) {
    if (seen.has(element.id)) problems.push(`the id "${element.id}" is used twice`);
    seen.add(element.id);
  }
  const labelable = "button, input:not([type=hidden]), meter, output, progress, select, textarea";
  for (const label of document.querySelectorAll("label[for]")) {
    const name = `the label "${label.textContent.trim().slice(0, 60)}" (for="${label.htmlFor}")`;
    const field = document.getElementById(label.htmlFor);
    if (!field) problems.push(`${name} names no element`);
    else if (!field.matches(labelable)) problems.push(`${name} names a <${field.localName}>, not a field`);
    else if ((field.form || null) !== label.closest("form")) problems.push(`${name} names a field of another form`);
  }
  return [...new Set(problems)];
}"""


class MarkupWatch:
    """Runs MARKUP_CHECK on every document the context loads and keeps what it finds, by address."""

    def __init__(self, context):
        self.problems = []
        context.expose_function("reportMarkupProblems", self._report)
        context.add_init_script(
            f"window.addEventListener('DOMContentLoaded', () => {{ const found = ({MARKUP_CHECK})(); "
            "if (found.length) window.reportMarkupProblems(location.pathname + location.search, found); });"
        )

    def _report(self, address, problems):
        self.problems += [f"{address}: {problem}" for problem in problems]


def markup_problems(page) -> list[str]:
    """MARKUP_CHECK on the page as it is now."""
    return page.evaluate(MARKUP_CHECK)


@pytest.fixture
def page(browser, live_server, transactional_db):
    """A page under the app's real CSP; the test fails if anything was refused by it, or if any page it opened
    has an id used twice or a label pointing at the wrong field."""
    context = browser.new_context(base_url=live_server.url)
    markup = MarkupWatch(context)
    page = context.new_page()
    watch = CspWatch(page)
    yield page
    context.close()
    assert not watch.violations, f"Content-Security-Policy violations: {watch.violations}"
    assert not markup.problems, "Markup problems:\n" + "\n".join(markup.problems)


@pytest.fixture
def axe_page(browser, live_server, transactional_db):
    """A page whose context ignores the CSP, so axe-core can be injected for accessibility checks; its pages
    get the markup check too."""
    context = browser.new_context(base_url=live_server.url, bypass_csp=True)
    markup = MarkupWatch(context)
    page = context.new_page()
    yield page
    context.close()
    assert not markup.problems, "Markup problems:\n" + "\n".join(markup.problems)


def axe_violations(page) -> list[str]:
    """WCAG 2.1 A and AA violations axe-core finds on the page as it is now."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_AA)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {json.dumps([n['target'] for n in v['nodes']][:3])}"
        for v in result["violations"]
    ]


def enter_password(page, user, *, password=PASSWORD):
    """The first step of signing in, through the form."""
    page.goto("/accounts/sign-in/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Continue").click()


def enter_code(page, code):
    page.get_by_label("One-time code").fill(code)
    page.get_by_role("button", name="Sign in").click()


def sign_in(page, user):
    """Sign in through the forms, as a person would: password, then the authenticator's code."""
    enter_password(page, user)
    enter_code(page, current_code(user))
