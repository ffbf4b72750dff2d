"""Deny by default, proven: every URL the project has, for every role, against the table of DESIGN.md section 1.

A URL pattern with no entry in ACCESS fails the test, so a new page cannot be added without deciding who may
open it. Where a page lists records, each identity seeds one record of its own and must see that one and no other.
Later issues add their rows here.
"""

import re
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from certifications import services as certification_services
from complaints import services as complaint_services
from detainers import services as detainer_services
from reports import services as report_services
from tests.conftest import A_PDF, sign_in_verified, sign_in_with_password
from traffic import services as traffic_services
from welcoming import audit
from welcoming.accounts import api_token_issue
from welcoming.attachments import attachment_add
from welcoming.findings import findings_reconcile
from welcoming.models import AuditEntry, LocalHoliday
from welcoming.roles import Role

ANONYMOUS = "anonymous"
NO_ROLE = "no role"  # signed in and verified, but given no role by the administrator
IDENTITIES = [ANONYMOUS, NO_ROLE, *Role]
STAFF = [NO_ROLE, *Role]
# A records clerk who gave the right password but not yet the one-time code: as good as anonymous, except on
# the code step's own pages.
PASSWORD_ONLY = "password only"
# An account made with Django's `createsuperuser` and given the Administrator role: the permission table decides
# for it too, so it must answer every URL exactly as a plain administrator does (no complaints, no person records).
SUPERUSER = "superuser administrator"
PASSWORD_ONLY_PAGES = {
    "welcoming:verify": 200,
    "welcoming:enrol": 302,
    "welcoming:enrol-qr": 404,
    "welcoming:logout": 405,
}


POLICE = (Role.RECORDS_CLERK, Role.INTERNAL_AFFAIRS, Role.POLICE_CHIEF)
# The kind of record each police collection's pages show (and log); the API lists the findings beside them.
POLICE_KINDS = {
    "person": "detainers.person",
    "custody": "detainers.custody",
    "detainer": "detainers.detainer",
    "information-request": "detainers.informationrequest",
    "access-request": "detainers.accessrequest",
    "assistance-request": "detainers.assistancerequest",
    "reimbursement": "detainers.reimbursement",
}
KIND = {**POLICE_KINDS, "finding": "welcoming.finding"}
COMPLAINT, U_VISA, STOP = "complaints.complaint", "certifications.uvisarequest", "traffic.unlicenseddriverstop"
COMPLAINTS = (Role.INTERNAL_AFFAIRS, Role.POLICE_CHIEF, Role.COMPLAINTS_COORDINATOR)


# Each entry also declares, under PEOPLE, whether its page shows person-level records: the kind (app_label.model)
# its audit entry names, or NOBODY. The declaration is a required argument, so no entry is without one.
PEOPLE, NOBODY = "people", None


def public(status=200, *, people):
    return {PEOPLE: people, **dict.fromkeys(IDENTITIES, status)}


def signed_in(status=200, *, people, api=False):
    """Any verified staff member, with or without a role; anonymous visitors are sent to sign in (API: 401)."""
    return {PEOPLE: people, ANONYMOUS: 401 if api else 302, **dict.fromkeys(STAFF, status)}


def only(*roles, people, status=200, denied=403, api=False):
    return {
        PEOPLE: people,
        ANONYMOUS: 401 if api else 302,
        **dict.fromkeys(STAFF, denied),
        **dict.fromkeys(roles, status),
    }


def admin_pages(
    app_label: str,
    model_name: str,
    *,
    changelist=200,
    add=403,
    change=200,
    history=200,
    delete=403,
    redirect=302,
):
    """The admin's pages for one registered model: the administrator only, and only what its role allows."""
    prefix, model = f"admin/{app_label}/{model_name}/", f"{app_label}_{model_name}"
    return {
        f"admin:{model}_changelist": only(Role.ADMINISTRATOR, status=changelist, people=NOBODY),
        f"admin:{model}_add": only(Role.ADMINISTRATOR, status=add, people=NOBODY),
        f"admin:{model}_change": only(Role.ADMINISTRATOR, status=change, people=NOBODY),
        f"admin:{model}_history": only(Role.ADMINISTRATOR, status=history, people=NOBODY),
        f"admin:{model}_delete": only(Role.ADMINISTRATOR, status=delete, people=NOBODY),
        f"{prefix}<path:object_id>/": only(Role.ADMINISTRATOR, status=redirect, people=NOBODY),
    }


