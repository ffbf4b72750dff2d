"""The API under attack: schemathesis generates requests from the OpenAPI schema for every operation, valid ones and
broken ones, and sends them through the whole Django stack, signed in as a role that may use the operation and
naming a real record, and again signed out. Every check schemathesis has runs, as in `schemathesis run --checks
all` with the project's schemathesis.toml: no server error; every answer, content type and body one the schema
documents; a request valid by the schema accepted (or refused by a rule, 422); one that breaks it refused;
no operation open without its authentication.

Bounded and repeatable: a fixed number of examples per operation, derandomized, no example database. `make fuzz`
runs the same checks over a live server as every role, with more examples."""

import io
import sys
from collections import Counter, defaultdict
from datetime import timedelta
from pathlib import Path

import pytest
import schemathesis
from django.core import signals
from django.core.cache import cache
from django.core.management import call_command
from django.db import close_old_connections
from django.test import Client
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import ignored_auth

from certifications.models import UVisaRequest
from complaints.models import Complaint
from config.wsgi import application
from detainers.models import (
    AccessRequest,
    AssistanceRequest,
    Custody,
    Detainer,
    InformationRequest,
    Person,
    Reimbursement,
)
from reports.models import DocketItem, Meeting, Report
from tests.conftest import sign_in_verified
from traffic.models import UnlicensedDriverStop
from welcoming.accounts import api_token_issue
from welcoming.models import ApiToken, Finding

POSITIVE_EXAMPLES = 16
NEGATIVE_EXAMPLES = 9
SIGNED_OUT_EXAMPLES = 3
CONFIG = Path(__file__).resolve().parents[2] / "schemathesis.toml"
# An operation whose every answer was one of these proved nothing about what it does with its input.
REFUSALS = {401, 403, 404}

# A token is issued only from a session verified with a one-time code (never by another token).
SESSION_ONLY = {"POST /api/v1/tokens/"}
CSRF_SECRET = "k" * 32
COORDINATOR_STEPS = {"classify", "route", "refer", "answer"}
CLERK_OF_THE_COUNCIL = ("/api/v1/docket/", "/api/v1/meetings/")
REPORT_STEPS = {"forward", "receive", "docket"}


def user_for(method: str, path: str) -> str | None:
    """The demo user whose role the permission table gives this operation (None: the public, signed out)."""
    step = path.rstrip("/").rsplit("/", 1)[-1]
    if path.startswith("/api/v1/public-complaints/"):
        return None
    if path.startswith("/api/v1/complaints/"):
        return "coordinator" if method == "GET" or step in COORDINATOR_STEPS or path.endswith("complaints/") else "ia"
    if path.startswith("/api/v1/findings/"):
        return "ia"
    if path.startswith("/api/v1/u-visa-requests/") and step == "decide":
        return "chief"
    if path.startswith(CLERK_OF_THE_COUNCIL) or (path.startswith("/api/v1/reports/") and step in REPORT_STEPS):
        return "townclerk"
    if path.startswith("/api/v1/reports/"):
        return "chief"
    return "clerk"


def record_for(path: str, username: str):
    """A real record for the operation's path parameter, one the user may see and act on."""
    collections = {
        "persons": Person,
        "custody-records": Custody,
        "detainers": Detainer,
        "information-requests": InformationRequest,
        "access-requests": AccessRequest,
        "assistance-requests": AssistanceRequest,
        "reimbursements": Reimbursement,
        "traffic-stops": UnlicensedDriverStop,
        "meetings": Meeting,
        "reports": Report,
        "findings": Finding,
    }
    collection = path.split("/")[3]
    if collection == "complaints":
        stage = Complaint.Stage.RECEIVED if username == "coordinator" else Complaint.Stage.INVESTIGATING
        return Complaint.objects.filter(stage=stage).order_by("pk").first()
    if collection == "u-visa-requests":
        return UVisaRequest.objects.filter(decision=UVisaRequest.Decision.PENDING).order_by("pk").first()
    if collection == "tokens":  # one of its own, not the one the test signs in with: it may be revoked
        return ApiToken.objects.filter(user__username=username).exclude(name="schemathesis").first()
    if collection == "docket":
        return DocketItem.objects.order_by("pk").first()
    return collections[collection].objects.order_by("pk").first()


def session_cookies(user_model, username) -> dict:
    client = sign_in_verified(Client(), user_model.objects.get(username=username))
    return {"sessionid": client.cookies["sessionid"].value, "csrftoken": CSRF_SECRET}


