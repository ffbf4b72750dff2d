"""Staff accounts: roles, one-time-password devices, lockouts and API tokens."""

import secrets
import time
from math import ceil

from axes.utils import reset as axes_reset
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from welcoming import selectors
from welcoming.acting import people, system_group_name, system_username
from welcoming.audit import audit
from welcoming.local_time import when
from welcoming.models import (
    ApiToken,
    AuditEntry,
    Notification,
)
from welcoming.notifications import notify
from welcoming.roles import PERMISSIONS, SYSTEM_PERMISSIONS, Role, SystemActor

RECOVERY_CODE_COUNT = 10


@transaction.atomic
def roles_sync() -> None:
    """Make one group per role, and one per system actor, hold exactly the permissions of the tables in
    `welcoming.roles`; each system actor's account is in its own group and no other."""
    groups = {role.label: codes for role, codes in PERMISSIONS.items()}
    groups |= {system_group_name(actor): codes for actor, codes in SYSTEM_PERMISSIONS.items()}
    for name, codes in groups.items():
        group, _ = Group.objects.get_or_create(name=name)
        wanted = []
        for code in sorted(codes):
            app_label, codename = code.split(".")
            wanted.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
        group.permissions.set(wanted)
    for actor in SystemActor:
        for account in get_user_model().objects.filter(username=system_username(actor)):
            account.groups.set(Group.objects.filter(name=system_group_name(actor)))


@transaction.atomic
def staff_user_create(
    *,
    username: str,
    password: str,
    roles: list[Role],
    email: str = "",
    first_name: str = "",
    last_name: str = "",
):
    """Create a staff account with its roles. It enrols a one-time-password device at first sign-in."""
    user = get_user_model()(username=username, email=email, first_name=first_name, last_name=last_name)
    user.set_password(password)
    user.full_clean()
    user.save()
    user.groups.set(Group.objects.filter(name__in=[role.label for role in roles]))
    return user


@transaction.atomic
def otp_enrolment_start(*, user) -> TOTPDevice:
    """The unconfirmed authenticator-app device the user is setting up (a fresh secret the first time)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


@transaction.atomic
def otp_enrolment_confirm(*, device: TOTPDevice, code: str) -> list[str]:
    """Confirm a device with a first code from the app; return the new recovery codes (shown once)."""
    if device.confirmed:
        raise ValidationError({"code": "This authenticator app is already set up."})
    if not device.verify_token(code.strip()):
        raise ValidationError(
            {"code": "That code does not match. Check the app shows this site and try the newest code."}
        )
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return _recovery_codes_replace(user=device.user)


def _recovery_codes_replace(*, user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=static, token=code) for code in codes)
    return codes


@transaction.atomic
def otp_verify(*, user, code: str):
    """The device that accepts this code (an authenticator code or an unused recovery code), or None.

    django-otp refuses a code already used (TOTP remembers the last time step) and slows down repeated
    failures per device; a recovery code is deleted when used.
    """
    code = code.strip().replace(" ", "")
    devices = list(TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True))
    devices += list(StaticDevice.objects.select_for_update().filter(user=user, confirmed=True))
    for device in devices:
        if device.verify_is_allowed()[0] and device.verify_token(code):
            return device
    return None


def otp_code_was_used(*, user, code: str) -> bool:
    """Whether a refused code is one the authenticator shows for a moment already used (to sign in, say): the
    code is right, but each code is good once, so the reader waits for the next rather than retyping it."""
    try:
        token = int(code.strip().replace(" ", ""))
    except ValueError:
        return False
    for device in TOTPDevice.objects.filter(user=user, confirmed=True):
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        totp.time = time.time()
        if device.last_t is not None and totp.verify(token, device.tolerance) and totp.t() <= device.last_t:
            return True
    return False


def otp_wait_seconds(*, user) -> int:
    """How long django-otp's throttle makes this user wait before a code is checked again (0: not at all)."""
    waits = []
    devices = [*TOTPDevice.objects.filter(user=user, confirmed=True), *StaticDevice.objects.filter(user=user)]
    for device in devices:
        allowed, details = device.verify_is_allowed()
        if not allowed and details and details.get("locked_until"):
            waits.append((details["locked_until"] - timezone.now()).total_seconds())
    return max(0, ceil(max(waits, default=0)))


@transaction.atomic
def otp_devices_set(*, user, totp_key: str) -> TOTPDevice:
    """Give a user a confirmed authenticator device with a known secret (demo data and tests only)."""
    TOTPDevice.objects.filter(user=user).delete()
    return TOTPDevice.objects.create(user=user, name="Authenticator app", key=totp_key, confirmed=True)


