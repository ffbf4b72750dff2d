"""Two clerks on one detainer in two browsers: the second, whose page was drawn before the first one's change, is
told what changed and by whom, and nothing of theirs is saved; the page telling it has no WCAG 2.1 A or AA
violation."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from detainers import services
from detainers.models import Detainer
from tests.e2e.conftest import axe_violations, sign_in
from welcoming.roles import Role


def record_copy_served(page, moment):
    form = page.locator("#copy-served")
    form.get_by_label("Copy served at").fill(timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M"))
    form.get_by_role("button", name="Record the copy served").click()


def test_the_second_of_two_clerks_is_told_what_the_first_saved(page, axe_page, municipality, make_staff):
    dana = make_staff("e2e-dana", Role.RECORDS_CLERK)
    dana.first_name, dana.last_name = "Dana", "Reyes"
    dana.save()
    lee = make_staff("e2e-lee", Role.RECORDS_CLERK)
    person = services.person_create(full_name="Ana Twice", by=dana)
    custody = services.custody_create(
        person=person, booked_at=timezone.now() - timedelta(days=1), basis="criminal_charge", by=dana
    )
    lodged = timezone.now() - timedelta(hours=5)
    detainer = services.detainer_create(
        judicial_warrant=False,
        custody=custody,
        form="I-247A",
        lodged_at=lodged,
        received_via="fax",
        reasons=[("final_order", "")],
        by=dana,
    )
    sign_in(page, dana)
    sign_in(axe_page, lee)
    page.goto(detainer.get_absolute_url())
    axe_page.goto(detainer.get_absolute_url())  # both have the page open

    record_copy_served(page, lodged + timedelta(hours=1))
    expect(page.get_by_role("status").first).to_contain_text("Saved.")

    record_copy_served(axe_page, lodged + timedelta(hours=3))
    alert = axe_page.get_by_text("Dana Reyes changed this record")
    expect(alert).to_be_visible()
    expect(axe_page.get_by_text("Nothing of yours was saved")).to_be_visible()
    assert axe_violations(axe_page) == [], "the refusal"
    detainer.refresh_from_db()
    assert detainer.copy_served_at == (lodged + timedelta(hours=1)).replace(second=0, microsecond=0)

    # Having read what changed, Lee may still save on purpose: the form now carries the version Lee was shown.
    axe_page.get_by_role("button", name="Save").click()
    expect(axe_page.get_by_role("status").first).to_contain_text("Saved.")
    assert Detainer.objects.get().copy_served_at == (lodged + timedelta(hours=3)).replace(second=0, microsecond=0)