ACCESS = {
    # Public
    "healthz": public(people=NOBODY),
    "welcoming:login": public(people=NOBODY),
    # Every signed-in staff member: their own home, account and API tokens
    "welcoming:home": signed_in(people=NOBODY),
    "welcoming:ordinance": signed_in(people=NOBODY),
    "welcoming:notifications": signed_in(people=NOBODY),
    "welcoming:notification-open": signed_in(405, people=NOBODY),  # POST only
    "welcoming:notifications-read-all": signed_in(405, people=NOBODY),
    "set_language": public(302, people=NOBODY),  # a GET changes nothing, it only sends you back
    # Findings: the police side reads them; internal affairs and the chief act on them
    "welcoming:findings": only(*POLICE, people=KIND["finding"]),
    "welcoming:finding-detail": only(*POLICE, people=KIND["finding"]),
    "welcoming:closures": only(Role.RECORDS_CLERK, Role.INTERNAL_AFFAIRS, Role.POLICE_CHIEF, people=NOBODY),
    "welcoming:finding-act": only(Role.INTERNAL_AFFAIRS, Role.POLICE_CHIEF, status=405, people=NOBODY),  # POST only
    "welcoming:verify": signed_in(302, people=NOBODY),  # already verified: on to the next page
    "welcoming:enrol": signed_in(302, people=NOBODY),  # already enrolled: nothing to set up
    "welcoming:enrol-qr": signed_in(404, people=NOBODY),
    "welcoming:logout": signed_in(405, people=NOBODY),  # POST only
    "welcoming:password-change": signed_in(people=NOBODY),
    "welcoming:password-change-done": signed_in(people=NOBODY),
    "welcoming:tokens": signed_in(people=NOBODY),
    "welcoming:token-revoke": signed_in(405, people=NOBODY),  # POST only
    "api:api-root": signed_in(api=True, people=NOBODY),
    "api:me": signed_in(api=True, people=NOBODY),
    "api:token-list": signed_in(api=True, people=NOBODY),
    "api:token-detail": signed_in(api=True, people=NOBODY),
    "api:schema": signed_in(api=True, people=NOBODY),
    "api:docs": signed_in(api=True, people=NOBODY),
    # The police department's records (detainers app): the police side reads; writes are checked per method
    **{
        f"api:{basename}-{view}": only(*POLICE, api=True, people=kind)
        for basename, kind in KIND.items()
        for view in ["list", "detail"]
    },
    **{
        f"api:{name}": only(*POLICE, status=405, api=True, people=NOBODY)  # POST only
        for name in [
            "person-void",
            "person-merge",
            "custody-void",
            "custody-eligible",
            "custody-release",
            "custody-transfer",
            "custody-judicial-authority",
            "detainer-void",
            "detainer-respond",
            "information-request-void",
            "access-request-void",
            "assistance-request-void",
            "reimbursement-void",
            "finding-act",
        ]
    },
    # The records clerk's screens: the police side reads; only the clerk records
    "detainers:board": only(*POLICE, people=KIND["custody"]),
    "detainers:search": only(*POLICE, people=KIND["person"]),  # walked with the person's name (WALK_QUERIES)
    **{
        f"detainers:{basename}-{view}": only(*POLICE, people=kind)
        for basename, kind in POLICE_KINDS.items()
        for view in ["list", "detail"]
    },
    "detainers:information-request-letter": only(*POLICE, people=KIND["information-request"]),
    "detainers:person-book": only(Role.RECORDS_CLERK, people=KIND["person"]),
    "detainers:person-merge": only(Role.RECORDS_CLERK, people=KIND["person"]),  # the comparison
    **{
        f"detainers:{name}": only(Role.RECORDS_CLERK, people=KIND["custody"])  # the form names the person held
        for name in ["detainer-new", "information-request-new", "access-request-new"]
    },
    **{
        f"detainers:{name}": only(Role.RECORDS_CLERK, people=NOBODY)
        for name in [
            "book",
            "assistance-new",
            "reimbursement-new",
        ]
    },
    **{
        f"detainers:{name}": only(Role.RECORDS_CLERK, status=405, people=NOBODY)
        for name in [  # POST only
            "custody-eligible",
            "custody-release",
            "custody-transfer",
            "custody-judicial-authority",
            "judicial-authority-confirm",
            "detainer-copy-served",
            "detainer-lift",
            "detainer-respond",
            "detainer-attach",
        ]
    },
    "detainers:void": only(*POLICE, status=405, people=NOBODY),  # POST only; the service decides whose void stands
    "detainers:import": only(Role.RECORDS_CLERK, people=NOBODY),
    "detainers:import-format": only(*POLICE, people=NOBODY),
    "detainers:import-sample": only(*POLICE, people=NOBODY),
    "welcoming:attachment": only(
        *POLICE, denied=404, people="welcoming.attachment"
    ),  # a file is as missing as one that never existed
    # The report's live figures: the police side (DESIGN.md section 1, "report drafts, figures")
    "reports:periods": only(*POLICE, people=NOBODY),
    "reports:figures": only(*POLICE, people=NOBODY),  # no dates: the current period
    "reports:figures-download": only(*POLICE, people=NOBODY),
    "reports:figure-records": only(*POLICE, status=400, people=KIND["detainer"]),  # names no figure
    "api:report-figures": only(*POLICE, api=True, people=NOBODY),
    "reports:report": only(*POLICE, people=NOBODY),  # a period's report: the draft, or the signed snapshot
    "reports:report-correct": only(
        Role.POLICE_CHIEF, people=NOBODY
    ),  # the walked period is signed: its correction page
    # Signed reports: the police side and the municipal clerk, who receives them; council staff once docketed
    # (the report walked here is not, so to them it is missing)
    **{
        f"reports:{name}": {**only(*POLICE, Role.MUNICIPAL_CLERK, people=NOBODY), Role.COUNCIL_STAFF: 404}
        for name in ["report-version", "report-pdf", "report-json"]
    },
    # The municipal clerk's steps after signing, meetings and the docket; council staff and the chief read them
    "reports:clerk": only(Role.MUNICIPAL_CLERK, people=NOBODY),
    "reports:report-docket": only(Role.MUNICIPAL_CLERK, people=NOBODY),
    "reports:meeting-new": only(Role.MUNICIPAL_CLERK, people=NOBODY),
    "reports:paper-report-new": only(Role.MUNICIPAL_CLERK, people=NOBODY),
    **{
        f"reports:{name}": only(Role.MUNICIPAL_CLERK, status=405, people=NOBODY)  # POST only
        for name in [
            "report-receive",
            "report-forward",
            "meeting-posted",
            "docket-place",
            "docket-action",
            "docket-withdraw",
        ]
    },
    **{
        f"reports:{name}": only(Role.POLICE_CHIEF, Role.MUNICIPAL_CLERK, Role.COUNCIL_STAFF, people=NOBODY)
        for name in ["meetings", "meeting", "docket", "docket-item", "docket-paper", "meeting-agenda", "meeting-notice"]
        + ["meeting-agenda-pdf", "meeting-notice-pdf"]
    },
    # The API of signed reports (council staff see only docketed ones: an empty list, and this one is missing),
    # meetings and the docket (anyone reads; the municipal clerk writes)
    "api:report-list": {**only(*POLICE, Role.MUNICIPAL_CLERK, Role.COUNCIL_STAFF, api=True, people=NOBODY)},
    "api:report-detail": {**only(*POLICE, Role.MUNICIPAL_CLERK, api=True, people=NOBODY), Role.COUNCIL_STAFF: 404},
    # POST only: a GET is refused as 405 to whoever may read reports; who may POST is tested in tests/reports
    **{
        f"api:report-{name}": only(
            *POLICE, Role.MUNICIPAL_CLERK, Role.COUNCIL_STAFF, status=405, api=True, people=NOBODY
        )
        for name in ["receive", "forward", "docket"]
    },
    **{
        f"api:{name}": public(people=NOBODY)
        for name in ["meeting-list", "meeting-detail", "docket-list", "docket-detail"]
    },
    **{f"api:docket-{name}": public(405, people=NOBODY) for name in ["place", "action", "withdraw"]},
    # Complaints (DESIGN.md sections 1 and 4): the coordinator, internal affairs and the chief; the walk's complaint
    # is about police officers and routed to internal affairs, so all three see it, and only the chief takes no step
    **{
        f"complaints:{name}": only(*COMPLAINTS, people=COMPLAINT)
        for name in ["queue", "detail", "letter", "letter-page"]
    },
    # The walk's letter is its acknowledgement: final at once, so nothing to write (back to it), and POST only to
    # make final
    "complaints:letter-write": only(Role.INTERNAL_AFFAIRS, Role.COMPLAINTS_COORDINATOR, status=302, people=NOBODY),
    "complaints:letter-final": only(*COMPLAINTS, status=405, people=NOBODY),
    "complaints:intake": only(Role.INTERNAL_AFFAIRS, Role.COMPLAINTS_COORDINATOR, people=NOBODY),
    "complaints:triage": only(
        Role.COMPLAINTS_COORDINATOR, status=302, people=NOBODY
    ),  # already routed: back to its page
    "complaints:classify": only(Role.COMPLAINTS_COORDINATOR, people=NOBODY),
    # Steps of another stage (the walk's complaint is with internal affairs): back to the complaint, form unseen
    **{
        f"complaints:{name}": only(Role.COMPLAINTS_COORDINATOR, status=302, people=NOBODY)
        for name in ["refer", "answer"]
    },
    **{
        f"complaints:{name}": only(Role.INTERNAL_AFFAIRS, Role.COMPLAINTS_COORDINATOR, people=NOBODY)
        for name in [
            "letter-send",
            "assign",
            "post-forward",
            "person-new",
            "allegation-new",
            "allegation-dispose",
            "close",
        ]
    },
    # Police records and findings are the police side's: the coordinator links neither
    **{f"complaints:{name}": only(Role.INTERNAL_AFFAIRS, people=NOBODY) for name in ["link-record", "link-finding"]},
    "complaints:attach": only(*COMPLAINTS, status=405, people=NOBODY),  # POST only
    "api:complaint-list": only(*COMPLAINTS, api=True, people=COMPLAINT),
    "api:complaint-detail": only(*COMPLAINTS, api=True, people=COMPLAINT),
    **{
        f"api:complaint-{name}": only(
            *COMPLAINTS, status=405, api=True, people=NOBODY
        )  # POST only; who may POST: tests/complaints
        for name in [
            "classify",
            "route",
            "refer",
            "answer",
            "acknowledge",
            "assign",
            "post-forward",
            "link",
            "people",
            "allegations",
            "dispose",
            "close",
        ]
    },
    # U visa certification requests (2(i)): the police side and the certifying officials read; the records clerk
    # logs; the chief and the certifying officials decide. The walk's request is pending, so it has no letter yet.
    **{
        f"certifications:{name}": only(*POLICE, Role.CERTIFYING_OFFICIAL, people=U_VISA)
        for name in ["list", "queue", "detail"]
    },
    "certifications:letter": only(*POLICE, Role.CERTIFYING_OFFICIAL, status=404, people=NOBODY),
    "certifications:new": only(Role.RECORDS_CLERK, people=KIND["person"]),  # the victim's choices name everyone
    "certifications:decide": only(Role.POLICE_CHIEF, Role.CERTIFYING_OFFICIAL, people=U_VISA),
    "api:u-visa-request-list": only(*POLICE, Role.CERTIFYING_OFFICIAL, api=True, people=U_VISA),
    "api:u-visa-request-detail": only(*POLICE, Role.CERTIFYING_OFFICIAL, api=True, people=U_VISA),
    # POST only: a GET is refused as 405 to whoever may read; who may POST is tested in tests/certifications
    "api:u-visa-request-decide": only(*POLICE, Role.CERTIFYING_OFFICIAL, status=405, api=True, people=NOBODY),
    # Unlicensed-driver stops (2(f)): the police side reads; the records clerk logs
    **{f"traffic:{name}": only(*POLICE, people=STOP) for name in ["list", "detail"]},
    "traffic:new": only(Role.RECORDS_CLERK, people=NOBODY),
    "api:traffic-stop-list": only(*POLICE, api=True, people=STOP),
    "api:traffic-stop-detail": only(*POLICE, api=True, people=STOP),
    # The public complaint pages and API: anyone, signed in or not
    "complaints:public-new": public(people=NOBODY),
    "complaints:public-done": public(people=NOBODY),  # nothing to show unless a complaint was just sent
    "complaints:public-status": public(people=NOBODY),
    "complaints:public-receipt": public(405, people=NOBODY),  # POST only, with the code and the PIN
    "complaints:public-poster": public(people=NOBODY),  # the lobby poster: nothing personal, anyone may print it
    "api:public-complaint-list": public(405, people=NOBODY),  # POST only
    # The public pages: anyone, signed in or not
    "public:docket": public(people=NOBODY),
    "public:docket-pdf": public(people=NOBODY),
    "public:figures": public(people=NOBODY),
    # The admin site: the administrator only (users and roles, tokens, lockouts)
    "admin:index": only(Role.ADMINISTRATOR, people=NOBODY),
    "admin:login": only(Role.ADMINISTRATOR, status=302, people=NOBODY),
    "admin:logout": only(Role.ADMINISTRATOR, status=405, people=NOBODY),
    "admin:password_change": only(Role.ADMINISTRATOR, people=NOBODY),
    "admin:password_change_done": only(Role.ADMINISTRATOR, people=NOBODY),
    "admin:autocomplete": only(Role.ADMINISTRATOR, status=403, people=NOBODY),  # refuses a request naming no field
    "admin:jsi18n": only(Role.ADMINISTRATOR, people=NOBODY),
    "admin:view_on_site": only(Role.ADMINISTRATOR, status=404, people=NOBODY),  # users have no public page
    "admin:app_list": only(Role.ADMINISTRATOR, people=NOBODY),
    "admin/(?P<url>.*)$": only(Role.ADMINISTRATOR, status=404, people=NOBODY),
    "admin:auth_user_password_change": only(Role.ADMINISTRATOR, people=NOBODY),
    **admin_pages("auth", "user", add=200),
    **admin_pages("auth", "group", change=200),  # read-only view of a role's permissions
    **admin_pages("welcoming", "apitoken"),
    **admin_pages("welcoming", "municipality"),  # one profile: no second one, never deleted
    **admin_pages("welcoming", "auditentry"),  # read-only
    "admin:welcoming_auditentry_export": only(Role.ADMINISTRATOR, people=NOBODY),
    **admin_pages("axes", "accessattempt", delete=200),
    **admin_pages("axes", "accesslog"),
    **admin_pages("axes", "accessfailurelog"),
}