@transaction.atomic
def otp_reset(*, user, by) -> None:
    """An administrator's reset: the user sets up a new authenticator app at next sign-in. Their API tokens die
    with the old authenticator, and they are told, so a reset they did not ask for does not go unnoticed."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    api_tokens_revoke_all(user=user)
    audit(user=by, action=AuditEntry.Action.UPDATE, record_type="auth.user", record_id=user.pk, fields=["otp_devices"])
    notify(
        recipients=[user],
        event=Notification.Event.ACCOUNT_CHANGED,
        subject="Your authenticator app was reset",
        body="An administrator reset your authenticator app. You will set up a new one at your next sign-in. "
        "Your API tokens were revoked. If you did not ask for this, tell your supervisor.",
    )


@transaction.atomic
def password_changed(*, user, by) -> None:
    """After any password change: revoke the user's API tokens; if someone else changed it, tell the user."""
    api_tokens_revoke_all(user=user)
    if by is not None and by.pk != user.pk:
        notify(
            recipients=[user],
            event=Notification.Event.ACCOUNT_CHANGED,
            subject="Your password was changed",
            body="An administrator set a new password for your account, and your API tokens were revoked. If "
            "you did not ask for this, tell your supervisor.",
        )


@transaction.atomic
def staff_roles_changed(*, user, by, before: set[str], after: set[str]) -> None:
    """Tell a user whose roles an administrator changed (the change itself is in the user's history)."""
    if before != after:
        notify(
            recipients=[user],
            event=Notification.Event.ACCOUNT_CHANGED,
            subject="Your roles were changed",
            body=f"Your roles are now: {', '.join(sorted(after)) or 'none'} (before: "
            f"{', '.join(sorted(before)) or 'none'}).",
        )


@transaction.atomic
def account_superuser_remove(*, user, by) -> None:
    """Take away Django's superuser flag. The app already holds such an account to its roles; the flag still makes
    Django's own tools (`manage.py`, a plain `User.has_perm`) treat it as unbounded, so the administrator's
    dashboard lists it as a risk until this is done."""
    if not user.is_superuser:
        return
    user.is_superuser = False
    user.save(update_fields=["is_superuser"])
    audit(user=by, action=AuditEntry.Action.UPDATE, record_type="auth.user", record_id=user.pk, fields=["is_superuser"])


def account_unlock(*, user) -> None:
    """Lift a lockout before its cool-off ends (a lockout after this one is told of again)."""
    axes_reset(username=user.get_username())
    cache.delete(_lockout_told_key(user.get_username()))


def _lockout_told_key(username: str) -> str:
    return "lockout-told:" + salted_hmac("lockout-told", username).hexdigest()


def account_lockout_notify(*, username: str, tries: list[tuple], until) -> bool:
    """Tell a locked account's holder and the administrators, once per lockout, when and from where the failed
    tries came: a lockout no one hears of is a guessing attack no one sees, and a holder shut out without a word.
    `tries`: (moment, address) of each. Returns whether anyone was told (an unknown username, or a system account,
    tells no one)."""
    user = people(get_user_model().objects).filter(username=username, is_active=True).first()
    if user is None:
        return False
    # Once per lockout: the first refusal of a lockout claims it until the lockout would end by itself.
    if not cache.add(_lockout_told_key(username), True, timeout=max(1, int((until - timezone.now()).total_seconds()))):
        return False
    listed = "\n".join(f"- {when(at)} from {address or 'an unknown address'}" for at, address in tries)
    opens = f"It opens again by itself at {when(until)}, or an administrator can unlock it now."
    notify(
        recipients=[user],
        event=Notification.Event.ACCOUNT_LOCKED,
        subject="Your account was locked after failed sign-ins",
        body=f"Your account {username} was locked after {len(tries)} failed sign-in tries (a wrong password or "
        f"one-time code):\n{listed}\n\n{opens} If these tries were not yours, tell your supervisor.",
    )
    notify(
        recipients=selectors.users_with_permission("welcoming.administer").exclude(pk=user.pk),
        event=Notification.Event.ACCOUNT_LOCKED,
        subject=f"The account {username} was locked after failed sign-ins",
        body=f"The account {username} was locked after {len(tries)} failed sign-in tries:\n{listed}\n\n{opens} "
        "Many tries from an address the town does not use may be someone guessing.",
    )
    return True


@transaction.atomic
def api_token_issue(*, user, name: str, lifetime) -> tuple[ApiToken, str]:
    """Issue a token; return it with its key, which is not kept and cannot be shown again."""
    now = timezone.now()
    key = secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        name=name.strip(),
        key_prefix=key[:8],
        key_hash=selectors.api_key_hash(key),
        created_at=now,
        expires_at=now + lifetime,
    )
    token.full_clean()
    token.save()
    return token, key


@transaction.atomic
def api_tokens_revoke_all(*, user) -> int:
    return ApiToken.objects.of_user(user).filter(revoked_at__isnull=True).update(revoked_at=timezone.now())


@transaction.atomic
def api_token_revoke(*, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def api_token_mark_used(*, token: ApiToken) -> None:
    # At most once a minute: a busy client must not turn every read into a write.
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
