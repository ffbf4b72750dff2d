"""The police side's one search box (issue 22, item 6): what each role finds, that it never learns of a match it
may not read, that only what the page shows is logged, and that its queries do not grow with the town."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from complaints import services as complaint_services
from detainers import services
from tests.conftest import sign_in_verified
from welcoming.models import AuditEntry
from welcoming.roles import Role

KINDS = ["people", "custody", "detainers", "information_requests", "access_requests"]


@pytest.fixture
def ruiz(clerk, municipality):
    """Ana Ruiz, booked and held on an I-247A, asked about by ICE and asked to be seen; and two complaints she
    filed, one about officers (routed to internal affairs) and one about the chief (the coordinator's alone)."""
    now = timezone.now()
    custody = services.book_person(
        full_name="Ana Ruiz",
        date_of_birth=None,
        department_id="HPD-4242",
        booked_at=now - timedelta(days=2),
        basis="criminal_charge",
        booking_number="B-26-0099",
        by=clerk,
    )
    detainer = services.detainer_create(
        judicial_warrant=False,
        custody=custody,
        form="I-247A",
        lodged_at=now - timedelta(days=1),
        received_via="fax",
        reasons=[("final_order", "")],
        federal_reference="SUBJ-555",
        by=clerk,
    )
    information = services.information_request_create(
        custody=custody,
        agency="ICE ERO Boston",
        received_at=now - timedelta(hours=3),
        received_via="phone",
        items=[{"item": "pending_release", "disclosed": False}],
        by=clerk,
    )
    access = services.access_request_create(
        custody=custody,
        agency="ICE ERO Boston",
        requested_at=now - timedelta(hours=2),
        mode="video",
        judicial_warrant_or_court_order=False,
        granted=False,
        by=clerk,
    )
    return {"custody": custody, "detainer": detainer, "information": information, "access": access}


@pytest.fixture
def complaints_by_ruiz(make_staff, municipality):
    coordinator = make_staff("coordinator", Role.COMPLAINTS_COORDINATOR)

    def complaint(about):
        made, _ = complaint_services.complaint_create(
            received_at=timezone.now() - timedelta(hours=1),
            channel="phone",
            narrative="Asked about my papers.",
            department="police",
            about=about,
            complainant_name="Ana Ruiz",
            by=coordinator,
        )
        return complaint_services.complaint_route(complaint=made, by=coordinator)

    return complaint("officers"), complaint("chief")


def signed_in(client, make_staff, role):
    return sign_in_verified(client, make_staff(f"search-{role.value}", role))


def search(client, query):
    return client.get(reverse("detainers:search"), {"q": query})


def main_text(response) -> str:
    """The words of the page's main part, as a reader sees them (no markup: `type="hidden"` is not a hint)."""
    main = re.search(r"<main.*?</main>", response.content.decode(), re.DOTALL).group(0)
    return " ".join(re.sub(r"<[^>]+>", " ", main).split())


def found(response) -> dict[str, int]:
    return {group["kind"]: group["count"] for group in response.context["groups"]}


def test_the_clerk_finds_the_police_records_and_no_complaint_nor_a_hint_of_one(
    client, make_staff, ruiz, complaints_by_ruiz
):
    clerk = signed_in(client, make_staff, Role.RECORDS_CLERK)
    response = search(clerk, "ruiz")
    assert found(response) == dict.fromkeys(KINDS, 1)
    text = main_text(response)
    assert "5 records match" in text  # the total counts only what the clerk may read
    for complaint in complaints_by_ruiz:
        assert complaint.tracking_code not in response.content.decode()
    assert not re.search(r"complaint|hidden|not shown|may not|other", text, re.IGNORECASE), text


def test_internal_affairs_and_the_chief_also_find_the_complaint_about_officers_never_the_one_about_the_chief(
    client, make_staff, ruiz, complaints_by_ruiz
):
    about_officers, about_chief = complaints_by_ruiz
    for role in (Role.INTERNAL_AFFAIRS, Role.POLICE_CHIEF):
        response = search(signed_in(client, make_staff, role), "Ana Ruiz")
        assert found(response) == {**dict.fromkeys(KINDS, 1), "complaints": 1}, role
        body = response.content.decode()
        assert about_officers.tracking_code in body and about_chief.tracking_code not in body, role
        text = main_text(response)
        assert "6 records match" in text and not re.search(r"hidden|not shown|other", text, re.IGNORECASE), role


@pytest.mark.parametrize(
    "role", [Role.CERTIFYING_OFFICIAL, Role.COMPLAINTS_COORDINATOR, Role.MUNICIPAL_CLERK, Role.ADMINISTRATOR]
)
def test_a_role_that_may_not_read_police_records_has_no_search_box_and_the_page_is_refused(
    client, make_staff, ruiz, complaints_by_ruiz, role
):
    """Refused alike whether or not anything matches (the coordinator reads both complaints, yet learns nothing)."""
    staff = signed_in(client, make_staff, role)
    assert 'id="header-search-q"' not in staff.get(reverse("welcoming:home")).content.decode()
    for query in ("ruiz", "nobody at all"):
        response = search(staff, query)
        assert response.status_code == 403
        assert "ruiz" not in response.content.decode().lower()


def test_the_police_side_has_the_search_box_in_every_pages_header(client, make_staff, municipality):
    for role in (Role.RECORDS_CLERK, Role.INTERNAL_AFFAIRS, Role.POLICE_CHIEF):
        body = signed_in(client, make_staff, role).get(reverse("welcoming:home")).content.decode()
        form = re.search(r'<form[^>]*role="search"[^>]*>.*?</form>', body, re.DOTALL).group(0)
        assert f'action="{reverse("detainers:search")}"' in form and 'method="get"' in form
        assert '<label class="usa-sr-only" for="header-search-q">' in form and 'id="header-search-q"' in form


@pytest.mark.parametrize(
    ("query", "kinds"),
    [
        ("RUIZ", KINDS),  # part of a name, in any case
        ("b-26-0099", ["custody", "detainers", "information_requests", "access_requests"]),  # the booking number
        ("hpd-4242", ["people"]),  # the department ID
        ("subj-555", ["detainers"]),  # the ICE reference
        ("nobody", []),
    ],
)
def test_each_kind_of_words_finds_its_records(client, make_staff, ruiz, query, kinds):
    response = search(signed_in(client, make_staff, Role.RECORDS_CLERK), query)
    assert {kind for kind, count in found(response).items() if count} == set(kinds)
    links = set(re.findall(r'<li>\s*<a class="usa-link" href="([^"]+)"', response.content.decode()))
    if "detainers" in kinds:
        assert ruiz["detainer"].get_absolute_url() in links
    if "access_requests" in kinds:
        assert ruiz["access"].get_absolute_url() in links


def test_an_empty_search_asks_for_words_and_looks_at_nothing(client, make_staff, ruiz):
    clerk = signed_in(client, make_staff, Role.RECORDS_CLERK)
    before = AuditEntry.objects.filter(action__in=["view", "list"]).count()
    for query in ("", "   "):
        response = search(clerk, query)
        assert response.status_code == 200 and response.context["groups"] == []
        assert "Type what you know" in response.content.decode()
    assert clerk.get(reverse("detainers:search")).status_code == 200  # no q at all
    assert AuditEntry.objects.filter(action__in=["view", "list"]).count() == before


def test_a_kind_shows_its_first_five_and_links_to_its_list_filtered_for_the_rest(client, make_staff, clerk, ruiz):
    for number in range(6):
        services.person_create(full_name=f"Luis Ruiz {number}", by=clerk)
    staff = signed_in(client, make_staff, Role.RECORDS_CLERK)
    response = search(staff, "ruiz")
    people = next(group for group in response.context["groups"] if group["kind"] == "people")
    assert people["count"] == 7 and len(people["records"]) == 5
    assert people["list_url"] == f"{reverse('detainers:person-list')}?q=ruiz"
    assert "2 more — open the list of people" in response.content.decode()
    assert staff.get(people["list_url"]).context["page"].paginator.count == 7  # the list finds the same seven


def test_what_the_page_shows_is_logged_kind_by_kind_and_the_words_never(client, make_staff, ruiz, complaints_by_ruiz):
    """One entry per kind shown, naming the ids (never the words searched): the administrator looking up a record
    by its id finds that this search showed it."""
    ia = make_staff("search-ia", Role.INTERNAL_AFFAIRS)
    response = search(sign_in_verified(client, ia), "Ruiz")
    records = [record for group in response.context["groups"] for record in group["records"]]
    logged = AuditEntry.objects.filter(user=ia, action="list")
    assert {(entry.record_type, tuple(entry.fields)) for entry in logged} == {
        (kind, tuple(str(r.pk) for r in records if r._meta.label_lower == kind))
        for kind in {r._meta.label_lower for r in records}
    }
    assert len(records) == 6 and AuditEntry.objects.of_record(complaints_by_ruiz[0]).filter(user=ia).exists()
    assert not any("ruiz" in str(entry).lower() or "ruiz" in " ".join(entry.fields).lower() for entry in logged)
    count = logged.count()
    search(sign_in_verified(client, ia), "nobody")  # nothing shown: nothing looked at
    assert AuditEntry.objects.filter(user=ia, action="list").count() == count


# Session, user, OTP device, permissions, municipality and holidays, unread count (the shell, 8); a count and the
# first five for each of the five kinds (10); the look in the audit log (4).
SEARCH_QUERIES = 22


def test_the_search_takes_the_same_number_of_queries_at_two_sizes(
    client, make_staff, clerk, municipality, django_assert_num_queries
):
    """Two of each kind match, then eight: more than the page shows."""
    from tests.detainers.test_api import grow

    staff = signed_in(client, make_staff, Role.RECORDS_CLERK)
    staff.get(reverse("welcoming:home"))
    grow(clerk, 2)
    with django_assert_num_queries(SEARCH_QUERIES):
        assert found(search(staff, "person")) == dict.fromkeys(KINDS, 2)
    grow(clerk, 6)
    with django_assert_num_queries(SEARCH_QUERIES):
        assert found(search(staff, "person")) == dict.fromkeys(KINDS, 8)