# Redirects that are not a demand to sign in.
SELF_REDIRECTS = {"set_language", "welcoming:enrol"}
# Pages that list records: the marker each identity's own record carries.
LISTS_OWN_TOKENS = {"welcoming:tokens", "api:token-list"}
# Pages that show the walk's complaint to whoever may read it (the queues are walked in tests/complaints).
SHOWS_COMPLAINT = {"complaints:detail", "api:complaint-list", "api:complaint-detail"}
# Pages that show the seeded finding to whoever may read findings.
SHOWS_FINDING = {"welcoming:findings", "welcoming:finding-detail", "api:finding-list", "api:finding-detail"}


def url_patterns(patterns=None, prefix="", namespace=""):
    """(key, path template) for every URL pattern, named or not."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            yield from url_patterns(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        else:
            assert isinstance(pattern, URLPattern)
            template = prefix + str(pattern.pattern)
            yield (namespace + pattern.name if pattern.name else template), template


def concrete_path(template: str, values: dict) -> str:
    """Fill a pattern's parameters (path converters or regex groups) with sample values."""
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: str(values[m.group(1)]), template)
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), path)
    return "/" + path.replace("^", "").replace("$", "").replace("\\", "")


@pytest.fixture
def identities(make_staff):
    """One client per identity, each with one API token of its own named after it."""
    clients, tokens = {}, {}
    clients[PASSWORD_ONLY] = Client()
    sign_in_with_password(clients[PASSWORD_ONLY], make_staff("half-signed-in", Role.RECORDS_CLERK))
    for identity in IDENTITIES:
        client = Client()
        if identity != ANONYMOUS:
            roles = [] if identity == NO_ROLE else [identity]
            user = make_staff(f"user-{str(identity).replace(' ', '-')}", *roles)
            sign_in_verified(client, user)
            tokens[identity], _ = api_token_issue(user=user, name=f"token-of-{identity}", lifetime=timedelta(days=1))
        clients[identity] = client
    superuser = make_staff("user-superuser", Role.ADMINISTRATOR)
    superuser.is_superuser = superuser.is_staff = True
    superuser.save()
    clients[SUPERUSER] = sign_in_verified(Client(), superuser)
    tokens[SUPERUSER], _ = api_token_issue(user=superuser, name=f"token-of-{SUPERUSER}", lifetime=timedelta(days=1))
    return clients, tokens


