"""Writes of the core: roles, staff accounts, one-time-password devices, API tokens."""

import hashlib
import json
import logging
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import UTC, datetime, timedelta
from functools import partial
from math import ceil
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from axes.handlers.proxy import AxesProxyHandler
from axes.utils import reset as axes_reset
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import Q, Value
from django.db.models.functions import Replace
from django.urls import reverse
from django.utils import timezone
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from welcoming import attachments, audit_chain, rate_limits, retention, selectors
from welcoming import findings as findings_engine
from welcoming.models import (
    ApiToken,
    Attachment,
    AuditChain,
    AuditEntry,
    Finding,
    LocalHoliday,
    Municipality,
    Notification,
)
from welcoming.periods import period_starts, window
from welcoming.roles import PERMISSIONS, Role

RECOVERY_CODE_COUNT = 10

logger = logging.getLogger(__name__)


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
def otp_reset(*, user, by=None) -> None:
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
def password_changed(*, user, by=None) -> None:
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


def signin_code_check(*, request, code: str) -> str:
    """The one-time-code step: "ok" (the session is now verified), "wrong" or "locked".

    A wrong code counts toward the same lockout as a wrong password, and only a full sign-in clears the count.
    """
    credentials = {"username": request.user.get_username()}
    if AxesProxyHandler.is_locked(request, credentials):
        return "locked"
    device = otp_verify(user=request.user, code=code)
    if device is not None:
        session_verified(request=request, device=device)
        return "ok"
    user_login_failed.send(sender=__name__, credentials=credentials, request=request)
    signin_address_failed(request=request)
    return "locked" if AxesProxyHandler.is_locked(request, credentials) else "wrong"


def session_verified(*, request, device) -> None:
    """The session has passed its one-time code: mark it, give it a new key, and clear earlier failures."""
    otp_login(request, device)
    request.session.cycle_key()
    account_unlock(user=request.user)


def signin_address_blocked(*, request) -> bool:
    failures = rate_limits.count(
        "signin-failures", rate_limits.client_address(request), window=settings.SIGNIN_ADDRESS_WINDOW
    )
    return failures >= settings.SIGNIN_ADDRESS_FAILURE_LIMIT


def signin_address_failed(*, request) -> None:
    """Count a failed password or code from this address (throttling spraying across many accounts)."""
    rate_limits.hit("signin-failures", rate_limits.client_address(request), window=settings.SIGNIN_ADDRESS_WINDOW)


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
    """Lift a lockout before its cool-off ends."""
    axes_reset(username=user.get_username())


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


# --- The municipality profile -------------------------------------------------------------------------------

MUNICIPALITY_FIELDS = [
    field.name
    for field in Municipality._meta.get_fields()
    if field.concrete and not field.auto_created and field.name != "id" and field.editable
]


def municipality_mark_demo() -> None:
    """Mark the profile as the demo's (seed_demo): pages say so, and the real-town set-up refuses the database."""
    Municipality.objects.filter(pk=1).update(is_demo=True)


@transaction.atomic
def municipality_configure(*, local_holidays: list[tuple[int, int, str]] | None = None, **values) -> Municipality:
    """Create or update the one profile, refused (nothing saved) for any reason `municipality_check` gives."""
    municipality = municipality_check(**values)
    municipality.save()
    if local_holidays is not None:
        municipality.local_holidays.all().delete()
        for month, day, name in local_holidays:
            holiday = LocalHoliday(municipality=municipality, month=month, day=day, name=name)
            holiday.full_clean()
            holiday.save()
    return municipality


# What every period's boundaries hang on. A signed report froze figures for periods drawn from them, so once one
# is signed, changing any of these would move its records under it.
PERIOD_SETTINGS = {
    "date_of_passage": "periods counted from this date of passage",
    "first_tracked_period_start": "periods that begin with this first tracked period",
    "time_zone": "periods whose days begin and end at midnight in this time zone",
}


