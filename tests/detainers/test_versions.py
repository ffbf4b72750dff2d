"""No lost updates: two clerks changing one record never overwrite each other. The second save, drawn from the
version before the first, is refused and told what changed, by whom; nothing of it is written."""

import threading
from datetime import timedelta

import pytest
from django.db import connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from detainers import services
from tests.conftest import sign_in_verified
from tests.detainers.conftest import at
from welcoming.roles import Role


@pytest.fixture
def two_clerks(make_staff):
    dana = make_staff("dana", Role.RECORDS_CLERK)
    dana.first_name, dana.last_name = "Dana", "Reyes"
    dana.save()
    return dana, make_staff("lee", Role.RECORDS_CLERK)


@pytest.fixture
def detainer(lodge):
    return lodge(hours=1.0, now=timezone.now())


def page_version(client, url) -> str:
    page = client.get(url).content.decode()
    return page.split('name="version" value="', 1)[1].split('"', 1)[0]


def local_field(moment) -> dict:
    return {"at": timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")}


def test_the_second_of_two_clerks_is_told_what_the_first_changed_and_nothing_of_theirs_is_saved(two_clerks, detainer):
    dana, lee = two_clerks
    first, second = sign_in_verified(Client(), dana), sign_in_verified(Client(), lee)
    url = detainer.get_absolute_url()
    seen_by_dana, seen_by_lee = page_version(first, url), page_version(second, url)
    assert seen_by_dana == seen_by_lee
    action = reverse("detainers:detainer-copy-served", args=[detainer.pk])
    dana_time = at(2)
    assert first.post(action, {**local_field(dana_time), "version": seen_by_dana}).status_code == 302

    refused = second.post(action, {**local_field(at(5)), "version": seen_by_lee})
    assert refused.status_code == 400
    text = refused.content.decode()
    assert "Dana Reyes changed this record" in text and "Nothing of yours was saved" in text
    assert "Copy served at: — → " in text.replace("&#x27;", "'").replace("&gt;", ">")
    detainer.refresh_from_db()
    assert detainer.copy_served_at == dana_time  # Lee's time was not written over Dana's
    # Lee has now seen the change; the form shown again carries the record's new version, so a deliberate second
    # try goes through.
    again = text.split('name="version" value="', 1)[1].split('"', 1)[0]
    assert again != seen_by_lee
    assert second.post(action, {**local_field(at(5)), "version": again}).status_code == 302
    detainer.refresh_from_db()
    assert detainer.copy_served_at == at(5)
    assert detainer.history.count() == 3  # created, Dana's, Lee's: the refused save left no trace


def test_a_release_on_a_custody_record_changed_meanwhile_is_refused(two_clerks, custody, lodge):
    dana, lee = two_clerks
    lodge(hours=1.0, now=timezone.now())
    first, second = sign_in_verified(Client(), dana), sign_in_verified(Client(), lee)
    seen_by_lee = page_version(second, custody.get_absolute_url())
    eligible = first.post(
        reverse("detainers:custody-eligible", args=[custody.pk]),
        {**local_field(at(3)), "reason": "bail_posted", "version": page_version(first, custody.get_absolute_url())},
    )
    assert eligible.status_code == 302
    refused = second.post(
        reverse("detainers:custody-release", args=[custody.pk]), {**local_field(at(4)), "version": seen_by_lee}
    )
    assert refused.status_code == 400 and "Dana Reyes changed this record" in refused.content.decode()
    custody.refresh_from_db()
    assert custody.eligible_for_release_at == at(3) and custody.released_at is None


def test_the_api_gives_a_version_and_refuses_a_change_to_an_older_one_with_412(two_clerks, detainer):
    dana, lee = two_clerks
    first, second = sign_in_verified(APIClient(), dana), sign_in_verified(APIClient(), lee)
    url = reverse("api:detainer-detail", args=[detainer.pk])
    etag = first.get(url)["ETag"]
    assert etag == second.get(url)["ETag"] and etag.strip('"').isdigit()

    saved = first.patch(url, {"federal_reference": "DANA-1"}, format="json", HTTP_IF_MATCH=etag)
    assert saved.status_code == 200 and saved["ETag"] != etag

    refused = second.patch(url, {"federal_reference": "LEE-1"}, format="json", HTTP_IF_MATCH=etag)
    assert refused.status_code == 412
    body = refused.json()
    assert "Dana Reyes changed this record" in body["detail"]
    assert {"field": "Federal reference", "old": "", "new": "DANA-1"} in body["changes"] or any(
        change["new"] == "DANA-1" for change in body["changes"]
    )
    assert isinstance(body["version"], int) and f'"{body["version"]}"' == saved["ETag"]
    detainer.refresh_from_db()
    assert detainer.federal_reference == "DANA-1"

    # With the version it was just given, the second clerk's change goes through.
    assert (
        second.patch(url, {"federal_reference": "LEE-1"}, format="json", HTTP_IF_MATCH=saved["ETag"]).status_code == 200
    )
    detainer.refresh_from_db()
    assert detainer.federal_reference == "LEE-1"


def test_an_api_change_without_if_match_keeps_what_others_changed_meanwhile(two_clerks, detainer):
    """A client that sends no version still cannot overwrite fields it did not send: the service changes only what
    it was given, on the row as it is now."""
    dana, lee = two_clerks
    stale = type(detainer).objects.get(pk=detainer.pk)  # read before Dana's change
    services.detainer_update(detainer=detainer, notes="Dana's note", by=dana)
    services.detainer_update(detainer=stale, federal_reference="LEE-2", by=lee)
    detainer.refresh_from_db()
    assert (detainer.notes, detainer.federal_reference) == ("Dana's note", "LEE-2")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_changes_sent_at_the_same_moment_with_one_version_one_wins_one_is_refused(make_staff, municipality):
    clerk = make_staff("clerk", Role.RECORDS_CLERK)
    person = services.person_create(full_name="Ana Both", by=clerk)
    custody = services.custody_create(
        person=person, booked_at=timezone.now() - timedelta(days=1), basis="sentence", by=clerk
    )
    detainer = services.detainer_create(
        judicial_warrant=False,
        custody=custody,
        form="I-247A",
        lodged_at=timezone.now() - timedelta(hours=3),
        received_via="fax",
        reasons=[("final_order", "")],
        by=clerk,
    )
    url = reverse("api:detainer-detail", args=[detainer.pk])
    etag = sign_in_verified(APIClient(), clerk).get(url)["ETag"]
    start, statuses = threading.Barrier(2), []

    def send(reference):
        try:
            client = sign_in_verified(APIClient(), clerk)
            start.wait()
            statuses.append(
                client.patch(url, {"federal_reference": reference}, format="json", HTTP_IF_MATCH=etag).status_code
            )
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send, args=(reference,)) for reference in ("ONE", "TWO")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200, 412]


@pytest.mark.parametrize("if_match", ['"999999"', 'W/"999999"', "not-a-version"])
def test_a_version_the_record_never_had_is_refused_with_412_not_an_error(two_clerks, detainer, if_match):
    url = reverse("api:detainer-detail", args=[detainer.pk])
    client = sign_in_verified(APIClient(), two_clerks[0])
    refused = client.patch(url, {"federal_reference": "X-1"}, format="json", HTTP_IF_MATCH=if_match)
    assert refused.status_code == 412 and refused.json()["changes"] == []
    assert isinstance(refused.json()["version"], int)  # the record's own version, to read it again by
    detainer.refresh_from_db()
    assert detainer.federal_reference != "X-1"
