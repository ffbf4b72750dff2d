"""Signing in: password, then one-time code; lockout; idle timeout; enrolment; recovery codes."""

import time

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import PASSWORD, current_code, device_code, sign_in_verified, sign_in_with_password
from welcoming.accounts import account_unlock, otp_reset
from welcoming.middleware import IdleTimeoutMiddleware
from welcoming.models import Notification
from welcoming.roles import Role

HOME = reverse("welcoming:home")
VERIFY = reverse("welcoming:verify")


def test_password_then_code_lands_on_home_with_the_role(client, clerk):
    response = sign_in_with_password(client, clerk)
    assert response.status_code == 302
    # Password alone is half a sign-in: every page sends the user to the code step.
    assert client.get(HOME).url.startswith(VERIFY)
    response = client.post(VERIFY, {"code": current_code(clerk), "next": HOME}, follow=True)
    assert response.redirect_chain[-1][0] == HOME
    assert "Records clerk" in response.content.decode()


def test_wrong_password_says_so_and_signs_nobody_in(client, clerk):
    response = sign_in_with_password(client, clerk, password="not the password")
    assert response.status_code == 200
    assert "That username and password do not match" in response.content.decode()
    assert client.get(HOME).status_code == 302
    assert client.get(HOME).url.startswith(reverse("welcoming:login"))


def test_wrong_code_is_refused_with_a_clear_message(client, clerk):
    sign_in_with_password(client, clerk)
    wrong = f"{(int(current_code(clerk)) + 1) % 1_000_000:06d}"
    response = client.post(VERIFY, {"code": wrong})
    assert response.status_code == 200
    assert "That code is wrong or was already used" in response.content.decode()
    assert client.get(HOME).url.startswith(VERIFY)


def test_a_code_cannot_be_used_twice(client, clerk):
    code = current_code(clerk)
    sign_in_with_password(client, clerk)
    assert client.post(VERIFY, {"code": code}).status_code == 302
    client.post(reverse("welcoming:logout"))
    sign_in_with_password(client, clerk)
    response = client.post(VERIFY, {"code": code})
    assert "That code is wrong or was already used" in response.content.decode()


def test_a_recovery_code_signs_in_once(client, make_staff):
    user = make_staff("newcomer", Role.COUNCIL_STAFF, enrolled=False)
    sign_in_with_password(client, user)
    enrol = client.get(reverse("welcoming:enrol"))
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert enrol.context["secret"].replace(" ", "")  # the secret is shown for typing by hand
    response = client.post(reverse("welcoming:enrol"), {"code": device_code(device)})
    codes = response.context["recovery_codes"]
    assert len(codes) == 10 and "shown only once" in response.content.decode()
    client.post(reverse("welcoming:logout"))

    sign_in_with_password(client, user)
    assert client.post(VERIFY, {"code": codes[0]}).status_code == 302
    assert not StaticToken.objects.filter(token=codes[0]).exists()
    client.post(reverse("welcoming:logout"))
    sign_in_with_password(client, user)
    assert "That code is wrong" in client.post(VERIFY, {"code": codes[0]}).content.decode()


def test_first_sign_in_requires_setting_up_an_authenticator(client, make_staff):
    user = make_staff("fresh", Role.RECORDS_CLERK, enrolled=False)
    sign_in_with_password(client, user)
    response = client.get(VERIFY)
    assert response.status_code == 302 and response.url.startswith(reverse("welcoming:enrol"))
    qr = client.get(reverse("welcoming:enrol-qr"))
    assert qr["Content-Type"] == "image/svg+xml" and b"<svg" in qr.content
    # Nothing else opens before the app is set up.
    assert client.get(HOME).url.startswith(VERIFY)
    wrong = client.post(reverse("welcoming:enrol"), {"code": "000000"})
    assert "That code does not match" in wrong.content.decode()
    device = TOTPDevice.objects.get(user=user)
    client.post(reverse("welcoming:enrol"), {"code": device_code(device)})
    assert client.get(HOME).status_code == 200


def test_an_administrators_reset_makes_the_user_enrol_again(client, clerk, make_staff):
    otp_reset(user=clerk, by=make_staff("it-lead", Role.ADMINISTRATOR))
    sign_in_with_password(client, clerk)
    assert client.get(VERIFY).url.startswith(reverse("welcoming:enrol"))