def municipality_check(**values) -> Municipality:
    """The profile as these values would leave it, unsaved; a ValidationError by field if it cannot be: unknown
    settings, the model's own rules, a first tracked period that is no period, an implausible zone or date, or a
    change to what the periods hang on once a report is signed."""
    unknown = set(values) - set(MUNICIPALITY_FIELDS)
    if unknown:
        raise ValidationError(f"Unknown municipality settings: {', '.join(sorted(unknown))}")
    existing = Municipality.objects.filter(pk=1).first()
    municipality = existing or Municipality(pk=1)
    before = {name: getattr(existing, name) for name in PERIOD_SETTINGS} if existing else {}
    for name, value in values.items():
        # A browser's text box ends its lines with CRLF: kept as LF, an address saved unchanged stays unchanged.
        setattr(municipality, name, value.replace("\r\n", "\n") if isinstance(value, str) else value)
    municipality.full_clean()
    municipality_first_period_check(passage=municipality.date_of_passage, start=municipality.first_tracked_period_start)
    _municipality_plausible(municipality)
    _period_settings_kept(before, municipality)
    return municipality


def _period_settings_kept(before: dict, after: Municipality) -> None:
    changed = [name for name in before if before[name] != getattr(after, name)]
    signed = sorted(retention.reported_periods(), key=lambda reported: reported.start) if changed else []
    if not signed:
        return
    first = signed[0]
    reports = f"{len(signed)} signed report{'s' if len(signed) > 1 else ''}"
    raise ValidationError(
        {
            name: f"This can no longer change: {reports} (the first for {first.start:%B %-d, %Y} – "
            f"{first.end:%B %-d, %Y}) froze figures for {PERIOD_SETTINGS[name]}; changing it would move records in or "
            "out from under those figures, so it stays as it was when they were signed."
            for name in changed
        }
    )


