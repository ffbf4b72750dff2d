"""The figures as the police side reads them: the page and its drill-down, the API, the JSON and CSV downloads,
the periods list, and clear refusals of a bad range."""

import csv
import io
import json
import re
from datetime import date

import pytest
from django.urls import reverse

from reports import selectors
from tests.bench.seed_bulk import seed_bulk
from tests.conftest import setup_actor, sign_in_verified
from tests.reports.conftest import local
from welcoming.municipality import municipality_configure, municipality_mark_demo
from welcoming.roles import Role

API = "/api/v1/reports/figures/"


@pytest.fixture
def web(client, clerk, municipality):
    return sign_in_verified(client, clerk)


@pytest.fixture
def scenario(records):
    """Period 4 (June–November 2026): an I-247A with its I-200, one person held past bail on it, a transfer on a
    court order, and two reimbursements, one tied to no case."""
    held = records.custody(records.person("Rosa Example", "HPD-2001"), booked=local(2026, 7, 1, 8))
    detainer = records.lodge(held, at=local(2026, 7, 1, 9), reasons=[("final_order", ""), ("biometric_match", "")])
    records.lodge(held, at=local(2026, 7, 1, 9), form="I-200", reasons=[("not_stated", "")], lodged_with=detainer)
    records.release(held, eligible=local(2026, 7, 1, 12), at=local(2026, 7, 1, 14))
    moved = records.custody(records.person("Luis Example", "HPD-2002"), booked=local(2026, 8, 3, 9))
    records.transfer(
        moved,
        eligible=local(2026, 8, 3, 12),
        at=local(2026, 8, 3, 16),
        authority="court_order",
        authority_received_at=local(2026, 8, 3, 11),
    )
    records.reimbursement("1000.00", date(2026, 7, 2), "PD-2026-0118")
    records.reimbursement("250.00", date(2026, 9, 2))


PERIOD_4 = {"start": "2026-06-01", "end": "2026-11-30"}


def test_the_api_returns_the_document_of_design_section_8(web, scenario):
    document = web.get(API, PERIOD_4).json()
    assert document == {
        "municipality": "City of Harborview",
        "period": {"start": "2026-06-01", "end": "2026-11-30"},
        "lodged": {
            "immigration_detainer": {"total": 1, "by_reason": {"final_order": 1, "biometric_match": 1}},
            "administrative_warrant": {"total": 1, "by_reason": {"not_stated": 1}},
            "notification_request": {"total": 0, "by_reason": {}},
        },
        "individuals_detained": 1,
        "individuals_transferred": 1,
        "reimbursements": {
            "total": "1250.00",
            "by_case": [{"case": "PD-2026-0118", "amount": "1000.00"}, {"case": None, "amount": "250.00"}],
        },
        "supplement": document["supplement"],
    }
    assert document["supplement"]["beyond_the_ordinance"] is True
    assert [s["key"] for s in document["supplement"]["sections"]] == [
        "information_requests",
        "access_requests",
        "assistance_requests",
        "u_visa_requests",
        "traffic_stops",
        "complaints",
        "findings_by_clause",
        "closures",
    ]


def test_with_no_dates_the_api_and_the_page_show_the_current_period(web, municipality):
    current = selectors.current_period(municipality, today=selectors.today_local(municipality))
    assert web.get(API).json()["period"] == {"start": current.start.isoformat(), "end": current.end.isoformat()}
    page = web.get(reverse("reports:figures")).content.decode()
    assert f"{current.start:%B} {current.start.day}, {current.start.year}" in page


@pytest.mark.parametrize(
    ("query", "field", "message", "status"),
    [
        ({"start": "2026-13-01", "end": "2026-11-30"}, "start", "Date has wrong format", 400),
        ({"start": "2026-11-30", "end": "2026-06-01"}, "end", "comes before the start", 422),
        ({"start": "2024-06-01", "end": "2034-06-01"}, "end", "at most 10 years", 422),
        ({"start": "2024-05-31", "end": "2024-11-30"}, "start", "begins on 2024-06-01", 422),
        ({"start": "2026-06-01"}, "end", "Give both dates", 422),
    ],
)
def test_a_bad_range_is_refused_with_a_message_naming_the_field(web, query, field, message, status):
    """The API answers 400 for a date the schema refuses, 422 for dates that make no window (the pages, 400)."""
    response = web.get(API, query)
    assert response.status_code == status
    assert message in " ".join(response.json()[field])
    page = web.get(reverse("reports:figures"), query)
    assert page.status_code == 400
    assert message.replace("Date has wrong format", "Enter a valid date") in page.content.decode()
    download = web.get(reverse("reports:figures-download", args=["csv"]), query)
    assert download.status_code == 400
    assert download.content.decode().startswith(f"{field}: ")


