"""No 500 from any date or number a user can type: every list, filter and figures parameter of every page and API
operation is thrown extreme and malformed dates, numbers and text (hypothesis, a fixed seed, about 50 examples a
parameter, every parameter of a page in each example), as the role that uses the page. Any 5xx fails.

The parameters are the ones each page's own search and filter forms send (read from the page), its `page`, and
the ones the API's schema documents for each list."""

import io
import re
from datetime import date

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import sign_in_verified
from tests.welcoming.test_permissions import ACCESS, url_patterns
from welcoming.demo import DEMO_USERS

EXAMPLES = 50
# The extremes a fuzzer, a typo or a pasted value gives: the ends of the calendar, dates that do not exist, numbers
# too large for any column, a number with a fraction where a whole one goes, and text that is not a value at all.
EXTREMES = [
    "9999-12-31",
    "0001-01-01",
    "0000-00-00",
    "2026-02-30",
    "2026-13-01",
    "1969-12-31",
    "2100-01-01",
    "10000-01-01",
    "-1",
    "0",
    "0.5",
    "1e309",
    "NaN",
    "inf",
    "99999999999999999999999",
    "-99999999999999999999999",
    "",
    " ",
    "null",
    "true",
    "\x00",
    "２０２６-０１-０１",
]
VALUES = st.one_of(
    st.sampled_from(EXTREMES),
    st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)).map(date.isoformat),
    st.integers(min_value=-(10**25), max_value=10**25).map(str),
    st.floats().map(str),
    st.text(max_size=16),
)
ROLE_OF = {str(role): username for username, role, *_ in DEMO_USERS}


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True  # seed_demo refuses to run otherwise
    call_command("seed_demo", stdout=io.StringIO())
    settings.DEBUG = False


def parameters_of(html: str) -> set[str]:
    """The names a page's GET forms send (its search box and filters), and its pages."""
    names = {"page"}
    for form in re.findall(r"<form(?![^>]*method=\"post\")[^>]*>(.*?)</form>", html, flags=re.S | re.I):
        names |= set(re.findall(r"<(?:input|select|textarea)[^>]*\bname=\"([^\"]+)\"", form))
    return names - {"csrfmiddlewaretoken", "next", "language"}


def staff_pages():
    """(path, username): every page without a path parameter, opened as the first role that may."""
    for key, template in url_patterns():
        if "<" in template or "(?P" in template or key.startswith(("admin", "api:")) or key == "set_language":
            continue
        access = ACCESS[key]
        may = [role for role in ROLE_OF if access.get(role) in (200, 400)]
        if access.get("anonymous") == 200:
            yield "/" + template, None
        elif may:
            yield "/" + template, ROLE_OF[may[0]]


def api_lists():
    """(path, query parameter names) of every API operation that lists or computes from the query."""
    document = SchemaGenerator(patterns=None).get_schema(request=None, public=True)
    for path, operations in document["paths"].items():
        get = operations.get("get")
        if get and "{" not in path:
            names = {p["name"] for p in get.get("parameters", []) if p["in"] == "query"}
            if names:
                yield path, names


def sweep(client: Client, path: str, names: set[str], failures: list[str]) -> None:
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(query=st.fixed_dictionaries({name: VALUES for name in sorted(names)}))
    def send(query):
        cache.clear()  # the rate limits would otherwise answer later examples 429
        status = client.get(path, query).status_code
        if status >= 500:
            failures.append(f"{path}?{query}: {status}")

    send()


def test_no_page_or_endpoint_answers_a_typed_value_with_a_server_error(demo, django_user_model):
    clients = {None: Client(raise_request_exception=False)}
    for username, *_ in DEMO_USERS:
        user = django_user_model.objects.get(username=username)
        clients[username] = sign_in_verified(Client(raise_request_exception=False), user)
    failures, swept = [], 0
    for path, username in staff_pages():
        client = clients[username]
        page = client.get(path)
        # A file (the poster) has no forms; its address may still carry anything, as "page" sweeps.
        names = parameters_of(page.content.decode()) if page["Content-Type"].startswith("text/html") else {"page"}
        sweep(client, path, names, failures)
        swept += len(names)
    for path, names in api_lists():
        username = "coordinator" if "complaints" in path else "townclerk" if "/docket" in path else "chief"
        sweep(clients[username], path, names, failures)
        swept += len(names)
    assert swept > 60, f"only {swept} parameters found: the pages' forms were not read"
    assert not failures, "\n".join(sorted(set(failures))[:40])