def _municipality_plausible(municipality: Municipality) -> None:
    """A time zone the clocks can be read in, and a law already passed: every period and deadline hangs on both."""
    problems = {}
    try:
        ZoneInfo(municipality.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        problems["time_zone"] = f"“{municipality.time_zone}” is no time zone: give one like America/New_York."
    if municipality.date_of_passage and municipality.date_of_passage > timezone.localdate():
        problems["date_of_passage"] = "The date of passage is in the future: give the day the law was passed."
    if problems:
        raise ValidationError(problems)


def municipality_first_period_check(*, passage, start) -> None:
    """The first tracked period is chosen from the list of periods, so it must begin on a period's first day."""
    if passage and start and start not in period_starts(passage, until=start):
        raise ValidationError(
            {
                "first_tracked_period_start": (
                    "Choose the first day of a reporting period: the date of passage, or six, twelve, eighteen… months "
                    "after it."
                )
            }
        )


# --- Audit --------------------------------------------------------------------------------------------------


@transaction.atomic(savepoint=False)
def audit(*, user, action: str, record_type: str, record_id, fields: list[str] = ()) -> AuditEntry:
    """Write one audit entry: ids and field names only, never values; chained to the entry before it.

    The chain's head row is locked first (SELECT ... FOR UPDATE), so concurrent writers chain one after another;
    the lock is held until the writer's transaction ends, which is short: views write in autocommit, services
    in their own transaction.
    """
    user = user if user is not None and getattr(user, "is_authenticated", False) else None
    chain, _ = AuditChain.objects.select_for_update().get_or_create(pk=1)
    entry = AuditEntry(
        at=timezone.now(),
        user=user,
        username=user.get_username() if user else "",
        action=action,
        record_type=record_type,
        record_id="" if record_id is None else str(record_id),
        fields=sorted(fields),
        previous_hash=chain.head_hash,
    )
    entry.entry_hash = audit_chain.digest_of(entry)
    entry.save(force_insert=True)
    AuditChain.objects.filter(pk=1).update(head_hash=entry.entry_hash, length=chain.length + 1)
    return entry


def audit_view(*, user, record) -> AuditEntry:
    """Log that someone looked at a person-level record (selectors call this when they fetch one for a user)."""
    return audit(user=user, action=AuditEntry.Action.VIEW, record_type=record._meta.label_lower, record_id=record.pk)


def audit_export(*, user, record_type: str, record_ids=()) -> AuditEntry:
    return audit(
        user=user,
        action=AuditEntry.Action.EXPORT,
        record_type=record_type,
        record_id="",
        fields=[str(pk) for pk in record_ids][:1000],
    )


_HISTORY_ACTIONS = {"+": AuditEntry.Action.CREATE, "~": AuditEntry.Action.UPDATE, "-": AuditEntry.Action.DELETE}


def audit_history_record(*, history) -> AuditEntry:
    """Every change kept in a record's history (django-simple-history) also goes to the audit log, by name."""
    model = history.instance_type
    tracked = [
        field.attname
        for field in history.instance_type._meta.concrete_fields
        if field.attname in {f.attname for f in history._meta.concrete_fields}
    ]
    if history.history_type == "~" and history.prev_record is not None:
        fields = history.diff_against(history.prev_record).changed_fields
    elif history.history_type == "+":
        fields = [name for name in tracked if getattr(history, name) not in (None, "")]
    else:
        fields = []
    return audit(
        user=history.history_user,
        action=_HISTORY_ACTIONS[history.history_type],
        record_type=model._meta.label_lower,
        record_id=history.instance.pk,
        fields=fields,
    )


def audit_many(*, user, action: str, record_type: str, record_ids, fields: list[str] = ()) -> int:
    """Many entries of one kind at once (a purge of thousands of records), chained under one lock of the head."""
    return _audit_chained(
        user=user, action=action, records=[(record_type, record_id) for record_id in record_ids], fields=fields
    )


def audit_views(*, user, records) -> int:
    """Log that someone saw several person-level records on one page (the search's results, the release board):
    the "Viewed" entry each record's own page writes, one per record, so a look up by record id finds this look
    too; written under one lock of the head, so the page's queries do not grow with the records it shows."""
    return _audit_chained(
        user=user,
        action=AuditEntry.Action.VIEW,
        records=[(record._meta.label_lower, record.pk) for record in records],
    )


@transaction.atomic(savepoint=False)
def _audit_chained(*, user, action: str, records: list[tuple[str, object]], fields: list[str] = ()) -> int:
    """One entry per (record type, record id), chained in that order."""
    user = user if user is not None and getattr(user, "is_authenticated", False) else None
    chain, _ = AuditChain.objects.select_for_update().get_or_create(pk=1)
    now, previous, entries = timezone.now(), chain.head_hash, []
    for record_type, record_id in records:
        entry = AuditEntry(
            at=now,
            user=user,
            username=user.get_username() if user else "",
            action=action,
            record_type=record_type,
            record_id=str(record_id),
            fields=sorted(fields),
            previous_hash=previous,
        )
        entry.entry_hash = previous = audit_chain.digest_of(entry)
        entries.append(entry)
    AuditEntry.objects.bulk_create(entries, batch_size=2000)
    AuditChain.objects.filter(pk=1).update(head_hash=previous, length=chain.length + len(entries))
    return len(entries)


# --- Retention ----------------------------------------------------------------------------------------------


@dataclass
class PurgeResult:
    periods: list  # the reported periods whose records were due
    rows: dict[str, int]  # model label -> rows purged (or, on a dry run, that would be)
    applied: bool


def _in_periods(periods, zone: str):
    """model, field path -> the condition "falls in one of these periods" (a date by the calendar, a moment by the
    town's clock)."""

    def in_period(model, path: str) -> Q:
        target = model
        for part in path.split("__"):
            field_ = target._meta.get_field(part)
            target = field_.related_model or target
        condition = Q(pk__in=[])
        for period in periods:
            if isinstance(field_, models.DateTimeField):
                span = window(period.start, period.end, zone=zone)
                condition |= Q(**{f"{path}__gte": span.starts_at, f"{path}__lt": span.ends_at})
            else:
                condition |= Q(**{f"{path}__range": (period.start, period.end)})
        return condition

    return in_period


@transaction.atomic
def personal_data_purge(*, now=None, apply: bool = False) -> PurgeResult:
    """Replace the personal identifiers of every record in a period reported at least `retention_years` ago, in
    the records, their history, their files, and the texts that quote them (findings, notifications). Counts,
    dates, kinds and outcomes stay, so every figure and every stored report is unchanged. A dry run (the default)
    only counts."""
    now = now or timezone.now()
    municipality = selectors.municipality_get()
    if municipality is None:
        return PurgeResult([], {}, apply)
    since = now - relativedelta(years=municipality.retention_years)
    periods = sorted(
        (period for period in retention.reported_periods() if period.reported_at <= since), key=lambda p: p.start
    )
    in_period = _in_periods(periods, municipality.time_zone)
    counts, purged, quoted = {}, Q(pk__in=[]), set()
    for policy in retention.policies():
        label = policy.model._meta.label_lower
        ids = list(policy.due(in_period).values_list("pk", flat=True))
        counts[policy.model._meta.label] = len(ids)
        if not apply or not ids:
            continue
        if policy.quoted:  # every spelling the record ever had, its history's included
            rows = [policy.model._default_manager.filter(pk__in=ids), policy.model.history.filter(id__in=ids)]
            # (Three letters at least: a shorter "name" would be cut out of other words.)
            quoted |= {value for row in rows for value in row.values_list(*policy.quoted, flat=True) if len(value) >= 3}
        policy.model._default_manager.filter(pk__in=ids).update(**policy.replace)
        if hasattr(policy.model, "history"):
            policy.model.history.filter(id__in=ids).update(**policy.replace)
        # A scan names the person on every page: the file goes, once the purge is committed.
        files = Attachment.objects.filter(record_type=label, record_id__in=ids).exclude(original_name=retention.PURGED)
        for attachment in files:
            transaction.on_commit(partial(attachment.file.storage.delete, attachment.file.name))
        gone = {"file": "", "original_name": retention.PURGED}
        files.update(**gone)
        if hasattr(Attachment, "history"):
            Attachment.history.filter(record_type=label, record_id__in=ids).update(**gone)
        purged |= Q(record_type=label, record_id__in=ids)
        audit_many(
            user=None, action=AuditEntry.Action.PURGE, record_type=label, record_ids=ids, fields=list(policy.replace)
        )
    if apply and quoted:
        # The findings about purged records quote the person's name: only theirs are scrubbed (a namesake's
        # findings, and words that merely contain the name elsewhere, stay as they are). Purged records of earlier
        # runs count too: a person is purged only once their last record is due, years after their first.
        about_purged = Q(pk__in=[])
        for policy in retention.policies():
            if policy.marker:
                rows = policy.model._default_manager.filter(**{policy.marker: retention.PURGED}).values("pk")
                about_purged |= Q(record_type=policy.model._meta.label_lower, record_id__in=rows)
        findings = Finding.objects.filter(about_purged)
        links = [reverse("welcoming:finding-detail", args=[pk]) for pk in findings.values_list("pk", flat=True)]
        for text in sorted(quoted, key=len, reverse=True):
            _scrub(findings, ["message"], text)
            _scrub(Finding.history.filter(about_purged), ["message"], text)
            _scrub(Notification.objects.filter(link__in=links), ["subject", "body"], text)
    return PurgeResult(periods, counts, apply)


def _scrub(rows, fields: list[str], text: str) -> None:
    for name in fields:
        rows.filter(**{f"{name}__contains": text}).update(**{name: Replace(name, Value(text), Value(retention.PURGED))})


# --- Notifications ------------------------------------------------------------------------------------------


def notify(*, recipients, event: str, subject: str, body: str = "", link: str = "") -> list[Notification]:
    """List the message in each recipient's notifications and e-mail it once the transaction commits."""
    now = timezone.now()
    notifications = [
        Notification.objects.create(recipient=user, event=event, subject=subject, body=body, link=link, created_at=now)
        for user in {user.pk: user for user in recipients if user.is_active}.values()
    ]
    # Robust: a mail server that fails must not undo, or hide, what was just saved (a complaint and its PIN).
    transaction.on_commit(lambda: _notifications_email([n.pk for n in notifications]), robust=True)
    return notifications


def notify_permission(*, permission: str, **message) -> list[Notification]:
    """Notify everyone whose roles grant `permission` (e.g. act_on_findings: internal affairs and the chief)."""
    return notify(recipients=selectors.users_with_permission(permission), **message)


def _notifications_email(ids: list[int]) -> None:
    """E-mail each notification once. One that cannot be sent (the mail server is down) stays unsent, for
    `notifications_email_pending` to try again; it never undoes what was saved."""
    site = settings.SITE_URL.rstrip("/")
    for notification in Notification.objects.filter(pk__in=ids, emailed_at__isnull=True).select_related("recipient"):
        address = notification.recipient.email
        if address:
            body = notification.body + (f"\n\n{site}{notification.link}" if notification.link else "")
            try:
                send_mail(notification.subject, body, None, [address])
            except OSError:  # SMTP errors included
                logger.warning("Could not e-mail notification %s; will try again.", notification.pk, exc_info=True)
                continue
        Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())