def expected_status(key: str, identity) -> int:
    if identity == PASSWORD_ONLY:
        return PASSWORD_ONLY_PAGES.get(key, ACCESS[key][ANONYMOUS])
    if identity == SUPERUSER:
        return ACCESS[key][Role.ADMINISTRATOR]
    return ACCESS[key][identity]


def test_every_url_has_an_entry_in_the_access_table():
    missing = [key for key, _ in url_patterns() if key not in ACCESS]
    assert not missing, f"URL patterns with no access entry (decide who may open them): {missing}"
    stale = set(ACCESS) - {key for key, _ in url_patterns()}
    assert not stale, f"Access entries for URLs that no longer exist: {stale}"


def sample_object_ids(admin_user, admin_token):
    """An existing record for every admin change page, so each answers as it would for real."""
    sign_in_with_password(Client(), admin_user, password="a wrong guess")  # leaves an attempt and a failure log
    sign_in_with_password(Client(), admin_user)  # and an access log
    return {
        "admin/auth/user/": admin_user.pk,
        "admin/auth/group/": Group.objects.get(name=Role.ADMINISTRATOR.label).pk,
        "admin/welcoming/apitoken/": admin_token.pk,
        "admin/axes/accessattempt/": AccessAttempt.objects.get().pk,
        "admin/axes/accesslog/": AccessLog.objects.first().pk,
        "admin/axes/accessfailurelog/": AccessFailureLog.objects.get().pk,
        "admin/welcoming/municipality/": 1,
        "admin/welcoming/auditentry/": AuditEntry.objects.first().pk,
    }