def test_a_year_no_record_has_is_refused_with_a_400_naming_the_field(demo, django_user_model):
    chief = sign_in_verified(Client(), django_user_model.objects.get(username="chief"))
    far = {"start": "9999-12-31", "end": "9999-12-31"}
    page = chief.get("/reports/figures/", far)
    assert page.status_code == 400 and "Check the year" in page.content.decode()
    answer = chief.get("/api/v1/reports/figures/", far)
    assert answer.status_code == 400 and set(answer.json()) == {"start", "end"}
    assert "Check the year" in answer.json()["start"][0]
    # A list's filter: the page says so beside the field, and still lists everything below it.
    listing = chief.get("/police/detainers/", {"lodged_from": "9999-12-31"})
    assert listing.status_code == 400 and listing.context["filters"].errors["lodged_from"][0].startswith("Check the")
    assert listing.context["page"].paginator.count > 0
    api_list = chief.get("/api/v1/reimbursements/", {"received_after": "0001-01-01"})
    assert api_list.status_code == 400 and list(api_list.json()) == ["received_after"]


def test_a_nul_character_in_the_address_is_a_bad_request_said_in_json_under_the_api(demo, django_user_model):
    clerk = sign_in_verified(Client(), django_user_model.objects.get(username="clerk"))
    page = clerk.get("/police/people/", {"q": "Ana\x00"})
    assert page.status_code == 400 and "NUL character" in page.content.decode()
    public = Client(HTTP_ACCEPT_LANGUAGE="es").get("/complaints/status/", {"code": "\x00"})
    assert public.status_code == 400 and "carácter NUL" in public.content.decode()
    answer = clerk.get("/api/v1/persons/", {"search": "\x00"})
    assert answer.status_code == 400 and "NUL character" in answer.json()["detail"]


FILTERS = [
    ("/api/v1/custody-records/", {"person": "999999"}, 200),  # no such person: nothing listed
    ("/api/v1/detainers/", {"custody": "0.5"}, 400),
    ("/api/v1/detainers/", {"custody": "99999999999999999999"}, 400),  # beyond any id the database holds
    ("/api/v1/findings/", {"record_id": "0.5"}, 400),
    ("/api/v1/u-visa-requests/", {"expedited": "null"}, 400),
    ("/api/v1/u-visa-requests/", {"expedited": ""}, 400),
    ("/api/v1/u-visa-requests/", {"expedited": "false"}, 200),
    ("/api/v1/custody-records/", {"in_custody": "true"}, 200),
    # Given empty, a date, a time, an id or a choice is none of them; an empty text is still a text.
    ("/api/v1/reimbursements/", {"received_before": ""}, 400),
    ("/api/v1/custody-records/", {"booked_before": ""}, 400),
    ("/api/v1/detainers/", {"lodging": ""}, 400),
    ("/api/v1/detainers/", {"kind": ""}, 400),
    ("/api/v1/reports/figures/", {"start": ""}, 400),
    ("/api/v1/persons/", {"search": ""}, 200),
]


def test_the_api_filters_take_what_the_schema_says_and_refuse_the_rest(demo, django_user_model):
    """Ids as whole numbers (one no record has lists nothing), true or false exactly: what the schema documents
    is what the API does."""
    chief = sign_in_verified(Client(), django_user_model.objects.get(username="chief"))
    for path, query, status in FILTERS:
        answer = chief.get(path, query)
        assert answer.status_code == status, (path, query, answer.content[:300])
        if status == 400:
            assert list(answer.json()) == list(query)  # the refusal names the parameter
        elif "person" in query:
            assert answer.json()["count"] == 0