def fuzz(strategy, examples: int, cases: Counter, statuses: Counter, headers: dict, cookies: dict) -> None:
    # A session goes as a cookie, which the check `ignored_auth` cannot take away from a probe sent in-process;
    # that a token cannot issue a token is test_api_tokens' to show.
    excluded = [ignored_auth] if cookies else []

    @settings(
        max_examples=examples, deadline=None, database=None, derandomize=True, suppress_health_check=list(HealthCheck)
    )
    @given(case=strategy)
    def send(case):
        cache.clear()  # the public form's per-address limit would otherwise answer every later case 429
        cases["sent"] += 1
        # The credentials go with the call, not the case, so that schemathesis knows them for given rather than
        # generated, and tries the operation again without them and with wrong ones (the check `ignored_auth`).
        response = case.call(app=application, headers=headers, cookies=cookies)
        statuses[response.status_code] += 1
        case.validate_response(
            response,
            headers=headers,
            excluded_checks=excluded,
            transport_kwargs={"app": application, "cookies": cookies},
        )

    send()


@pytest.fixture
def same_connection():
    """Requests sent straight to the WSGI application would close the test's database connection at their start
    and end, as a server does between requests; Django's own test client keeps it, and so do these."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True  # seed_demo refuses to run otherwise
    call_command("seed_demo", stdout=io.StringIO())
    call_command("evaluate_findings", stdout=io.StringIO())
    settings.DEBUG = False


def test_every_operation_holds_against_generated_requests(demo, same_connection, django_user_model):
    keys = {}
    for user in django_user_model.objects.filter(is_active=True):
        _, keys[user.username] = api_token_issue(user=user, name="schemathesis", lifetime=timedelta(hours=1))
    api_token_issue(user=django_user_model.objects.get(username="clerk"), name="spare", lifetime=timedelta(1))
    document = SchemaGenerator(patterns=None).get_schema(request=None, public=True)
    schema = schemathesis.openapi.from_dict(document, config=SchemathesisConfig.from_path(CONFIG))
    schema.app = application

    operations = [result.ok() for result in schema.get_all_operations()]
    public = {
        f"{method.upper()} {path}"
        for path, methods in document["paths"].items()
        for method, operation in methods.items()
        if {} in operation.get("security", [])
    }
    # Steps that void or merge records go last, so that the others meet records still alive.
    operations.sort(key=lambda operation: operation.path.rstrip("/").endswith(("void", "merge")))
    cases, statuses = defaultdict(Counter), defaultdict(Counter)
    failures = []
    for operation in operations:
        username = user_for(operation.method.upper(), operation.path)
        headers, cookies = ({"Authorization": f"Bearer {keys[username]}"} if username else {}), {}
        if f"{operation.method.upper()} {operation.path}" in SESSION_ONLY:
            headers, cookies = {"X-CSRFToken": CSRF_SECRET}, session_cookies(django_user_model, username)
        path_parameters = {}
        if "{" in operation.path:
            record = record_for(operation.path, username)
            assert record is not None, f"the demo has no record for {operation.label}"
            name = "number" if "{number}" in operation.path else "id"
            path_parameters[name] = record.number if name == "number" else record.pk
        label = f"{operation.method.upper()} {operation.path}"

        runs = [
            (schemathesis.GenerationMode.POSITIVE, POSITIVE_EXAMPLES, headers, cookies, label),
            (schemathesis.GenerationMode.NEGATIVE, NEGATIVE_EXAMPLES, headers, cookies, label),
        ]
        if username is not None:  # and signed out: every operation but the public ones must refuse
            runs.append((schemathesis.GenerationMode.POSITIVE, SIGNED_OUT_EXAMPLES, {}, {}, f"{label} signed out"))
        for mode, examples, as_headers, as_cookies, run in runs:
            strategy = operation.as_strategy(mode, path_parameters=path_parameters)
            try:
                fuzz(strategy, examples, cases[run], statuses[run], as_headers, as_cookies)
            except Unsatisfiable:
                continue  # nothing to break in a request with no body and no free parameter
            except (Exception, BaseExceptionGroup) as error:  # every failing operation is reported, not the first only
                failures.append(f"{run} ({mode.value}): {error}")

    untested = [
        label for label, seen in statuses.items() if not label.endswith("signed out") and not set(seen) - REFUSALS
    ]
    open_signed_out = [
        label
        for label, seen in statuses.items()
        if label.endswith("signed out") and set(seen) - {401, 403, 429} and label.rsplit(" ", 2)[0] not in public
    ]
    sys.stdout.write(
        f"\nschemathesis: {sum(sum(c.values()) for c in cases.values())} cases over {len(operations)} operations; "
        f"answers {dict(sum(statuses.values(), Counter()))}\n"
    )
    assert not failures, "\n\n".join(failures)
    assert {label for label in cases if not label.endswith("signed out")} == {
        f"{operation.method.upper()} {operation.path}" for operation in operations
    }
    assert not open_signed_out, f"operations that answered someone signed out: {open_signed_out}"
    assert not untested, f"operations that only refused (401/403/404), proving nothing: {untested}"
