"""A signed report whose records changed since: drift appears exactly when what a figure rests on changes, is
explained by the records that changed, names a change of the counting rule as such, is never caused by a
retention purge, and is checked once per transaction that touches a signed window (DESIGN.md section 5)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from detainers import imports
from detainers import services as police
from detainers.models import Custody
from reports import services
from reports.models import Report
from tests.conftest import scheduler_actor, sign_in_verified
from tests.detainers.test_import import csv_of, row
from tests.reports.conftest import NOW, local
from welcoming.models import Notification
from welcoming.retention import personal_data_purge
from welcoming.roles import Role

PERIOD = 3  # December 1, 2025 – May 31, 2026
CUSTODY_FIELDS = [name for name in imports.CUSTODY_FIELDS if name != "authority_received_at"]


@pytest.fixture
def held(records):
    """Rosa, held on a detainer two hours past bail in February 2026: one document, one person detained."""
    custody = records.custody(records.person("Rosa Example", "HPD-1"), booked=local(2026, 2, 3, 8))
    detainer = records.lodge(custody, at=local(2026, 2, 3, 9), copy_served_at=local(2026, 2, 3, 10))
    records.release(custody, eligible=local(2026, 2, 3, 12), at=local(2026, 2, 3, 14))
    return detainer


def sign(chief) -> Report:
    return services.report_freeze(period_number=PERIOD, by=chief)


def check(report) -> dict:
    return services.report_drift_check(report=report, by=scheduler_actor())


def changes(found) -> set:
    return {(r["type"], r["id"], r["change"]) for r in found["records"]}


def test_a_report_just_signed_has_not_drifted(chief, held):
    report = sign(chief)
    found = check(report)
    assert found["changed"] is False and found["figures"] == {} and found["records"] == []
    report.refresh_from_db()
    assert report.drift_digest == "" and not report.has_drifted and report.drift_checked_at is not None


def test_a_document_added_in_the_window_drifts_the_report_and_voiding_it_undoes_that(chief, held, records, clerk):
    report = sign(chief)
    custody = records.custody(records.person("Lena Example"), booked=local(2026, 3, 1, 8))
    added = records.lodge(custody, at=local(2026, 3, 1, 9), copy_served_at=local(2026, 3, 1, 10))
    found = check(report)
    assert found["changed"] and not found["rule_changed"]
    assert found["figures"] == {
        "lodged.immigration_detainer": {"signed": 1, "now": 2},
        "lodged.immigration_detainer.final_order": {"signed": 1, "now": 2},
    }
    assert changes(found) == {("detainer", added.pk, "added")}
    assert found["records"][0]["by"] == clerk.get_username()
    report.refresh_from_db()
    assert report.has_drifted

    police.record_void(record=added, by=chief, reason="Entered twice", now=NOW)
    found = check(report)
    assert found["changed"] is False
    report.refresh_from_db()
    assert not report.has_drifted


def test_voiding_the_document_that_held_someone_changes_three_figures_and_names_the_void(chief, held):
    report = sign(chief)
    police.record_void(record=held, by=chief, reason="Lodged for another person", now=NOW)
    found = check(report)
    assert {key: v["now"] for key, v in found["figures"].items()} == {
        "lodged.immigration_detainer": 0,
        "lodged.immigration_detainer.final_order": None,
        "individuals_detained": 0,
    }
    # The person and the custody left 4(b) because the document was voided: that void explains all three.
    assert changes(found) == {("detainer", held.pk, "voided")}
    assert found["rule_changed"] is False


def test_a_transfer_moved_past_the_period_end_drifts_the_report(chief, records, clerk):
    custody = records.custody(records.person("Tomas Example"), booked=local(2026, 5, 30, 8))
    records.transfer(
        custody,
        eligible=local(2026, 5, 31, 9),
        at=local(2026, 5, 31, 23),
        authority="court_order",
        authority_received_at=local(2026, 5, 31, 8),
    )
    report = sign(chief)
    assert report.snapshot["figures"]["individuals_transferred"] == 1
    values = {name: getattr(custody, name) for name in CUSTODY_FIELDS}
    police.custody_import_update(
        custody=Custody.objects.get(pk=custody.pk),
        values={**values, "transferred_to_ice_at": local(2026, 6, 1, 1), "authority_received_at": None},
        by=clerk,
        now=NOW,
    )
    found = check(report)
    assert found["figures"]["individuals_transferred"] == {"signed": 1, "now": 0}
    assert ("custody", custody.pk, "changed") in changes(found)
    assert not found["rule_changed"]


def test_a_release_time_corrected_to_the_moment_of_eligibility_undoes_a_detention(chief, held, clerk):
    report = sign(chief)
    custody = Custody.objects.get(pk=held.custody_id)
    values = {name: getattr(custody, name) for name in CUSTODY_FIELDS}
    police.custody_import_update(
        custody=custody,
        values={**values, "released_at": custody.eligible_for_release_at, "authority_received_at": None},
        by=clerk,
        now=NOW,
    )
    found = check(report)
    assert found["figures"] == {"individuals_detained": {"signed": 1, "now": 0}}
    assert changes(found) == {("custody", custody.pk, "changed")} and not found["rule_changed"]


def test_merging_two_people_detained_in_the_period_drifts_4b(chief, held, records, clerk):
    again = records.custody(records.person("Rosa Exampel"), booked=local(2026, 4, 2, 8))
    records.lodge(again, at=local(2026, 4, 2, 9), copy_served_at=local(2026, 4, 2, 10))
    records.release(again, eligible=local(2026, 4, 2, 12), at=local(2026, 4, 2, 15))
    report = sign(chief)
    assert report.snapshot["figures"]["individuals_detained"] == 2
    police.person_merge(keep=held.custody.person, duplicate=again.person, by=clerk)
    found = check(report)
    assert found["figures"] == {"individuals_detained": {"signed": 2, "now": 1}}
    assert ("person", again.person.pk, "changed") in changes(found)
    assert not found["rule_changed"]


def test_a_reason_edited_moves_the_document_between_two_reasons(chief, held, clerk):
    report = sign(chief)
    police.detainer_update(detainer=held, reasons=[("biometric_match", "")], by=clerk, now=NOW)
    found = check(report)
    assert found["figures"] == {
        "lodged.immigration_detainer.biometric_match": {"signed": None, "now": 1},
        "lodged.immigration_detainer.final_order": {"signed": 1, "now": None},
    }
    assert changes(found) == {("detainer", held.pk, "changed")}


def test_a_difference_no_record_explains_is_named_as_a_change_of_the_counting_rule(chief, held):
    report = sign(chief)
    # As if signed under the rule before judicial authority had its own time, which did not count Rosa.
    snapshot = report.snapshot
    snapshot["figures"]["individuals_detained"] = 0
    snapshot["records"]["individuals_detained"] = {"persons": [], "custody": []}
    snapshot["counting_rules"] = 0
    Report.objects.filter(pk=report.pk).update(snapshot=snapshot)
    report.refresh_from_db()
    found = check(report)
    assert found["figures"] == {"individuals_detained": {"signed": 0, "now": 1}}
    assert found["records"] == [] and found["rule_changed"] is True
    assert len(found["rule_changes"]) == 1 and "judicial warrant or court order" in found["rule_changes"][0]


def test_a_retention_purge_is_never_drift(chief, held, municipality):
    report = sign(chief)
    later = timezone.now() + timedelta(days=366 * (municipality.retention_years + 1))
    purged = personal_data_purge(by=scheduler_actor(), now=later, apply=True)
    assert purged.rows["detainers.Person"] == 1  # the purge did run over the period's records
    assert check(report)["changed"] is False


def test_the_chief_is_told_once_per_new_set_of_differences_and_the_notice_names_no_one(chief, held, records):
    report = sign(chief)
    custody = records.custody(records.person("Lena Example"), booked=local(2026, 3, 1, 8))
    records.lodge(custody, at=local(2026, 3, 1, 9), copy_served_at=local(2026, 3, 1, 10))
    check(report)
    check(report)
    told = Notification.objects.filter(event=Notification.Event.REPORT_DRIFTED, recipient=chief)
    assert told.count() == 1
    notice = told.get()
    assert "4(a) Immigration detainers: signed 1, now 2." in notice.body
    assert "Lena" not in notice.body + notice.subject and "Rosa" not in notice.body + notice.subject
    records.reimbursement("120.00", local(2026, 3, 2).date())
    check(report)
    assert told.count() == 2


# These two commit for real: inside a test's own transaction every save would join the one check it ends with.
@pytest.mark.django_db(transaction=True)
def test_a_save_in_a_signed_window_is_checked_when_its_transaction_commits(chief, held, records):
    report = sign(chief)
    records.reimbursement("75.00", local(2026, 12, 3).date())  # the running period: nothing signed
    report.refresh_from_db()
    assert report.drift_checked_at is None
    records.reimbursement("75.00", local(2026, 4, 3).date())
    report.refresh_from_db()
    assert report.drift["figures"]["reimbursements"] == {"signed": "0.00", "now": "75.00"}


@pytest.mark.django_db(transaction=True)
def test_an_import_of_many_rows_checks_each_signed_report_it_touched_once(chief, clerk, held):
    report = sign(chief)
    lodged = {"form": "I-247A", "received_via": "fax", "judicial_warrant": "no", "reasons": "final_order"}
    data = csv_of(
        *(
            row(
                custody_id=f"K{n}",
                detainer_id=f"D{n}",
                booked_at=f"2026-03-{n + 1:02d} 08:00",
                lodged_at=f"2026-03-{n + 1:02d} 09:00",
                **lodged,
            )
            for n in range(12)
        )
    )
    with CaptureQueriesContext(connection) as queries:
        assert imports.import_records(data=data, by=clerk, now=NOW).saved
    stored = [q for q in queries.captured_queries if q["sql"].startswith("UPDATE") and "drift" in q["sql"]]
    assert len(stored) == 1
    report.refresh_from_db()
    assert report.drift["figures"]["lodged.immigration_detainer"] == {"signed": 1, "now": 13}
    assert len(report.drift["records"]) == 12


def test_the_api_gives_the_stored_drift_without_who_changed_what(chief, held, records, client):
    report = sign(chief)
    web = sign_in_verified(client, chief)
    assert web.get(f"/api/v1/reports/{report.pk}/").json()["drift"] is None  # not checked yet
    custody = records.custody(records.person("Lena Example"), booked=local(2026, 3, 1, 8))
    added = records.lodge(custody, at=local(2026, 3, 1, 9), copy_served_at=local(2026, 3, 1, 10))
    check(report)
    drift = web.get(f"/api/v1/reports/{report.pk}/").json()["drift"]
    assert drift["changed"] is True and drift["rule_changed"] is False and drift["checked_at"]
    assert drift["figures"]["lodged.immigration_detainer"] == {"signed": 1, "now": 2}
    assert drift["records"] == [{"type": "detainer", "id": added.pk, "change": "added"}]


@pytest.fixture
def drifted(chief, held, records):
    """Period 3 signed, then a document lodged in it imported after signing: the report has drifted."""
    report = sign(chief)
    custody = records.custody(records.person("Lena Example"), booked=local(2026, 3, 1, 8))
    added = records.lodge(custody, at=local(2026, 3, 1, 9), copy_served_at=local(2026, 3, 1, 10))
    check(report)
    return report, added


def text_of(response) -> str:
    return " ".join(response.content.decode().split())


def test_the_period_page_warns_with_the_figures_signed_and_now_and_the_records_behind_them(drifted, chief, client):
    report, added = drifted
    page = text_of(sign_in_verified(client, chief).get(reverse("reports:report", args=[PERIOD])))
    assert "The records no longer match this signed report" in page
    assert '4(a) Immigration detainers</th><td class="app-number">1</td><td class="app-number">2</td>' in page
    assert f'href="{reverse("detainers:detainer-detail", args=[added.pk])}">Document {added.pk}</a>: added' in page
    assert reverse("reports:report-correct", args=[PERIOD]) in page
    assert "the records still match them" not in page


def test_the_chiefs_and_the_municipal_clerks_dashboards_and_the_version_page_show_the_drift(
    drifted, chief, make_staff, client
):
    report, added = drifted
    town_clerk = make_staff("townclerk", Role.MUNICIPAL_CLERK)
    for user, opens in [(chief, True), (town_clerk, False)]:
        web = sign_in_verified(type(client)(), user)
        home = text_of(web.get("/"))
        assert "The records no longer match the signed report for December 1, 2025 to May 31, 2026" in home
        assert "4(a) Immigration detainers" in home
        # The clerk reads that a document was added, but police records are not theirs to open.
        assert (reverse("detainers:detainer-detail", args=[added.pk]) in home) is opens
        assert f"Document {added.pk}" in home
        version = text_of(web.get(reverse("reports:report-version", args=[report.pk])))
        assert "The records no longer match this signed report" in version


def test_the_periods_list_marks_a_drifted_report_in_the_same_number_of_queries(drifted, chief, client):
    web = sign_in_verified(client, chief)
    page = text_of(web.get(reverse("reports:periods")))
    assert 'Records changed</span><span class="usa-sr-only"> since signing' in page
    with CaptureQueriesContext(connection) as one:
        web.get(reverse("reports:periods"))
    for number in (1, 2):  # two more signed periods, each drifted by a reimbursement received after signing
        other = services.report_freeze(period_number=number, by=chief)
        Report.objects.filter(pk=other.pk).update(drift={"changed": True}, drift_digest="x" * 64)
    with CaptureQueriesContext(connection) as three:
        assert text_of(web.get(reverse("reports:periods"))).count("Records changed") == 3
    assert len(three) == len(one)


def test_the_correction_page_shows_every_figure_it_would_freeze_beside_the_signed_ones(drifted, chief, client):
    report, added = drifted
    page = text_of(sign_in_verified(client, chief).get(reverse("reports:report-correct", args=[PERIOD])))
    assert "2 figures would change" in page
    changed_row = (
        '<tr class="app-changed"> <th scope="row">4(a) Immigration detainers</th> <td class="app-number">1</td> '
        '<td class="app-number"><strong>2</strong></td>'
    )
    assert changed_row in page
    assert '<th scope="row">4(b) People detained on an ICE hold</th> <td class="app-number">1</td> ' in page
    assert f"Document {added.pk}</a>: added" in page
    # The figures and the records come before the code is asked for.
    assert page.index("What the correction would freeze") < page.index("One-time code")
    assert page.index(f"Document {added.pk}") < page.index("One-time code")


def test_a_refused_correction_says_so_at_the_top_and_beside_the_field_and_signs_nothing(drifted, chief, client):
    web = sign_in_verified(client, chief)
    refused = web.post(reverse("reports:report-correct", args=[PERIOD]), {"code": "123456", "chief_comment": ""})
    page = text_of(refused)
    assert refused.status_code == 400 and Report.objects.count() == 1
    summary = page.index('id="error-summary" role="alert" tabindex="-1" autofocus')
    assert summary < page.index("<h1>")
    assert '<a href="#id_correction_reason">Why this correction: This field is required.</a>' in page
    assert page.count("This field is required.") == 2  # in the summary, and beside the field


def test_period_5_has_the_address_reports_periods_5(chief, client, municipality):
    page = text_of(sign_in_verified(client, chief).get(reverse("reports:periods")))
    assert '<a href="/reports/periods/5/">Period 5<span class="usa-sr-only">, June 1, 2026 to November 30, 2026' in page
    assert reverse("reports:report", args=[4]) == "/reports/periods/5/"
    assert client.get("/reports/periods/0/").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_voiding_a_custody_rechecks_the_window_its_document_was_lodged_in(chief, records, clerk):
    # Booked in November 2025, still held: only the document was lodged in the signed window.
    custody = records.custody(records.person("Long Stay"), booked=local(2025, 11, 20, 8))
    records.lodge(custody, at=local(2026, 3, 1, 9), copy_served_at=local(2026, 3, 1, 10))
    report = sign(chief)
    police.record_void(record=custody, by=chief, reason="Booked under the wrong record", now=NOW)
    report.refresh_from_db()
    assert report.drift["figures"]["lodged.immigration_detainer"] == {"signed": 1, "now": 0}
    assert ("custody", custody.pk, "voided") in changes(report.drift)


@pytest.mark.django_db(transaction=True)
def test_a_drift_check_that_fails_is_logged_and_never_fails_the_save_that_committed(
    chief, held, records, monkeypatch, caplog
):
    from welcoming import drift

    def broken(moments):
        raise RuntimeError("the check could not run")

    monkeypatch.setattr(drift, "_CHECKS", [broken, *drift._CHECKS])
    sign(chief)
    saved = records.reimbursement("40.00", local(2026, 4, 3).date())  # commits, then the checks run
    assert saved.pk and "A drift check after a save failed" in caplog.text
    report = Report.objects.get()
    assert report.drift["figures"]["reimbursements"] == {"signed": "0.00", "now": "40.00"}  # the next check ran


def test_the_municipal_clerk_reads_what_changed_but_not_who_changed_it(drifted, chief, make_staff, client):
    report, added = drifted
    clerk_name = added.created_by.get_username()
    town_clerk = make_staff("townclerk", Role.MUNICIPAL_CLERK)
    for user, names in [(chief, True), (town_clerk, False)]:
        page = text_of(sign_in_verified(type(client)(), user).get(reverse("reports:report-version", args=[report.pk])))
        assert f"Document {added.pk}" in page
        assert (f"by {clerk_name}" in page) is names, user


def test_a_reason_no_longer_on_the_form_is_still_named_and_ordered():
    from reports.drift import compared

    signed = {
        "lodged": {"immigration_detainer": {"total": 1, "by_reason": {"legacy_priority": 1}}},
        "individuals_detained": 0,
        "individuals_transferred": 0,
        "reimbursements": {"total": "0.00", "by_case": []},
    }
    live = {**signed, "lodged": {"immigration_detainer": {"total": 1, "by_reason": {"final_order": 1}}}}
    rows = compared(signed, live)
    assert [row["label"] for row in rows][:3] == [
        "4(a) Immigration detainers",
        "4(a) Immigration detainers, final order of removal",
        "4(a) Immigration detainers, legacy priority",
    ]