def notifications_email_pending() -> None:
    """The scheduler's retry of notifications whose e-mail failed (listed in the app all along)."""
    waited = timezone.now() - timedelta(minutes=1)
    pending = Notification.objects.filter(emailed_at__isnull=True, created_at__lt=waited).order_by("created_at")
    _notifications_email(list(pending.values_list("pk", flat=True)[:500]))


def notification_mark_read(*, notification: Notification) -> None:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])


def notifications_mark_all_read(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())


# --- Findings -----------------------------------------------------------------------------------------------


@dataclass
class Reconciled:
    opened: list[Finding] = dataclass_field(default_factory=list)
    reopened: list[Finding] = dataclass_field(default_factory=list)
    closed: list[Finding] = dataclass_field(default_factory=list)
    updated: list[Finding] = dataclass_field(default_factory=list)


class _FactsEncoder(DjangoJSONEncoder):
    def default(self, o):
        # In UTC: the same moment read back from the database (UTC) and freshly computed (local) must compare
        # equal, or a dismissed finding would reopen although nothing changed.
        if isinstance(o, datetime) and timezone.is_aware(o):
            o = o.astimezone(UTC)
        return super().default(o)


def _normalised(facts: dict) -> dict:
    # Stored JSON and fresh Python values compare equal only after the same round trip (dates, decimals).
    return json.loads(json.dumps(facts, cls=_FactsEncoder, sort_keys=True))