def test_ten_years_exactly_is_allowed(web):
    assert web.get(API, {"start": "2024-06-01", "end": "2034-05-31"}).status_code == 200


def test_the_first_tracked_period_is_the_earliest_start(web, municipality):
    municipality_configure(by=setup_actor(), first_tracked_period_start=date(2025, 6, 1))
    assert web.get(API, {"start": "2024-12-01", "end": "2025-05-31"}).status_code == 422
    assert web.get(API, {"start": "2025-06-01", "end": "2025-11-30"}).status_code == 200
    page = web.get(reverse("reports:periods")).content.decode()
    assert "June 1, 2025" in page and "December 1, 2024" not in page


def test_the_periods_page_lists_current_and_past_periods_with_due_dates(web, municipality):
    page = web.get(reverse("reports:periods")).content.decode()
    assert "Current period" in page
    # The first period: June 1 – November 30, 2024, its report due 30 days later.
    assert re.search(r"June 1, 2024</td>\s*<td[^>]*>November 30, 2024</td>\s*<td[^>]*>December 30, 2024", page)
    assert "?start=2024-06-01&amp;end=2024-11-30" in page


def test_each_number_on_the_page_opens_exactly_that_many_records(web, scenario):
    page = web.get(reverse("reports:figures"), PERIOD_4).content.decode()
    links = re.findall(r'<a href="(/reports/figures/records/\?[^"]+)">\$?([\d.,]+)</a>', page)
    # kinds, reasons, 4(b), 4(c), cases, total; then the charts' tables: the live row's three kinds, 4(b), 4(c), 4(d)
    assert len(links) == 3 + 1 + 1 + 2 + 1 + 2 + 1 + 6
    for url, number in links:
        records_page = web.get(url.replace("&amp;", "&"))
        assert records_page.status_code == 200, url
        body = records_page.content.decode()
        count = int(re.search(r'<strong class="app-count">(\d+)</strong>', body).group(1))
        rows = body.count('<th scope="row"')
        if "figure=reimbursements" in url:
            amounts = re.findall(r'data-label="Amount">\$([\d.,]+)<', body)
            assert f"{sum(float(a.replace(',', '')) for a in amounts):,.2f}" == number, url
            assert count == rows
        else:
            assert count == rows == int(number), url
    detained = web.get(reverse("reports:figure-records"), {**PERIOD_4, "figure": "detained"}).content.decode()
    assert "Rosa Example" in detained and "Luis Example" not in detained
    assert "2026-07-01 12:00" in detained  # when the detention on the hold began: at eligibility


def test_a_drilldown_link_naming_no_figure_says_what_is_wrong(web):
    response = web.get(reverse("reports:figure-records"), {**PERIOD_4, "figure": "lodged"})
    assert response.status_code == 400
    assert "Say which kind of document" in response.content.decode()


def test_the_json_download_is_the_api_document_and_the_csv_carries_the_same_numbers(web, scenario):
    document = web.get(API, PERIOD_4).json()
    download = web.get(reverse("reports:figures-download", args=["json"]), PERIOD_4)
    assert download["Content-Disposition"] == 'attachment; filename="figures-2026-06-01-to-2026-11-30.json"'
    assert json.loads(download.content) == document
    rows = list(
        csv.reader(io.StringIO(web.get(reverse("reports:figures-download", args=["csv"]), PERIOD_4).content.decode()))
    )
    assert rows[0] == ["part", "figure", "category", "item", "value"]
    values = {(figure, category, item): value for _, figure, category, item, value in rows[1:]}
    assert values[("4(a)", "immigration_detainer", "total")] == "1"
    assert values[("4(a)", "immigration_detainer", "biometric_match")] == "1"
    assert values[("4(a)", "administrative_warrant", "not_stated")] == "1"
    assert values[("4(a)", "notification_request", "total")] == "0"
    assert values[("4(b)", "individuals_detained", "total")] == "1"
    assert values[("4(c)", "individuals_transferred", "total")] == "1"
    assert values[("4(d)", "reimbursements", "total")] == "1250.00"
    assert values[("4(d)", "reimbursements_by_case", "PD-2026-0118")] == "1000.00"
    assert values[("4(d)", "reimbursements_by_case", "")] == "250.00"  # tied to no case
    supplement = [row for row in rows if row[0] == "supplement"]
    assert {row[1] for row in supplement} == {"beyond the ordinance"}
    assert len(supplement) == sum(len(s["lines"]) for s in document["supplement"]["sections"])


