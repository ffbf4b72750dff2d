"""`make screenshots`: the key screens of each journey, with the demo town's data, for the README.

Not a test of behaviour (the journeys are tested elsewhere); marked `screenshots` and left out of `make e2e`.
"""

import io
import time
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from playwright.sync_api import Error as PlaywrightError

from certifications.models import UVisaRequest
from complaints.models import Complaint
from detainers.models import Detainer
from reports.models import Meeting
from tests.conftest import current_code
from tests.e2e.conftest import enter_code, enter_password

OUT = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
DESKTOP, PHONE = {"width": 1280, "height": 900}, {"width": 390, "height": 844}

pytestmark = pytest.mark.screenshots


@pytest.fixture
def demo(transactional_db, settings):
    settings.DEBUG = True  # seed_demo refuses to run otherwise
    call_command("seed_demo", stdout=io.StringIO())
    call_command("evaluate_findings", stdout=io.StringIO())
    settings.DEBUG = False


def shoot(page, name: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for attempt in range(3):  # headless Chromium now and then answers "Unable to capture screenshot"
        try:
            page.screenshot(path=str(OUT / f"{name}.png"), full_page=False)
            return
        except PlaywrightError:
            if attempt == 2:
                raise
            page.wait_for_timeout(500)


def signed_in(browser, live_server, username: str):
    context = browser.new_context(base_url=live_server.url, viewport=DESKTOP)
    page = context.new_page()
    user = get_user_model().objects.get(username=username)
    enter_password(page, user, password="welcoming-demo")
    enter_code(page, current_code(user))
    return page


def test_the_key_screens(browser, live_server, demo):
    started = time.time()
    visitor = browser.new_context(base_url=live_server.url, viewport=DESKTOP).new_page()
    visitor.goto("/accounts/sign-in/")
    shoot(visitor, "01-sign-in")

    clerk = signed_in(browser, live_server, "clerk")
    shoot(clerk, "02-records-clerk-home")
    clerk.goto("/police/detainers/")
    shoot(clerk, "03-detainers")
    clerk.goto(Detainer.objects.order_by("-lodged_at").first().get_absolute_url())
    shoot(clerk, "04-a-detainer")

    coordinator = signed_in(browser, live_server, "coordinator")
    coordinator.goto("/complaints/")
    shoot(coordinator, "05-complaints-queue")
    coordinator.goto(Complaint.objects.order_by("pk").first().get_absolute_url())
    shoot(coordinator, "06-a-complaint")

    chief = signed_in(browser, live_server, "chief")
    chief.goto("/reports/figures/")
    shoot(chief, "07-figures")
    chief.goto("/u-visa/")
    shoot(chief, "08-u-visa-requests")

    admin = signed_in(browser, live_server, "admin")
    admin.goto("/admin/welcoming/auditentry/")
    shoot(admin, "09-audit-log")

    resident = browser.new_context(base_url=live_server.url, viewport=PHONE, is_mobile=True).new_page()
    resident.goto("/complaints/new/")
    resident.get_by_role("button", name="Español").click()
    shoot(resident, "10-public-complaint-es-phone")
    public = browser.new_context(base_url=live_server.url, viewport=DESKTOP).new_page()
    public.goto("/public/docket/")
    shoot(public, "11-public-docket")
    public.goto("/public/figures/")
    shoot(public, "12-public-figures")

    internal_affairs = signed_in(browser, live_server, "ia")
    internal_affairs.goto("/findings/")
    shoot(internal_affairs, "13-findings")
    chief.goto("/reports/")
    shoot(chief, "14-reports-to-sign")
    town_clerk = signed_in(browser, live_server, "townclerk")
    town_clerk.goto(Meeting.objects.filter(items__isnull=False).order_by("-starts_at").first().get_absolute_url())
    shoot(town_clerk, "15-meeting-agenda")
    chief.goto(UVisaRequest.objects.filter(decision="pending").order_by("due_on").first().get_absolute_url())
    shoot(chief, "16-u-visa-request")
    taken = [shot for shot in OUT.glob("*.png") if shot.stat().st_mtime >= started]
    assert len(taken) == 16, f"only {len(taken)} screenshots taken in this run"
