"""Writes of the core: roles, staff accounts, one-time-password devices, API tokens."""

import hashlib
import secrets

from axes.utils import reset as axes_reset
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from welcoming.models import ApiToken
from welcoming.roles import PERMISSIONS, Role

RECOVERY_CODE_COUNT = 10


@transaction.atomic
def roles_sync() -> None:
    """Make one group per role hold exactly the permissions of the table in `welcoming.roles`."""
    for role, codes in PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role.label)
        wanted = []
        for code in sorted(codes):
            app_label, codename = code.split(".")
            wanted.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
        group.permissions.set(wanted)


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


@transaction.atomic
def otp_devices_set(*, user, totp_key: str) -> TOTPDevice:
    """Give a user a confirmed authenticator device with a known secret (demo data and tests only)."""
    TOTPDevice.objects.filter(user=user).delete()
    return TOTPDevice.objects.create(user=user, name="Authenticator app", key=totp_key, confirmed=True)


@transaction.atomic
def otp_reset(*, user) -> None:
    """An administrator's reset: the user sets up a new authenticator app at next sign-in."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


def account_unlock(*, user) -> None:
    """Lift a lockout before its cool-off ends."""
    axes_reset(username=user.get_username())


def _hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_token_issue(*, user, name: str, lifetime) -> tuple[ApiToken, str]:
    """Issue a token; return it with its key, which is not kept and cannot be shown again."""
    now = timezone.now()
    key = secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        name=name.strip(),
        key_prefix=key[:8],
        key_hash=_hash_key(key),
        created_at=now,
        expires_at=now + lifetime,
    )
    token.full_clean()
    token.save()
    return token, key


@transaction.atomic
def api_token_revoke(*, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def api_token_for_key(key: str) -> ApiToken | None:
    """The token with this key, whatever its state (the caller tells expired from revoked)."""
    return ApiToken.objects.select_related("user").filter(key_hash=_hash_key(key)).first()


def api_token_mark_used(*, token: ApiToken) -> None:
    # At most once a minute: a busy client must not turn every read into a write.
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
