"""Agendas follow the current version: a correction of a docketed report is marked wherever its item is shown,
the clerk withdraws the old item from an agenda not yet posted and places the new one, and the agenda and the
Open Meeting Law notice are documents with their amendments (DESIGN.md section 5)."""

import subprocess
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from reports import selectors, services
from reports.models import AgendaChange
from tests.conftest import A_PDF, sign_in_verified
from tests.reports.conftest import local
from welcoming.models import AuditEntry, Notification
from welcoming.roles import Role


def docketed(report, clerk, number):
    services.report_receive(report=report, by=clerk)
    services.report_forward(report=report, by=clerk)
    return services.report_docket(report=report, number=number, title=selectors.docket_title(report), by=clerk)


@pytest.fixture
def on_agenda(chief, town_clerk, municipality, records):
    """Version 1 for December 2025 – May 2026, docketed as 2026-214 and on the agenda of a meeting in twelve
    days, not yet posted; then the chief corrects it."""
    custody = records.custody(records.person("Rosa Example"), booked=local(2026, 2, 3, 8))
    records.lodge(custody, at=local(2026, 2, 3, 9), copy_served_at=local(2026, 2, 3, 10))
    first = services.report_freeze(period_number=3, by=chief)
    item = docketed(first, town_clerk, "2026-214")
    meeting = services.meeting_create(
        body="Public Safety Committee", starts_at=timezone.now() + timedelta(days=12), place="Room 204", by=town_clerk
    )
    services.docket_place_on_agenda(item=item, meeting=meeting, by=town_clerk)
    second = services.report_freeze(period_number=3, by=chief, correction_reason="A document came late.")
    item.refresh_from_db()
    return item, meeting, second


def text(response) -> str:
    return " ".join(response.content.decode().split())


def test_a_correction_of_a_docketed_report_is_marked_wherever_its_item_is_shown(on_agenda, town_clerk, make_staff):
    item, meeting, second = on_agenda
    told = Notification.objects.get(
        recipient=town_clerk, subject="Docket 2026-214 was replaced by version 2 of the report"
    )
    assert "not yet posted: withdraw it, then docket the new version" in told.body
    clerk_web = sign_in_verified(Client(), town_clerk)
    council_web = sign_in_verified(Client(), make_staff("council", Role.COUNCIL_STAFF))
    for web, url in [
        (clerk_web, reverse("reports:meeting", args=[meeting.pk])),
        (clerk_web, reverse("reports:meeting-agenda", args=[meeting.pk])),
        (clerk_web, reverse("reports:docket")),
        (clerk_web, reverse("reports:docket-item", args=[item.number])),
        (council_web, "/"),
        (Client(), reverse("public:docket")),
    ]:
        assert "Replaced by version 2" in text(web.get(url)), url
    public = Client().get("/api/v1/docket/2026-214/").json()
    assert public["replaced_by_version"] == 2


def test_the_clerk_withdraws_the_old_item_with_a_reason_and_places_the_new_version(on_agenda, town_clerk):
    item, meeting, second = on_agenda
    web = sign_in_verified(Client(), town_clerk)
    refused = web.post(reverse("reports:docket-withdraw", args=[item.number]), {"reason": " "})
    assert refused.status_code == 400
    page = text(refused)
    assert page.index('id="error-summary"') < page.index("<h1>") and page.count("This field is required.") == 2
    item.refresh_from_db()
    assert item.meeting == meeting
    done = web.post(reverse("reports:docket-withdraw", args=[item.number]), {"reason": "Replaced by version 2."})
    assert done.status_code == 302
    item.refresh_from_db()
    assert item.meeting is None
    change = AgendaChange.objects.get(kind="withdrawn")
    assert (change.item, change.meeting, change.reason, change.by) == (
        item,
        meeting,
        "Replaced by version 2.",
        town_clerk,
    )
    assert AuditEntry.objects.filter(record_type="reports.docketitem", record_id=item.pk, user=town_clerk).exists()
    new = docketed(second, town_clerk, selectors.next_docket_number())
    assert new.number == "2026-215"
    services.docket_place_on_agenda(item=new, meeting=meeting, by=town_clerk)
    assert [i.number for i in selectors.agenda(meeting)] == ["2026-215"]