@pytest.mark.django_db
def markers(marker) -> tuple:
    return marker if isinstance(marker, tuple) else (marker,)


def police_records(clerk):
    """One record of each police collection, each with a marker the lists must show to the police side."""
    now = timezone.now()
    person = detainer_services.person_create(full_name="Walk Person", department_id="WALK-1", by=clerk)
    custody = detainer_services.custody_create(
        person=person, booked_at=now - timedelta(days=1), basis="sentence", booking_number="WALK-BOOKING", by=clerk
    )
    return {
        "person": (person, "Walk Person"),
        "custody": (custody, "WALK-BOOKING"),
        "detainer": (
            detainer_services.detainer_create(
                judicial_warrant=False,
                custody=custody,
                form="I-247A",
                lodged_at=now - timedelta(hours=2),
                received_via="fax",
                reasons=[("final_order", "")],
                federal_reference="WALK-REF",
                copy_served_at=now - timedelta(hours=1),
                by=clerk,
            ),
            ("WALK-REF", "Walk Person"),
        ),
        "information-request": (
            detainer_services.information_request_create(
                custody=custody,
                agency="Walk Agency",
                received_at=now - timedelta(hours=1),
                received_via="phone",
                items=[{"item": "pending_release", "disclosed": False}],
                by=clerk,
            ),
            "Walk Agency",
        ),
        "access-request": (
            detainer_services.access_request_create(
                custody=custody,
                agency="Walk Access",
                requested_at=now - timedelta(hours=1),
                mode="video",
                judicial_warrant_or_court_order=False,
                granted=False,
                by=clerk,
            ),
            "Walk Access",
        ),
        "assistance-request": (
            detainer_services.assistance_request_create(
                deputized_functions=False,
                agency="Walk Assist",
                requested_at=now - timedelta(hours=1),
                operation="Walk operation",
                supports=[{"kind": "traffic_control", "provided": True}],
                by=clerk,
            ),
            "Walk Assist",
        ),
        "u-visa-request": (
            certification_services.u_visa_request_create(
                expedited=False,
                received_on=timezone.localdate(now),
                requester_kind="attorney",
                requester_name="Walk Requester",
                victim=person,
                qualifying_crime="stalking",
                helpfulness="has_been",
                by=clerk,
            ),
            "Walk Requester",
        ),
        "traffic-stop": (
            traffic_services.stop_create(
                vehicle_impounded=False,
                licensed_driver_arrived=False,
                licensed_driver_offered=False,
                other_arrestable_violation=False,
                stopped_at=now - timedelta(hours=3),
                place="Walk Street",
                officer_name="Walk Officer",
                action="summons",
                by=clerk,
            ),
            "Walk Street",
        ),
        "reimbursement": (
            detainer_services.reimbursement_create(
                amount=Decimal("12.34"), received_on=timezone.localdate(now), program="scaap", by=clerk
            ),
            "12.34",
        ),
    }