def test_repeated_wrong_passwords_lock_the_account(client, clerk, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in_with_password(client, clerk, password="guess").status_code == 200
    locked = sign_in_with_password(client, clerk, password="guess")
    assert locked.status_code == 429
    assert "This account is locked" in locked.content.decode()
    # Even the right password is refused now.
    assert sign_in_with_password(client, clerk).status_code == 429
    account_unlock(user=clerk)
    assert sign_in_with_password(client, clerk).status_code == 302


def test_repeated_wrong_codes_lock_the_account_and_sign_out(client, clerk, settings):
    sign_in_with_password(client, clerk)
    response = None
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(VERIFY, {"code": "000000"})
    assert response.status_code == 429
    assert "This account is locked" in response.content.decode()
    assert client.get(HOME).url.startswith(reverse("welcoming:login"))
    assert sign_in_with_password(client, clerk).status_code == 429


def test_signing_in_again_does_not_reset_the_count_of_wrong_codes(client, clerk, settings):
    # A thief with the password must not get fresh guesses at the code by signing in again.
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in_with_password(client, clerk)
        client.post(VERIFY, {"code": "000000"})
        client.post(reverse("welcoming:logout"))
    sign_in_with_password(client, clerk)
    assert client.post(VERIFY, {"code": "000000"}).status_code == 429


def test_an_idle_session_ends_with_a_message(client, clerk, settings):
    sign_in_verified(client, clerk)
    assert client.get(HOME).status_code == 200
    session = client.session
    session[IdleTimeoutMiddleware.SESSION_KEY] = int(time.time() - settings.IDLE_TIMEOUT.total_seconds() - 5)
    session.save()
    response = client.get(HOME, follow=True)
    assert response.redirect_chain[0][0].startswith(reverse("welcoming:login"))
    assert "signed out after 30 minutes without activity" in response.content.decode()
    assert client.get(HOME).status_code == 302


def test_an_active_session_is_kept(client, clerk):
    sign_in_verified(client, clerk)
    session = client.session
    session[IdleTimeoutMiddleware.SESSION_KEY] = int(time.time() - 60 * 29)
    session.save()
    assert client.get(HOME).status_code == 200


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x"])
def test_sign_in_never_redirects_off_site(client, clerk, target):
    sign_in_with_password(client, clerk)
    response = client.post(VERIFY, {"code": current_code(clerk), "next": target})
    assert response.url == HOME


def test_sign_out_needs_a_post(clerk_client):
    assert clerk_client.get(reverse("welcoming:logout")).status_code == 405
    assert clerk_client.post(reverse("welcoming:logout")).status_code == 302
    assert clerk_client.get(HOME).status_code == 302


def test_session_cookie_is_http_only_and_same_site(client, clerk):
    response = sign_in_with_password(client, clerk)
    assert response.cookies["sessionid"]["httponly"]
    assert response.cookies["sessionid"]["samesite"] == "Lax"


def test_cancel_on_the_code_page_really_signs_out(client, clerk):
    sign_in_with_password(client, clerk)
    response = client.post(reverse("welcoming:logout"))
    assert response.status_code == 302 and response.url == reverse("welcoming:login")
    # The password-only session is gone: the code page now asks for the password first.
    assert client.get(VERIFY).url.startswith(reverse("welcoming:login"))


def test_many_failures_from_one_address_throttle_it_across_accounts(client, make_staff, settings):
    settings.SIGNIN_ADDRESS_FAILURE_LIMIT = 6
    users = [make_staff(f"user{n}", Role.RECORDS_CLERK) for n in range(3)]
    for user in users:  # two guesses each: no account reaches its own lockout
        for _ in range(2):
            assert sign_in_with_password(client, user, password="spray").status_code == 200
    response = sign_in_with_password(client, make_staff("fresh", Role.RECORDS_CLERK))
    assert response.status_code == 429
    assert "Too many failed sign-ins from this network" in response.content.decode()
    # Another address is not affected.
    other = Client(REMOTE_ADDR="10.9.8.7")
    assert sign_in_with_password(other, users[0]).status_code == 302


def test_password_is_never_echoed(client, clerk):
    body = sign_in_with_password(client, clerk, password="secret-guess-123").content.decode()
    assert "secret-guess-123" not in body
    assert PASSWORD not in body


def test_a_lockout_tells_the_holder_and_the_administrators_once_with_the_times_and_address(
    clerk, make_staff, settings, mailoutbox, django_capture_on_commit_callbacks
):
    """Five wrong passwords for a guessable username lock the account (CJIS): its holder and the administrators
    hear of it once per lockout, with when and from where; the refusals during the lockout tell no one again."""
    admin = make_staff("it-lead", Role.ADMINISTRATOR)
    for user, address in ((clerk, "clerk@town.example"), (admin, "it@town.example")):
        user.email = address
        user.save()
    guesser = Client(REMOTE_ADDR="203.0.113.7")
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(settings.AXES_FAILURE_LIMIT + 3):  # the lockout, then three refused tries
            sign_in_with_password(guesser, clerk, password="guess")
    told = {mail.to[0]: mail for mail in mailoutbox}
    assert sorted(told) == ["clerk@town.example", "it@town.example"] and len(mailoutbox) == 2
    for mail in told.values():
        assert mail.body.count("from 203.0.113.7") == settings.AXES_FAILURE_LIMIT
        assert "opens again by itself at" in mail.body
    assert told["clerk@town.example"].subject == "Your account was locked after failed sign-ins"
    assert "The account clerk was locked" in told["it@town.example"].subject

    # Unlocked by the administrator, a new lockout is a new notice.
    account_unlock(user=clerk)
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            sign_in_with_password(guesser, clerk, password="guess")
    assert len(mailoutbox) == 4


def test_a_lockout_of_a_name_no_one_holds_tells_no_one(db, make_staff, settings, mailoutbox):
    make_staff("it-lead", Role.ADMINISTRATOR)
    guesser = Client(REMOTE_ADDR="203.0.113.8")
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        guesser.post(reverse("welcoming:login"), {"username": "chief", "password": "guess"})
    assert not Notification.objects.filter(event=Notification.Event.ACCOUNT_LOCKED).exists()
