"""The records clerk's screens, as a clerk, internal affairs and the chief use them."""

import re
import subprocess
from datetime import datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from detainers import services
from detainers.models import Custody, Detainer, InformationRequest, Person
from tests.conftest import A_PDF, sign_in_verified
from welcoming.models import Attachment, AuditEntry
from welcoming.roles import Role

PDF = A_PDF


def local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def clerk_web(client, clerk, municipality):
    return sign_in_verified(client, clerk)


@pytest.fixture
def held(clerk, municipality):
    """Someone booked five days ago and still in custody."""
    return services.book_person(
        full_name="Rosa Example",
        date_of_birth=None,
        department_id="HPD-77",
        booked_at=timezone.now() - timedelta(days=5),
        basis="criminal_charge",
        booking_number="B-26-7777",
        by=clerk,
    )


def detainer_post(custody, **extra):
    return {
        "form": "I-247A",
        "received_via": "fax",
        "lodged_at": local(timezone.now() - timedelta(hours=1)),
        "reasons": ["final_order", "biometric_match"],
        "federal_reference": "SUBJ-77",
        "judicial_warrant": "no",
        **extra,
    }


def test_a_clerk_books_a_person_and_is_warned_of_a_possible_duplicate(clerk_web, held):
    data = {
        "full_name": "Rosa Example",
        "department_id": "hpd-77",
        "booked_at": local(timezone.now()),
        "basis": "criminal_charge",
        "booking_number": "B-26-7800",
    }
    warned = clerk_web.post(reverse("detainers:book"), data)
    body = warned.content.decode()
    assert "Possibly someone already recorded" in body and 'value="B-26-7800"' in body  # what was typed is kept
    assert Person.objects.count() == 1
    booked = clerk_web.post(reverse("detainers:book"), {**data, "not_a_duplicate": "on"})
    assert booked.status_code == 302 and Person.objects.count() == 2


