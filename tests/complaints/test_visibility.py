"""Who sees which complaint (DESIGN.md section 1): the records each role gets back from every complaint list, page
and endpoint. Internal affairs and the chief see police complaints routed to internal affairs — never those about
internal affairs or the chief, nor one still awaiting triage; the coordinator sees all; everyone else nothing."""

import pytest
from django.urls import reverse

from complaints import services
from tests.conftest import A_PDF
from welcoming.roles import Role

NO_COMPLAINTS = [Role.RECORDS_CLERK, Role.CERTIFYING_OFFICIAL, Role.MUNICIPAL_CLERK, Role.COUNCIL_STAFF]


@pytest.fixture
def complaints(take_in, coordinator):
    routed = services.complaint_route(complaint=take_in(), by=coordinator)
    awaiting = take_in()
    about_ia = services.complaint_route(complaint=take_in(about="internal_affairs"), by=coordinator)
    about_chief = services.complaint_route(complaint=take_in(about="chief"), by=coordinator)
    school = services.complaint_route(
        complaint=take_in(department="schools", about=""), by=coordinator, referred_to="Superintendent"
    )
    return {
        "routed": routed,
        "awaiting": awaiting,
        "about_ia": about_ia,
        "about_chief": about_chief,
        "school": school,
    }


SEES = {
    Role.COMPLAINTS_COORDINATOR: {"routed", "awaiting", "about_ia", "about_chief", "school"},
    Role.INTERNAL_AFFAIRS: {"routed"},
    Role.POLICE_CHIEF: {"routed"},
    **{role: set() for role in [*NO_COMPLAINTS, Role.ADMINISTRATOR]},
}


@pytest.mark.parametrize("role", list(SEES))
def test_each_role_gets_back_exactly_the_complaints_it_may_see(role, staff, complaints, client_of):
    client = client_of(staff[role])
    expected = SEES[role]
    queue = client.get(reverse("complaints:queue"), {"queue": "all"})
    api = client.get("/api/v1/complaints/", {"queue": "all"})
    if not expected:
        assert (queue.status_code, api.status_code) == (403, 403)
    else:
        page = queue.content.decode()
        listed = {name for name, c in complaints.items() if c.tracking_code in page}
        assert listed == expected
        assert {c["tracking_code"] for c in api.json()["results"]} == {complaints[n].tracking_code for n in expected}
    for name, complaint in complaints.items():
        detail = client.get(reverse("complaints:detail", args=[complaint.pk])).status_code
        api_detail = client.get(f"/api/v1/complaints/{complaint.pk}/").status_code
        letter = client.get(reverse("complaints:letter", args=[complaint.pk, "acknowledgement"])).status_code
        if name in expected:
            assert (detail, api_detail) == (200, 200), name
        else:
            # Those who see some complaints are told a hidden one does not exist; the rest are refused outright.
            refused = 404 if expected else 403
            assert (detail, api_detail, letter) == (refused, refused, refused), name


def test_the_dashboards_count_only_what_each_may_see(staff, complaints, client_of):
    coordinator_home = client_of(staff[Role.COMPLAINTS_COORDINATOR]).get("/").content.decode()
    assert "1</strong> awaiting triage" in coordinator_home
    assert "5</strong> open" in coordinator_home
    ia_home = client_of(staff[Role.INTERNAL_AFFAIRS]).get("/").content.decode()
    assert "1</strong> open" in ia_home and "awaiting triage" not in ia_home
    assert complaints["about_chief"].tracking_code not in ia_home
    clerk_home = client_of(staff[Role.RECORDS_CLERK]).get("/").content.decode()
    assert "Complaints" not in clerk_home


def test_a_complaint_file_is_served_only_to_those_who_see_the_complaint(
    staff, complaints, coordinator, client_of, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = str(tmp_path)
    attachment = services.complaint_attach(
        complaint=complaints["about_chief"], by=coordinator, upload=SimpleUploadedFile("s.pdf", A_PDF)
    )
    url = reverse("welcoming:attachment", args=[attachment.pk])
    assert client_of(coordinator).get(url).status_code == 200
    for role in (Role.INTERNAL_AFFAIRS, Role.POLICE_CHIEF, Role.RECORDS_CLERK):
        assert client_of(staff[role]).get(url).status_code == 404