def test_the_schema_documents_the_figures_endpoint(web):
    schema = web.get(reverse("api:schema"), {"format": "json"}).json()
    operation = schema["paths"][API]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"start", "end"}
    body = json.dumps(schema["components"]["schemas"])
    for key in ["individuals_detained", "individuals_transferred", "by_reason", "by_case", "beyond_the_ordinance"]:
        assert key in body


def test_the_dashboard_shows_the_period_and_when_its_report_is_due(web, municipality):
    current = selectors.current_period(municipality, today=selectors.today_local(municipality))
    page = web.get(reverse("welcoming:home")).content.decode()
    assert "This reporting period" in page
    assert f"{current.due_on:%B} {current.due_on.day}, {current.due_on.year}" in page


# --- Query counts: the same at two sizes -------------------------------------------------------------------


# Each count is exact: sign-in and permissions (5), the profile (2), then the figures' own aggregates — 4(a) 2,
# 4(b) 1, 4(c) 1, 4(d) 1, the supplement 19 (U visa requests 3, stops 2, complaints 3, voids 1 per voidable kind) — or a
# drill-down's count and page; the API adds its rate limit.
def _grow(settings, factor):
    settings.DEBUG = True
    municipality_mark_demo()  # invented records go only into the demo's database
    seed_bulk(factor=factor, years=2)


RANGE = {"start": "2024-06-01", "end": "2026-11-30"}
RECORDS = "/reports/figures/records/"


@pytest.mark.parametrize(
    ("name", "url", "query", "queries"),
    [
        ("api", API, RANGE, 39),
        ("page", "/reports/figures/", RANGE, 35),
        ("csv", "/reports/figures.csv", RANGE, 33),
        ("lodged", RECORDS, {**RANGE, "figure": "lodged", "kind": "immigration_detainer"}, 15),
        ("detained", RECORDS, {**RANGE, "figure": "detained"}, 15),
        ("transferred", RECORDS, {**RANGE, "figure": "transferred"}, 15),
        ("reimbursements", RECORDS, {**RANGE, "figure": "reimbursements"}, 14),
        ("periods", "/reports/", {}, 9),
        ("report draft", "/reports/periods/3/", {}, 35),
    ],
)
def test_the_figures_take_the_same_number_of_queries_at_two_sizes(
    web, settings, name, url, query, queries, django_assert_num_queries
):
    web.get(reverse("welcoming:home"))
    counts = {}
    for factor in (1, 3):
        _grow(settings, factor)
        with django_assert_num_queries(queries):
            response = web.get(url, query)
        assert response.status_code == 200
        if url == RECORDS:  # the list has rows to show, and more of them the second time
            count = int(re.search(r'<strong class="app-count">(\d+)</strong>', response.content.decode()).group(1))
            assert count > counts.get(name, 0)
            counts[name] = count


def test_no_name_or_identifier_leaves_in_the_json_or_the_csv(web, scenario):
    from detainers.models import Custody, Person

    published = [
        web.get(API, PERIOD_4).content.decode(),
        web.get(reverse("reports:figures-download", args=["json"]), PERIOD_4).content.decode(),
        web.get(reverse("reports:figures-download", args=["csv"]), PERIOD_4).content.decode(),
    ]
    personal = [p.full_name for p in Person.objects.all()] + [p.department_id for p in Person.objects.all()]
    personal += [c.booking_number for c in Custody.objects.all()]
    personal = [value for value in personal if value]
    assert len(personal) == 4
    assert not [value for value in personal for text in published if value in text]


def test_the_figures_page_draws_the_period_beside_the_last_signed_one_with_each_live_number_linked(
    web, scenario, records, make_staff
):
    from reports import services

    records.custody(records.person("Ana Earlier"), booked=local(2026, 3, 1, 8))
    earlier = records.custody(records.person("Bo Earlier"), booked=local(2026, 3, 2, 8))
    records.lodge(earlier, at=local(2026, 3, 2, 9))
    services.report_freeze(period_number=3, by=make_staff("chief", Role.POLICE_CHIEF))
    page = " ".join(web.get(reverse("reports:figures"), PERIOD_4).content.decode().split())
    # The same server-side charts as the public page, one group per period: the signed one, then the live one.
    assert page.count('<svg xmlns="http://www.w3.org/2000/svg"') == 3
    assert 'aria-labelledby="live-lodged-title live-lodged-desc"' in page
    assert '<th scope="row">Dec 2025–May 2026 (signed)</th><td class="app-number">1</td>' in page
    live = re.search(
        r'<th scope="row">Jun 1, 2026–Nov 30, 2026 \(live\)</th><td class="app-number"><a href="([^"]+)">1</a>', page
    )
    assert live and "figure=lodged" in live.group(1) and "kind=immigration_detainer" in live.group(1)
    assert web.get(live.group(1).replace("&amp;", "&")).status_code == 200