def walk_complaint(coordinator):
    """A complaint about police officers alleging bias, routed to internal affairs, with one allegation: its
    acknowledgement letter not yet sent nor the complaint forwarded to POST, so those steps' pages open."""
    complaint, _ = complaint_services.complaint_create(
        received_at=timezone.now() - timedelta(hours=2),
        channel="phone",
        complainant_contact="(617) 555-0100",
        narrative="Walk narrative",
        department="police",
        about="officers",
        alleges_bias=True,
        by=coordinator,
    )
    complaint = complaint_services.complaint_route(complaint=complaint, by=coordinator)
    allegation = complaint_services.allegation_add(complaint=complaint, by=coordinator, clause="2(b)", summary="Walk")
    return complaint, allegation


def header_problems(response, identity) -> list[str]:
    """The security headers every answer carries, whatever the page, the identity or the status."""
    csp = response.get("Content-Security-Policy", "")
    problems = [
        f"{header} is {response.get(header)!r}, expected {value!r}"
        for header, value in [
            ("X-Frame-Options", "DENY"),
            ("X-Content-Type-Options", "nosniff"),
            ("Referrer-Policy", "same-origin"),
            ("Cross-Origin-Opener-Policy", "same-origin"),
        ]
        if response.get(header) != value
    ]
    if "camera=()" not in response.get("Permissions-Policy", ""):
        problems.append("no Permissions-Policy")
    if "default-src 'self'" not in csp or "frame-ancestors 'none'" not in csp or "unsafe-inline" in csp:
        problems.append(f"Content-Security-Policy is {csp!r}")
    signed_in = identity not in (ANONYMOUS, PASSWORD_ONLY)
    if signed_in and response.status_code == 200 and "no-store" not in response.get("Cache-Control", ""):
        problems.append(f"a signed-in answer may be cached (Cache-Control {response.get('Cache-Control')!r})")
    return problems