def test_a_clerk_records_a_detainer_with_its_scan_and_is_told_what_comes_next(clerk_web, held, make_staff):
    response = clerk_web.post(
        reverse("detainers:detainer-new", args=[held.pk]),
        {**detainer_post(held), "scan": SimpleUploadedFile("detainer.pdf", PDF)},
        follow=True,
    )
    body = response.content.decode()
    assert "What the ordinance requires next" in body
    assert "Give Rosa Example a copy" in body and "Release the person on time" in body and "Decline ICE access" in body
    detainer = Detainer.objects.get()
    assert detainer.kind == "immigration_detainer" and detainer.reasons.count() == 2
    attachment = Attachment.objects.get()
    assert attachment.content_type == "application/pdf" and "detainer" not in attachment.file.name
    ia = sign_in_verified(type(clerk_web)(), make_staff("ia", Role.INTERNAL_AFFAIRS))
    download = ia.get(reverse("welcoming:attachment", args=[attachment.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    council = sign_in_verified(type(clerk_web)(), make_staff("council", Role.COUNCIL_STAFF))
    assert council.get(reverse("welcoming:attachment", args=[attachment.pk])).status_code == 404


def test_a_huge_file_or_a_renamed_program_is_refused_by_name_and_nothing_is_saved(clerk_web, held, settings):
    program = SimpleUploadedFile("scan.pdf", b"MZ\x90\x00 this is an executable")
    response = clerk_web.post(
        reverse("detainers:detainer-new", args=[held.pk]), {**detainer_post(held), "scan": program}
    )
    assert "“scan.pdf” is not a PDF, JPEG or PNG file" in response.content.decode()
    # Over the file's limit, within the page's (a body over that is refused whole: tests/welcoming/test_body_limits)
    huge = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * int(10.9 * 1024 * 1024))
    response = clerk_web.post(reverse("detainers:detainer-new", args=[held.pk]), {**detainer_post(held), "scan": huge})
    assert "“big.pdf” is 11 MB; the limit is 10 MB" in response.content.decode()
    assert 'value="SUBJ-77"' in response.content.decode()  # everything typed is kept
    assert not Detainer.objects.exists() and not Attachment.objects.exists()


def test_bad_input_is_shown_beside_the_field_in_plain_words(clerk_web, held):
    response = clerk_web.post(
        reverse("detainers:detainer-new", args=[held.pk]), detainer_post(held, federal_reference="A123456789")
    )
    assert "looks like an alien registration number" in response.content.decode()
    response = clerk_web.post(
        reverse("detainers:detainer-new", args=[held.pk]), detainer_post(held, reasons=["not_stated", "gang"])
    )
    assert "cannot be combined with another reason" in response.content.decode()
    assert not Detainer.objects.exists()


def test_a_time_that_does_not_exist_is_refused_and_an_ambiguous_one_asks_which(clerk, municipality, client):
    sign_in_verified(client, clerk)
    data = {"full_name": "Night Owl", "booked_at": "2026-03-08T02:30", "basis": "criminal_charge"}
    assert "does not exist in America/New_York" in client.post(reverse("detainers:book"), data).content.decode()
    ambiguous = client.post(reverse("detainers:book"), {**data, "booked_at": "2026-11-01T01:30"}).content.decode()
    assert "happened twice" in ambiguous and 'name="booked_at_fold"' in ambiguous
    done = client.post(reverse("detainers:book"), {**data, "booked_at": "2026-11-01T01:30", "booked_at_fold": "1"})
    assert done.status_code == 302
    assert Custody.objects.get().booked_at.isoformat() == "2026-11-01T06:30:00+00:00"  # the second 01:30 (EST)


@pytest.fixture
def on_hold(held, clerk):
    """Rosa Example with an I-247A lodged two hours ago."""
    return services.detainer_create(
        judicial_warrant=False,
        custody=held,
        form="I-247A",
        lodged_at=timezone.now() - timedelta(hours=2),
        received_via="fax",
        reasons=[("final_order", "")],
        by=clerk,
    )


def test_the_release_board_shows_who_is_held_on_an_open_hold_and_what_to_do(clerk_web, held, on_hold, clerk):
    services.custody_eligible(custody=held, at=timezone.now() - timedelta(minutes=5), reason="bail_posted", by=clerk)
    body = clerk_web.get(reverse("detainers:board")).content.decode()
    assert "Rosa Example" in body and "Release now" in body and "Record the copy of the I-247A served" in body
    clerk_web.post(reverse("detainers:custody-release", args=[held.pk]), {"at": local(timezone.now())})
    assert "Rosa Example" not in clerk_web.get(reverse("detainers:board")).content.decode()


def test_the_board_offers_to_record_eligibility_only_for_someone_not_yet_eligible(clerk_web, held, on_hold, clerk):
    record_eligibility = f'href="{reverse("detainers:custody-detail", args=[held.pk])}#eligible">Record eligibility</a>'
    board = clerk_web.get(reverse("detainers:board")).content.decode()
    assert record_eligibility in board and "Not yet known" in board
    look = AuditEntry.objects.filter(action="list", record_type="detainers.custody").latest("id")
    assert (look.fields, look.username) == ([str(held.pk)], clerk.username)  # logged: who saw whom on the board
    custody_page = clerk_web.get(reverse("detainers:custody-detail", args=[held.pk])).content.decode()
    assert 'id="eligible"' in custody_page  # the anchor the link lands on: the eligibility form
    services.custody_eligible(custody=held, at=timezone.now() - timedelta(minutes=1), reason="bail_posted", by=clerk)
    assert "Record eligibility" not in clerk_web.get(reverse("detainers:board")).content.decode()


def test_the_board_says_when_it_was_drawn_and_refreshes_only_when_asked(clerk_web, held):
    response = clerk_web.get(reverse("detainers:board"))
    body = response.content.decode()
    drawn = timezone.localtime(response.context["now"])
    assert f'Drawn at <time datetime="{drawn.isoformat()}">{drawn:%Y-%m-%d %H:%M:%S}</time>' in body
    assert f'href="{reverse("detainers:board")}">Refresh</a>' in body
    # No timed reload: each look is a logged view of people in custody, so only a person asks for one.
    assert "http-equiv" not in body.lower()


def visible(html: str) -> str:
    """The page's text as a reader sees it: no tags, no attribute values (a select's option values are codes)."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_pages_show_the_labels_of_choices_never_their_stored_codes(clerk_web, held, clerk):
    inquiry = services.detainer_create(
        judicial_warrant=False,
        custody=held,
        form="release_inquiry",
        lodged_at=timezone.now() - timedelta(hours=3),
        received_via="phone",
        reasons=[("not_stated", "")],
        by=clerk,
    )
    other = services.detainer_create(
        judicial_warrant=False,
        custody=held,
        form="other",
        kind="immigration_detainer",
        lodged_at=timezone.now() - timedelta(hours=2),
        received_via="fax",
        reasons=[("not_stated", "")],
        by=clerk,
    )
    pages = {
        "detainer list": reverse("detainers:detainer-list"),
        "custody list": reverse("detainers:custody-list"),
        "board": reverse("detainers:board"),
        "person": reverse("detainers:person-detail", args=[held.person.pk]),
        "custody": reverse("detainers:custody-detail", args=[held.pk]),
        "inquiry": reverse("detainers:detainer-detail", args=[inquiry.pk]),
        "other": reverse("detainers:detainer-detail", args=[other.pk]),
    }
    text = {name: visible(clerk_web.get(url).content.decode()) for name, url in pages.items()}
    for name, words in text.items():
        for code in ("release_inquiry", "criminal_charge", "immigration_detainer", "not_stated", "other lodged"):
            assert code not in words, (name, code)
    assert "Request to be told of a release" in text["detainer list"] and "Criminal charge" in text["custody list"]
    assert "Other document" in text["board"] and "Record the copy of the other document served" in text["board"]
    assert "Request to be told of a release — Rosa Example" in text["inquiry"]  # the page's title
    assert "Other document" in text["other"]


def test_the_screener_marks_restricted_items_and_the_letter_says_what_is_declined(clerk_web, held, tmp_path):
    form = clerk_web.get(reverse("detainers:information-request-new", args=[held.pk])).content.decode()
    assert form.count("Restricted") == 7 and "Allowed" in form
    received_at = timezone.now() - timedelta(minutes=30)
    response = clerk_web.post(
        reverse("detainers:information-request-new", args=[held.pk]),
        {
            "agency": "ICE ERO Boston",
            "received_at": local(received_at),
            "received_via": "phone",
            "federal_reference": "EID-5512",
            "asked_home_address": "on",
            "disclosed_home_address": "no",
            "asked_pending_release": "on",
            "disclosed_pending_release": "no",
            "asked_public_record_only": "on",
            "disclosed_public_record_only": "yes",
            "basis_public_record_only": "public_record",
            "notes": "Called from the ERO desk.\nAsked again by e-mail at noon.",
        },
        follow=True,
    )
    assert "Download the response letter" in response.content.decode()
    assert "Called from the ERO desk.<br>Asked again by e-mail at noon." in response.content.decode()
    assert "EID-5512" in response.content.decode()
    info = InformationRequest.objects.get()
    letter = clerk_web.get(reverse("detainers:information-request-letter", args=[info.pk]))
    assert letter["Content-Type"] == "application/pdf"
    pdf = tmp_path / "letter.pdf"
    pdf.write_bytes(letter.content)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "City of Harborview" in text and "Harborview Police Department" in text
    assert "Declined" in text and "Home address" in text and "Pending release" in text
    assert "Restricted by clause 2(e)" in text and "Page 1 of 1" in text
    # It names the request it answers, and where the department takes its mail (the demo town's profile).
    received = timezone.localtime(received_at)
    assert f"received {received:%B} {received.day}, {received.year}" in text
    flowing = " ".join(text.split())
    assert "from ICE ERO Boston. ICE reference: EID-5512. Our reference: information request" in flowing
    assert "Records Division" in text and "1 Harbor Street" in text and "Harborview, MA 02100" in text
    assert "Rosa Example" not in text  # the letter names no one
    info_out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "Response to a request for information" in info_out and "Author:          Harborview Police" in info_out
    assert re.search(r"Tagged:\s+yes", info_out) and re.search(r"Metadata Stream:\s+yes", info_out)  # PDF/A-3a
    assert AuditEntry.objects.filter(action="export", record_type="detainers.informationrequest").exists()


def test_lists_search_and_export_a_logged_csv(clerk_web, held, clerk):
    services.book_person(
        full_name="=HYPERLINK(1)",
        date_of_birth=None,
        department_id="",
        basis="sentence",
        booked_at=timezone.now() - timedelta(hours=1),
        booking_number="B-1",
        by=clerk,
    )
    found = clerk_web.get(reverse("detainers:custody-list"), {"q": "B-26-7777"})
    assert found.context["page"].paginator.count == 1
    csv = clerk_web.get(reverse("detainers:custody-list"), {"format": "csv"})
    text = csv.content.decode()
    assert "Rosa Example" in text and "'=HYPERLINK(1)" in text  # a formula is neutralised
    assert AuditEntry.objects.filter(action="export", record_type="detainers.custody").exists()


def test_internal_affairs_voids_a_record_from_its_page_but_not_a_clerk_elses(client, held, clerk, make_staff):
    other = sign_in_verified(client, make_staff("clerk2", Role.RECORDS_CLERK))
    response = other.post(reverse("detainers:void", args=["custody", held.pk]), {"reason": "typo"}, follow=True)
    assert "You may void only records you entered." in response.content.decode()
    ia = sign_in_verified(type(client)(), make_staff("ia", Role.INTERNAL_AFFAIRS))
    response = ia.post(reverse("detainers:void", args=["custody", held.pk]), {"reason": "Booked twice."}, follow=True)
    assert "The record is void" in response.content.decode()
    held.refresh_from_db()
    assert held.void_reason == "Booked twice."


def test_the_merge_screen_merges_a_duplicate(clerk_web, held, clerk):
    duplicate = services.person_create(full_name="R. Example", department_id="HPD-77", by=clerk)
    page = clerk_web.get(reverse("detainers:person-merge", args=[held.person.pk])).content.decode()
    assert "R. Example" in page
    clerk_web.post(reverse("detainers:person-merge", args=[held.person.pk]), {"duplicate": duplicate.pk})
    duplicate.refresh_from_db()
    assert duplicate.merged_into == held.person


LIST_PAGES = [
    "detainers:detainer-list",
    "detainers:custody-list",
    "detainers:person-list",
    "detainers:information-request-list",
    "detainers:access-request-list",
    "detainers:assistance-request-list",
    "detainers:reimbursement-list",
    "detainers:board",
]


@pytest.mark.parametrize("url_name", LIST_PAGES)
def test_list_pages_take_the_same_number_of_queries_at_two_sizes(clerk_web, clerk, url_name, django_assert_num_queries):
    from tests.detainers.test_api import grow

    clerk_web.get(reverse("welcoming:home"))
    grow(clerk, 2)
    _held_with_detainer(clerk)
    with django_assert_num_queries(PAGE_QUERIES[url_name]):
        assert clerk_web.get(reverse(url_name)).status_code == 200
    grow(clerk, 6)
    _held_with_detainer(clerk)
    with django_assert_num_queries(PAGE_QUERIES[url_name]):
        assert clerk_web.get(reverse(url_name)).status_code == 200


def _held_with_detainer(clerk):
    custody = services.book_person(
        full_name="Held",
        date_of_birth=None,
        department_id="",
        basis="criminal_charge",
        booked_at=timezone.now() - timedelta(hours=2),
        by=clerk,
    )
    services.detainer_create(
        judicial_warrant=False,
        custody=custody,
        form="I-247A",
        lodged_at=timezone.now() - timedelta(hours=1),
        received_via="fax",
        reasons=[("final_order", "")],
        by=clerk,
    )


# Session, user, OTP device, municipality and holidays, unread count, permissions; count, page, prefetches.
PAGE_QUERIES = {
    "detainers:detainer-list": 15,
    "detainers:custody-list": 14,
    "detainers:person-list": 14,
    "detainers:information-request-list": 15,
    "detainers:access-request-list": 14,
    "detainers:assistance-request-list": 15,
    "detainers:reimbursement-list": 14,
    "detainers:board": 15,
}


def test_the_date_filter_takes_whole_local_days_and_the_search_finds_name_booking_and_reference(clerk_web, held, clerk):
    four_days_ago = timezone.localdate() - timedelta(days=4)

    def lodge(hour, minute, **extra):
        moment = timezone.make_aware(datetime.combine(four_days_ago, datetime.min.time()).replace(hour=hour))
        at = moment + timedelta(minutes=minute)
        return services.detainer_create(
            judicial_warrant=False,
            custody=held,
            form="I-247A",
            lodged_at=at,
            received_via="fax",
            reasons=[("final_order", "")],
            by=clerk,
            **extra,
        )

    lodge(0, 0, federal_reference="SUBJ-123")  # the day's first minute, local time
    lodge(23, 59)  # its last
    url = reverse("detainers:detainer-list")

    def count(**params):
        return clerk_web.get(url, params).context["page"].paginator.count

    day, next_day = four_days_ago.isoformat(), (four_days_ago + timedelta(days=1)).isoformat()
    previous_day = (four_days_ago - timedelta(days=1)).isoformat()
    assert count(lodged_from=day, lodged_to=day) == 2
    assert count(lodged_from=next_day) == 0 and count(lodged_to=previous_day) == 0
    assert count(lodged_from="0001-01-01", lodged_to="9999-12-31") == 2  # the calendar's ends: no day after
    assert count(q="example") == 2 and count(q="b-26-7777") == 2 and count(q="subj-123") == 1
    assert count(q="nobody") == 0
    custody = clerk_web.get(reverse("detainers:custody-list"), {"q": "exam"}).context["page"].paginator
    assert custody.count == 1


def test_the_information_and_access_request_lists_find_a_name_or_a_booking_number(clerk_web, held, clerk):
    other = services.book_person(
        full_name="Other Person",
        date_of_birth=None,
        department_id="",
        basis="sentence",
        booked_at=timezone.now() - timedelta(days=2),
        booking_number="B-26-0001",
        by=clerk,
    )
    for custody in (held, other):
        services.information_request_create(
            custody=custody,
            agency="ICE ERO Boston",
            received_at=timezone.now() - timedelta(hours=1),
            received_via="phone",
            items=[{"item": "pending_release", "disclosed": False}],
            by=clerk,
        )
        services.access_request_create(
            custody=custody,
            agency="ICE ERO Boston",
            requested_at=timezone.now() - timedelta(hours=1),
            mode="video",
            judicial_warrant_or_court_order=False,
            granted=False,
            by=clerk,
        )

    def found(url_name, query):
        page = clerk_web.get(reverse(url_name), {"q": query}).context["page"]
        return [request.custody for request in page.object_list]

    for url_name in ("detainers:information-request-list", "detainers:access-request-list"):
        assert found(url_name, "rosa exam") == [held] and found(url_name, "b-26-7777") == [held], url_name
        assert found(url_name, "b-26-0001") == [other] and found(url_name, "nobody") == [], url_name
        assert len(found(url_name, "")) == 2, url_name


def test_the_detainer_list_filters_by_kind_form_reason_dates_and_open_findings(clerk_web, held, clerk):
    now = timezone.now()
    services.detainer_create(
        judicial_warrant=False,
        custody=held,
        form="I-247A",
        lodged_at=now - timedelta(hours=2),
        received_via="fax",
        reasons=[("final_order", "")],
        copy_served_at=now - timedelta(hours=1),
        by=clerk,
    )
    services.detainer_create(
        judicial_warrant=False,
        custody=held,
        form="I-200",
        lodged_at=now - timedelta(days=3),
        received_via="fax",
        reasons=[("not_stated", "")],
        by=clerk,
    )  # copy never served: a 2(g) finding
    url = reverse("detainers:detainer-list")

    def count(**params):
        return clerk_web.get(url, params).context["page"].paginator.count

    assert count() == 2
    assert count(kind="administrative_warrant") == 1 and count(form="I-247A") == 1
    assert count(reason="final_order") == 1 and count(reason="gang") == 0
    # The dates the two were lodged on (not today's: two hours ago may be yesterday, just after midnight).
    recent, old = timezone.localdate(now - timedelta(hours=2)), timezone.localdate(now - timedelta(days=3))
    assert count(lodged_from=recent.isoformat()) == 1
    assert count(lodged_to=old.isoformat()) == 1
    assert count(with_open_findings="on") == 1


def test_the_findings_queue_counts_by_clause_and_lists_voids_dismissals_and_closures(client, held, clerk, make_staff):
    now = timezone.now()
    detainer = services.detainer_create(
        judicial_warrant=False,
        custody=held,
        form="I-200",
        lodged_at=now - timedelta(days=2),
        received_via="fax",
        reasons=[("not_stated", "")],
        by=clerk,
    )
    ia_user = make_staff("ia", Role.INTERNAL_AFFAIRS)
    ia = sign_in_verified(client, ia_user)
    queue = ia.get(reverse("welcoming:findings")).content.decode()
    assert "2(g): 1" in queue and "ago" not in queue.split("Open for")[0]
    services.record_void(record=detainer, by=ia_user, reason="Faxed to the wrong department.")
    closures = ia.get(reverse("welcoming:closures")).content.decode()
    assert "Faxed to the wrong department." in closures  # the void
    assert "The copy of the I-200" in closures  # its finding, closed by itself
    home = ia.get(reverse("welcoming:home")).content.decode()
    assert "1 record voided, 0 findings dismissed, 1 closed automatically" in home


def test_the_clerks_dashboard_shows_the_release_board(clerk_web, held, clerk):
    services.detainer_create(
        judicial_warrant=False,
        custody=held,
        form="I-247A",
        lodged_at=timezone.now() - timedelta(hours=1),
        received_via="fax",
        reasons=[("final_order", "")],
        by=clerk,
    )
    home = clerk_web.get(reverse("welcoming:home")).content.decode()
    text = " ".join(re.sub(r"<[^>]+>", "", home).split())
    assert "1 person in custody with an open hold; 1 copy still to serve." in text


def test_book_a_person_is_in_the_clerks_menu_and_on_the_clerks_dashboard(client, clerk, municipality, make_staff):
    book = f'href="{reverse("detainers:book")}"'
    home = sign_in_verified(client, clerk).get(reverse("welcoming:home")).content.decode()
    menu, dashboard = home.split("</nav>", 1)
    assert book in menu and "Book a person" in menu
    assert book in dashboard and "Book a person</a>" in dashboard
    # Internal affairs reads the police records but books no one: neither the entry nor the panel.
    ia = sign_in_verified(type(client)(), make_staff("ia", Role.INTERNAL_AFFAIRS))
    assert book not in ia.get(reverse("welcoming:home")).content.decode()


def test_the_closures_page_takes_the_same_number_of_queries_at_two_sizes(
    client, clerk, make_staff, django_assert_num_queries
):
    chief_user = make_staff("chief", Role.POLICE_CHIEF)
    chief = sign_in_verified(client, chief_user)
    chief.get(reverse("welcoming:home"))

    def void_some(n):
        for _ in range(n):
            custody = services.book_person(
                full_name="Void Me",
                date_of_birth=None,
                department_id="",
                basis="sentence",
                booked_at=timezone.now() - timedelta(days=2),
                by=clerk,
            )
            detainer = services.detainer_create(
                judicial_warrant=False,
                custody=custody,
                form="I-200",
                received_via="fax",
                lodged_at=timezone.now() - timedelta(days=1),
                reasons=[("not_stated", "")],
                by=clerk,
            )  # 2(g) overdue
            services.record_void(record=detainer, by=chief_user, reason="Wrong fax.")

    void_some(1)
    with django_assert_num_queries(CLOSURES_QUERIES) as captured:
        assert "Wrong fax." in chief.get(reverse("welcoming:closures")).content.decode()
    void_some(5)
    with django_assert_num_queries(len(captured)):
        assert chief.get(reverse("welcoming:closures")).content.decode().count("Wrong fax.") == 6


# Session, user, OTP device, permissions (2), municipality and holidays, unread count; dismissed and closed
# findings; one query per kind of voidable record.
CLOSURES_QUERIES = 18  # 9 kinds of voidable record: 8 police records and U visa requests
