"""Shared fixtures: staff users made through the services, and helpers that sign in the way people do."""

import base64
import io
import secrets
import shutil
import time

import pyotp
import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils import translation
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from PIL import Image
from pypdf import PdfWriter

from welcoming.accounts import otp_devices_set, staff_user_create
from welcoming.municipality import municipality_configure
from welcoming.roles import Role


def pytest_sessionfinish(session):
    """The test process's own media folder (config/settings_test.py) goes with it."""
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)


PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _language_reset():
    """Each request activates its visitor's language in the thread, and nothing deactivates it afterwards: back to
    the default after every test, so one test's Spanish visitor does not speak in the next test's messages."""
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _postgres_only(request):
    """Tests marked `postgres` check what only PostgreSQL does (the audit trigger); SQLite skips them, CI runs them."""
    if request.node.get_closest_marker("postgres") and connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (CI runs it)")


def device_code(device, *, offset_steps: int = 0) -> str:
    """The code an authenticator app holding this device's secret shows now (or steps of 30 s away)."""
    totp = pyotp.TOTP(base64.b32encode(device.bin_key).decode())
    return totp.at(time.time(), counter_offset=offset_steps)


def current_code(user, *, offset_steps: int = 0) -> str:
    """The code the user's authenticator app shows now."""
    return device_code(TOTPDevice.objects.get(user=user, confirmed=True), offset_steps=offset_steps)


@pytest.fixture
def make_staff(db):
    """make_staff("name", Role.X, ...) -> a user with those roles and an enrolled authenticator app."""

    def make(username: str, *roles: Role, enrolled: bool = True):
        user = staff_user_create(username=username, password=PASSWORD, roles=list(roles))
        if enrolled:
            otp_devices_set(user=user, totp_key=secrets.token_hex(20))
        return user

    return make


def sign_in_verified(client, user):
    """A session that has passed password and one-time code, without spending a code (for access tests)."""
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user, confirmed=True).persistent_id
    session.save()
    return client


def sign_in_with_password(client, user, password=PASSWORD):
    return client.post(reverse("welcoming:login"), {"username": user.username, "password": password})


@pytest.fixture
def clerk(make_staff):
    return make_staff("clerk", Role.RECORDS_CLERK)


@pytest.fixture
def clerk_client(client, clerk):
    return sign_in_verified(client, clerk)


@pytest.fixture
def toy_rule(db):
    """A rule registered on LocalHoliday for the test's length: it finds a 2(d) violation on any holiday whose
    name contains "breach", resting on the holiday's name. Lets the core's engine be tested with no app."""
    from welcoming import findings
    from welcoming.models import LocalHoliday

    def rule(holiday, context):
        if "breach" in holiday.name:
            yield findings.FindingDraft(
                section="2(d)",
                severity="violation",
                code="toy-breach",
                message=f"Toy breach on {holiday.name}.",
                facts={"name": holiday.name},
            )

    findings.register_rule(LocalHoliday, rule, scheduled=lambda: LocalHoliday.objects.all())
    yield rule
    findings.unregister_rule(LocalHoliday, rule)


def setup_actor():
    """The system actor commands configure the profile as (tests set the profile up the way start_town does)."""
    from welcoming.acting import system_actor
    from welcoming.roles import SystemActor

    return system_actor(SystemActor.SETUP)


def scheduler_actor():
    """The system actor the scheduler's jobs run as (run_periodic)."""
    from welcoming.acting import system_actor
    from welcoming.roles import SystemActor

    return system_actor(SystemActor.SCHEDULER)


@pytest.fixture
def municipality(db):
    from welcoming.demo import DEMO_LOCAL_HOLIDAYS, DEMO_MUNICIPALITY

    return municipality_configure(by=setup_actor(), local_holidays=DEMO_LOCAL_HOLIDAYS, **DEMO_MUNICIPALITY)


def _made(save) -> bytes:
    buffer = io.BytesIO()
    save(buffer)
    return buffer.getvalue()


# Real files, made by the libraries that read them back: an upload is parsed before it is accepted, so a few bytes
# that merely start like a PDF no longer pass.
def _a_pdf(buffer):
    writer = PdfWriter()
    writer.add_blank_page(width=612, height=792)
    writer.write(buffer)


A_PDF = _made(_a_pdf)
A_PNG = _made(lambda buffer: Image.new("RGB", (4, 4), "white").save(buffer, "PNG"))
A_JPEG = _made(lambda buffer: Image.new("RGB", (4, 4), "white").save(buffer, "JPEG"))