@dataclass
class Walk:
    """One record of every kind the URLs name, made through the services, for walks over every URL."""

    finding: object
    records: dict
    attachment: object
    signed_report: object
    meeting: object
    paper: object
    complaint: object
    allegation: object
    admin_user: object
    object_ids: dict


def walk_records(users: dict, municipality, admin_token) -> Walk:
    """`users`: one staff user per role. The admin token is an object the admin site's token pages open."""
    finding = findings_reconcile(
        record=LocalHoliday.objects.create(municipality=municipality, name="breach day", month=1, day=2),
        now=timezone.now(),
    ).opened[0]
    clerk, town_clerk = users[Role.RECORDS_CLERK], users[Role.MUNICIPAL_CLERK]
    records = police_records(clerk)
    complaint, allegation = walk_complaint(users[Role.COMPLAINTS_COORDINATOR])
    return Walk(
        finding=finding,
        records=records,
        attachment=attachment_add(
            record=records["detainer"][0], by=clerk, upload=SimpleUploadedFile("scan.pdf", A_PDF)
        ),
        signed_report=report_services.report_freeze(period_number=0, by=users[Role.POLICE_CHIEF]),
        meeting=report_services.meeting_create(
            body="Walk Committee", starts_at=timezone.now() + timedelta(days=9), place="Walk Hall", by=town_clerk
        ),
        paper=report_services.paper_report_docket(
            number="WALK-1", title="Walk report", upload=SimpleUploadedFile("walk.pdf", A_PDF), by=town_clerk
        ),
        complaint=complaint,
        allegation=allegation,
        admin_user=users[Role.ADMINISTRATOR],
        object_ids=sample_object_ids(users[Role.ADMINISTRATOR], admin_token),
    )


def walk_path(key: str, template: str, walk: Walk, own_token=None) -> str:
    """The URL pattern filled in with the walk's record of the kind it names."""
    records = walk.records
    basename = key.split(":")[-1].rsplit("-", 1)[0]
    if "complaint" in key:
        pk = walk.complaint.pk
    elif key.startswith(("certifications:", "api:u-visa-request")):
        pk = records["u-visa-request"][0].pk
    elif key.startswith(("traffic:", "api:traffic-stop")):
        pk = records["traffic-stop"][0].pk
    elif "finding" in key:
        pk = walk.finding.pk
    elif key == "welcoming:attachment":
        pk = walk.attachment.pk
    elif key.startswith("reports:report-") or key.startswith("api:report-"):
        pk = walk.signed_report.pk
    elif key.startswith("reports:meeting") or key.startswith("api:meeting"):
        pk = walk.meeting.pk
    elif key == "detainers:void":
        pk = records["custody"][0].pk
    elif basename in records:
        pk = records[basename][0].pk
    else:
        pk = own_token.pk if own_token else 1
    values = {
        "pk": pk,
        "custody_pk": records["custody"][0].pk,
        "kind": "acknowledgement" if key.startswith("complaints:") else "custody",
        "allegation_pk": walk.allegation.pk,
        "object_id": next((pk for prefix, pk in walk.object_ids.items() if template.startswith(prefix)), None),
        "id": walk.admin_user.pk,
        "content_type_id": ContentType.objects.get_for_model(walk.admin_user).pk,
        "app_label": "auth",
        "url": "no-such-page/",
        "fmt": "csv",
        "number": walk.paper.number if "docket" in key else 1,  # period 1 in the address: the first, signed
        "pk_docket": walk.paper.number,
    }
    return concrete_path(template, values)