# The findings still standing that the writes inside `findings_raised()` opened or reopened, by id.
_raised: ContextVar[dict | None] = ContextVar("findings_raised", default=None)


@contextmanager
def findings_raised() -> Iterator[dict[int, Finding]]:
    """Collect the findings that the writes inside the block open or reopen and leave open (an import counts what
    it raised, though every write goes through services that return only their record)."""
    raised: dict[int, Finding] = {}
    token = _raised.set(raised)
    try:
        yield raised
    finally:
        _raised.reset(token)


@transaction.atomic
def findings_reconcile(*, record, now) -> Reconciled:
    """Bring a record's stored findings in line with what its rules find now.

    New findings open; findings that no longer hold close (never deleted); a dismissed finding stays dismissed
    unless the facts it rests on change, and then it opens again.
    """
    drafts = {draft.code: draft for draft in findings_engine.evaluate(record, now)}
    existing = {finding.code: finding for finding in Finding.objects.select_for_update().of_record(record)}
    result = Reconciled()
    for code, draft in drafts.items():
        facts = _normalised(draft.facts)
        finding = existing.get(code)
        if finding is None:
            finding = Finding.objects.create(
                record_type=record._meta.label_lower,
                record_id=record.pk,
                section=draft.section,
                code=code,
                severity=draft.severity,
                message=draft.message,
                facts=facts,
                status=Finding.Status.OPEN,
                opened_at=now,
                occurred_at=draft.occurred_at or now,
                status_changed_at=now,
            )
            result.opened.append(finding)
            continue
        facts_changed = finding.facts != facts
        if finding.status == Finding.Status.CLOSED or (finding.status == Finding.Status.DISMISSED and facts_changed):
            finding.status, finding.status_changed_at, finding.status_changed_by = Finding.Status.OPEN, now, None
            finding.status_reason, finding.opened_at = "", now
            result.reopened.append(finding)
        elif (
            facts_changed
            or finding.message != draft.message
            or finding.severity != draft.severity
            or (draft.occurred_at is not None and finding.occurred_at != draft.occurred_at)
        ):
            result.updated.append(finding)
        else:
            continue
        finding.section, finding.severity, finding.message, finding.facts = (
            draft.section,
            draft.severity,
            draft.message,
            facts,
        )
        finding.occurred_at = draft.occurred_at or finding.occurred_at
        finding.save()
    for code, finding in existing.items():
        if code not in drafts and finding.status in Finding.UNRESOLVED:
            finding.status, finding.status_changed_at, finding.status_changed_by = Finding.Status.CLOSED, now, None
            finding.status_reason = "No longer holds: the record changed or time passed."
            finding.save()
            result.closed.append(finding)
    if (raised := _raised.get()) is not None:
        raised.update((finding.pk, finding) for finding in [*result.opened, *result.reopened])
        for finding in result.closed:
            raised.pop(finding.pk, None)
    _notify_violations([*result.opened, *result.reopened])
    return result


def _notify_violations(findings: list[Finding]) -> None:
    for finding in findings:
        if finding.severity == Finding.Severity.VIOLATION:
            notify_permission(
                permission="welcoming.act_on_findings",
                event=Notification.Event.VIOLATION_OPENED,
                subject=f"Violation of {finding.section}: {finding.message}"[:200],
                body=f"A rule found a violation of clause {finding.section} of the ordinance.\n\n{finding.message}",
                link=reverse("welcoming:finding-detail", args=[finding.pk]),
            )