def test_a_posted_agenda_stands_and_a_withdrawal_is_refused_everywhere(on_agenda, town_clerk):
    item, meeting, _ = on_agenda
    services.meeting_agenda_posted(meeting=meeting, at=timezone.now(), by=town_clerk)
    with pytest.raises(ValidationError, match="a posted agenda stands"):
        services.docket_withdraw(item=item, reason="Replaced.", by=town_clerk)
    web = sign_in_verified(Client(), town_clerk)
    api = web.post(f"/api/v1/docket/{item.number}/withdraw/", {"reason": "Replaced."}, content_type="application/json")
    assert api.status_code == 422 and "a posted agenda stands" in api.json()["reason"][0]
    page = web.post(reverse("reports:docket-withdraw", args=[item.number]), {"reason": "Replaced."})
    assert page.status_code == 400 and text(page).count("a posted agenda stands") >= 2
    item.refresh_from_db()
    assert item.meeting == meeting and not AgendaChange.objects.filter(kind="withdrawn").exists()


def test_a_correction_joins_the_agenda_late_marked_as_added_after_posting_and_an_ordinary_paper_cannot(
    on_agenda, town_clerk, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    item, meeting, second = on_agenda
    posted = meeting.starts_at - timedelta(days=8)
    services.meeting_agenda_posted(meeting=meeting, at=posted, by=town_clerk)
    late = meeting.starts_at - timedelta(hours=20)  # within the 48 hours the Open Meeting Law counts
    new = docketed(second, town_clerk, "2026-215")
    paper = services.paper_report_docket(
        number="2019-7", title="The 2019 report", upload=SimpleUploadedFile("p.pdf", A_PDF), by=town_clerk
    )
    with pytest.raises(ValidationError, match="had to be posted by"):
        services.docket_place_on_agenda(item=paper, meeting=meeting, by=town_clerk, now=late)
    services.docket_place_on_agenda(item=new, meeting=meeting, by=town_clerk, now=late)
    document = selectors.meeting_document(meeting, municipality=selectors.municipality_get())
    marks = {entry["item"].number: (entry["replaced_by"] is not None, entry["late"]) for entry in document["items"]}
    assert marks == {"2026-214": (True, False), "2026-215": (False, True)}
    assert [change.item.number for change in document["amendments"]] == ["2026-215"]

    web = sign_in_verified(Client(), town_clerk)
    for kind in ("agenda", "notice"):
        response = web.get(reverse(f"reports:meeting-{kind}-pdf", args=[meeting.pk]))
        path = tmp_path / f"{kind}.pdf"
        path.write_bytes(b"".join(response.streaming_content))
        words = " ".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout.split())
        assert (
            "Public Safety Committee of the City Council: semiannual report of the Harborview Police Department under "
            "the Welcoming "
            "Community Ordinance No. 2024-17, clause 4, December 1, 2025–May 31, 2026, version 2 (docket 2026-215)"
        ) in words, kind
        assert "Added after posting" in words and "Replaced by version 2" in words
        if kind == "notice":
            assert f"Posted {timezone.localtime(posted):%A}" in words and "by Tess Clerk" in words
            assert "docket 2026-215 added, by Tess Clerk." in words


def test_signing_a_first_version_tells_no_one_a_paper_was_replaced(chief, town_clerk, municipality):
    from django.core.files.uploadedfile import SimpleUploadedFile

    services.paper_report_docket(
        number="PS-09", title="The 2019 report", upload=SimpleUploadedFile("p.pdf", A_PDF), by=town_clerk
    )
    services.report_freeze(period_number=3, by=chief)
    assert not Notification.objects.filter(subject__contains="was replaced").exists()


def test_an_item_the_committee_acted_on_cannot_be_withdrawn(on_agenda, town_clerk):
    from reports.models import Meeting

    item, meeting, _ = on_agenda
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - timedelta(hours=2))
    services.docket_action_record(item=item, action="tabled", by=town_clerk)
    with pytest.raises(ValidationError, match="already acted"):
        services.docket_withdraw(item=item, reason="Replaced.", by=town_clerk)
    item.refresh_from_db()
    assert item.meeting_id == meeting.pk


def test_a_second_correction_follows_the_first_versions_item(on_agenda, chief, town_clerk):
    item, meeting, second = on_agenda
    third = services.report_freeze(period_number=3, by=chief, correction_reason="Another document came late.")
    assert Notification.objects.filter(
        recipient=town_clerk, subject="Docket 2026-214 was replaced by version 3 of the report"
    ).exists()
    item = selectors.docket_item("2026-214")
    assert item.replaced_by == third
    web = sign_in_verified(Client(), town_clerk)
    assert "Replaced by version 3" in text(web.get(reverse("reports:meeting", args=[meeting.pk])))
    new = docketed(third, town_clerk, "2026-215")
    late = meeting.starts_at - timedelta(hours=20)
    services.docket_place_on_agenda(item=new, meeting=meeting, by=town_clerk, now=late)  # v1's meeting, late
    assert new.pk in {i.pk for i in selectors.agenda(meeting)}
