"""What the clerk is told after a save, and what a finding's page says, in people's words."""

import re
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from detainers import services
from tests.conftest import sign_in_verified
from tests.detainers.test_screens import local
from welcoming.models import Finding
from welcoming.roles import Role


def alerts(page: str) -> list[str]:
    """The messages at the top of the page, as (style, text)."""
    return re.findall(
        r'usa-alert--(\w+) usa-alert--slim"[^>]*>\s*<div class="usa-alert__body"><p class="usa-alert__text">(.*?)</p>',
        page,
        re.S,
    )


def transfer(client, custody, authority):
    return client.post(
        reverse("detainers:custody-transfer", args=[custody.pk]),
        {
            "at": local(timezone.now() - timedelta(minutes=5)),
            "authority": authority,
            "eligible_at": local(timezone.now() - timedelta(minutes=30)),
            "eligibility_reason": "bail_posted",
        },
        follow=True,
    )


def test_a_transfer_on_a_detainer_alone_says_the_violation_at_the_top_with_a_link_to_it(client, clerk, ana_ruiz):
    sign_in_verified(client, clerk)
    page = transfer(client, ana_ruiz, "detainer").content.decode()
    finding = Finding.objects.get(code="2c-transfer-without-judicial-authority")
    [(style, text)] = alerts(page)
    assert style == "warning"
    assert text.startswith("This opens a violation of the ordinance.")
    assert "Violation of clause 2(c): Ana Ruiz was transferred to ICE on “ICE detainer”" in text
    assert f'href="{reverse("welcoming:finding-detail", args=[finding.pk])}"' in text


def test_a_save_that_breaches_nothing_says_saved_in_green(client, clerk, ana_ruiz):
    sign_in_verified(client, clerk)
    page = client.post(
        reverse("detainers:custody-release", args=[ana_ruiz.pk]),
        {"at": local(timezone.now()), "eligible_at": local(timezone.now()), "eligibility_reason": "bail_posted"},
        follow=True,
    ).content.decode()
    assert alerts(page) == [("success", "Saved. The record was checked against the ordinance.")]


def test_a_booking_on_a_hold_alone_says_the_violation_it_opens(client, clerk, municipality):
    sign_in_verified(client, clerk)
    page = client.post(
        reverse("detainers:book"),
        {
            "full_name": "Ana Ruiz",
            "department_id": "HPD-36",
            "booked_at": local(timezone.now() - timedelta(hours=2)),
            "basis": "detainer_only",
        },
        follow=True,
    ).content.decode()
    [(style, text)] = alerts(page)
    assert style == "warning" and "Violation of clause 2(d)" in text and "Ana Ruiz is booked." in text


def test_a_role_that_may_not_read_findings_is_told_saved_and_nothing_of_them(rf, clerk, ana_ruiz, make_staff):
    # DESIGN.md gives findings to the clerk, internal affairs and the chief: the certifying official, whose decision
    # can open a 2(i) finding, is not shown its sentence.
    from django.contrib.messages.storage.cookie import CookieStorage

    from welcoming.roles import Role
    from welcoming.views_support import say_saved

    services.custody_transfer_to_ice(
        custody=ana_ruiz,
        at=timezone.now() - timedelta(minutes=5),
        authority="detainer",
        eligible_at=timezone.now() - timedelta(minutes=30),
        eligibility_reason="bail_posted",
        by=clerk,
    )
    finding = Finding.objects.get(code="2c-transfer-without-judicial-authority")
    for user, said in [
        (make_staff("official", Role.CERTIFYING_OFFICIAL), [("success", "Saved.")]),
        (clerk, [("warning", "This opens a violation of the ordinance.")]),
    ]:
        request = rf.post("/")
        request.user, request._messages = user, CookieStorage(rf.post("/"))
        say_saved(request, "Saved.", [finding])
        assert [(m.tags, str(m)[: len(text)]) for m, (_, text) in zip(request._messages, said, strict=True)] == said


def test_the_violations_e_mail_names_no_one_and_says_only_what_happened_in_general(
    client, clerk, ana_ruiz, make_staff, mailoutbox, django_capture_on_commit_callbacks
):
    """E-mail leaves the app: it carries neither the person's name nor the facts of the hold, only the clause and
    a link to sign in and see them."""
    ia = make_staff("ia-mail", Role.INTERNAL_AFFAIRS)
    ia.email = "ia@example.org"
    ia.save()
    sign_in_verified(client, clerk)
    with django_capture_on_commit_callbacks(execute=True):
        transfer(client, ana_ruiz, "detainer")
    finding = Finding.objects.get(code="2c-transfer-without-judicial-authority")
    [mail] = [mail for mail in mailoutbox if mail.to == ["ia@example.org"]]
    text = f"{mail.subject}\n{mail.body}"
    assert "Violation of clause 2(c)" in mail.subject
    assert reverse("welcoming:finding-detail", args=[finding.pk]) in mail.body
    for fact in ("Ana", "Ruiz", "B-26-0036", "HPD-36", "transferred", "detainer"):
        assert fact.lower() not in text.lower(), fact