def findings_evaluate_all(*, now) -> Reconciled:
    """The scheduler's pass: every record a time-based rule may fire on, and every record with unresolved findings."""
    total = Reconciled()
    for label, registration in findings_engine.registrations().items():
        ids = set(registration.scheduled().values_list("pk", flat=True)) if registration.scheduled else set()
        ids |= set(Finding.objects.unresolved().filter(record_type=label).values_list("record_id", flat=True))
        for record in registration.model._default_manager.filter(pk__in=ids).iterator():
            result = findings_reconcile(record=record, now=now)
            for name in ("opened", "reopened", "closed", "updated"):
                getattr(total, name).extend(getattr(result, name))
    return total


def _finding_set_status(*, finding: Finding, by, status: str, reason: str = "") -> Finding:
    if finding.status == Finding.Status.CLOSED:
        raise ValidationError("This finding no longer holds and was closed; there is nothing to act on.")
    finding.status, finding.status_changed_at, finding.status_changed_by = status, timezone.now(), by
    finding.status_reason = reason.strip()
    finding.full_clean()
    finding.save()
    return finding


@transaction.atomic
def finding_acknowledge(*, finding: Finding, by, note: str = "") -> Finding:
    return _finding_set_status(finding=finding, by=by, status=Finding.Status.ACKNOWLEDGED, reason=note)


@transaction.atomic
def finding_dismiss(*, finding: Finding, by, reason: str) -> Finding:
    if not reason.strip():
        raise ValidationError({"reason": "Say why the finding is dismissed: the reason is kept and reported."})
    return _finding_set_status(finding=finding, by=by, status=Finding.Status.DISMISSED, reason=reason)


@transaction.atomic
def finding_refer(*, finding: Finding, by, note: str = "") -> Finding:
    """Refer to internal affairs; the complaints app (when installed) opens a complaint from it."""
    finding = _finding_set_status(finding=finding, by=by, status=Finding.Status.REFERRED, reason=note)
    for handler in findings_engine.refer_handlers():
        handler(finding=finding, by=by)
    return finding


# --- Attachments --------------------------------------------------------------------------------------------


@transaction.atomic
def attachment_add(*, record, upload, by) -> Attachment:
    """Attach an uploaded PDF, JPEG or PNG to a record: size capped, type checked by content, not by name."""
    if attachments.read_permission(record._meta.label_lower) is None:
        raise ValidationError({"file": "Files cannot be attached to this kind of record."})
    if upload.size > attachments.MAX_BYTES:
        raise ValidationError(
            {
                "file": f"“{upload.name}” is {upload.size / 1_048_576:.0f} MB; the limit is "
                f"{attachments.MAX_BYTES // 1_048_576} MB. Scan at a lower resolution."
            }
        )
    head = upload.read(16)
    upload.seek(0)
    kind = attachments.sniff(head)
    if kind is None:
        raise ValidationError({"file": f"“{upload.name}” is not a PDF, JPEG or PNG file (whatever its name says)."})
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    attachment = Attachment(
        record_type=record._meta.label_lower,
        record_id=record.pk,
        original_name=_plain_file_name(upload.name),
        content_type=kind,
        size=upload.size,
        sha256=digest.hexdigest(),
        uploaded_by=by,
        uploaded_at=timezone.now(),
    )
    attachment.file.save("upload", upload, save=False)
    attachment._history_user = by
    attachment.save()
    return attachment


def _plain_file_name(name: str) -> str:
    """The name a file came with, as a name only: no folders (a path like ../../etc is the browser's or an
    attacker's, never ours), no control characters (they could split a download's headers)."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(character for character in base if character.isprintable()).strip(" .")
    return base[:200] or "file"


FINDING_ACTIONS = ("acknowledge", "dismiss", "refer")


def finding_act(*, finding: Finding, by, action: str, note: str = "") -> Finding:
    """What the findings page and the API both offer: one of acknowledge, dismiss (the note is the reason), refer."""
    if action == "acknowledge":
        return finding_acknowledge(finding=finding, by=by, note=note)
    if action == "dismiss":
        return finding_dismiss(finding=finding, by=by, reason=note)
    if action == "refer":
        return finding_refer(finding=finding, by=by, note=note)
    raise ValidationError({"action": f"Unknown action: {action}."})
