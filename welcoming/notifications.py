"""Notifications: listed in the app for each recipient, e-mailed once the transaction commits."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from welcoming import selectors
from welcoming.models import (
    Notification,
)

logger = logging.getLogger(__name__)


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
    site = settings.PUBLIC_BASE_URL
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