@pytest.mark.django_db
def test_every_url_answers_each_identity_as_the_table_says(identities, municipality, toy_rule):
    clients, tokens = identities
    walk = walk_records({role: tokens[role].user for role in Role}, municipality, tokens[Role.ADMINISTRATOR])
    records, complaint, finding = walk.records, walk.complaint, walk.finding
    wrong = []
    for key, template in url_patterns():
        for identity in [*IDENTITIES, PASSWORD_ONLY, SUPERUSER]:
            basename = key.split(":")[-1].rsplit("-", 1)[0]
            response = clients[identity].get(walk_path(key, template, walk, tokens.get(identity)))
            wrong.extend(f"{key} as {identity}: {problem}" for problem in header_problems(response, identity))
            expected = expected_status(key, identity)
            if response.status_code != expected:
                wrong.append(f"{key} as {identity}: {response.status_code}, expected {expected}")
            elif expected == 302 and identity in (ANONYMOUS, PASSWORD_ONLY) and key not in SELF_REDIRECTS:
                step = "/accounts/sign-in/" if identity == ANONYMOUS else "/accounts/verify/"
                if not response["Location"].startswith(step):
                    wrong.append(f"{key} as {identity}: sent to {response['Location']}, expected {step}")
            elif expected == 200 and key in LISTS_OWN_TOKENS:
                body = response.content.decode()
                others = [f"token-of-{other}" for other in STAFF if other != identity]
                if f"token-of-{identity}" not in body or any(name in body for name in others):
                    wrong.append(f"{key} as {identity}: lists tokens that are not its own, or misses its own")
            elif (
                expected == 200 and key in SHOWS_COMPLAINT and complaint.tracking_code not in response.content.decode()
            ):
                wrong.append(f"{key} as {identity}: does not show the complaint")
            elif expected == 200 and key in SHOWS_FINDING and finding.message not in response.content.decode():
                wrong.append(f"{key} as {identity}: does not show the finding")
            elif (
                expected == 200
                and basename in records
                and key.endswith(("-list", "-detail"))
                and response["Content-Type"].startswith(("text/html", "application/json"))
                and not any(marker in response.content.decode() for marker in markers(records[basename][1]))
            ):
                wrong.append(f"{key} as {identity}: does not show the {basename} it may see")
    assert not wrong, "\n".join(wrong)


@pytest.mark.django_db
def test_an_api_token_opens_the_api_as_its_owners_session_would_and_no_page(identities, municipality):
    _, tokens = identities
    wrong = []
    for identity in [*STAFF, SUPERUSER]:
        _, key = api_token_issue(user=tokens[identity].user, name="walk", lifetime=timedelta(days=1))
        bearer = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
        for url_key, template in url_patterns():
            if "<" in template or "(?P" in template:
                continue  # pages about one record are covered by the session walk
            expected = expected_status(url_key, identity) if url_key.startswith("api:") else ACCESS[url_key][ANONYMOUS]
            status = bearer.get(concrete_path(template, {})).status_code
            if status != expected:
                wrong.append(f"{url_key} with {identity}'s token: {status}, expected {expected}")
    assert not wrong, "\n".join(wrong)


# Words only the walk's person-level records carry: an answer that holds one shows people.
PERSON_MARKERS = ("Walk Person", "Walk narrative", "Walk Requester", "Walk Officer", "WALK-BOOKING")
# Pages that show people only when asked: what the walk asks them.
WALK_QUERIES = {
    "detainers:search": "?q=Walk+Person",
    "complaints:queue": "?queue=open",  # the coordinator's opens on triage, and the walk's complaint is routed
    "reports:figure-records": "?figure=lodged&kind=immigration_detainer",  # this period's holds
}


def body_of(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8", errors="ignore")


@pytest.mark.django_db
def test_every_look_at_people_is_in_the_audit_log(identities, municipality, toy_rule, monkeypatch):
    """Each page and API operation that shows person-level records writes an audit entry of the kind it declares,
    for every role that may open it; one that shows the walk's people without declaring so fails too. (Reloads
    within audit.SAME_LOOK write nothing new, tested apart: here every look must write.)"""
    monkeypatch.setattr(audit, "SAME_LOOK", timedelta(0))
    clients, tokens = identities
    walk = walk_records({role: tokens[role].user for role in Role}, municipality, tokens[Role.ADMINISTRATOR])
    undeclared = [key for key in ACCESS if PEOPLE not in ACCESS[key]]
    assert not undeclared, f"Entries that do not say whether their page shows people: {undeclared}"
    looks = [AuditEntry.Action.VIEW, AuditEntry.Action.LIST, AuditEntry.Action.EXPORT]
    wrong = []
    for key, template in url_patterns():
        for role in Role:
            if ACCESS[key][role] != 200 and not (key in WALK_QUERIES and ACCESS[key][role] == 400):
                continue  # may not open it (the 400: may, but the walk's address names no figure)
            newest = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
            response = clients[role].get(walk_path(key, template, walk, tokens.get(role)) + WALK_QUERIES.get(key, ""))
            shows = [marker for marker in PERSON_MARKERS if marker in body_of(response)]
            written = AuditEntry.objects.filter(id__gt=newest, user=tokens[role].user, action__in=looks)
            kinds = set(written.values_list("record_type", flat=True))
            declared = ACCESS[key][PEOPLE]
            if declared is NOBODY and shows:
                wrong.append(f"{key} as {role}: shows {shows} but declares that it shows no one")
            elif declared is not NOBODY and declared not in kinds:
                wrong.append(f"{key} as {role}: shows {declared} but the audit log has no look at it ({kinds})")
    assert not wrong, "\n".join(wrong)
