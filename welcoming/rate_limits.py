"""Counting what one address (or one tracking code) does, in the cache every worker shares (the database cache).

Counts are kept per fixed window (the current hour, the current quarter hour…) under a keyed hash of the subject
and the window: the address itself is never stored, the key changes every window, and a row expires when its
window ends. `manage.py run_periodic` deletes expired rows, so no count outlives its window by long.
"""

import ipaddress
import time
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone
from django.utils.crypto import salted_hmac


def client_address(request) -> str:
    """The visitor's address: behind the TLS proxy, the last one it appended to X-Forwarded-For (the only entry it
    vouches for); otherwise the connection's. An IPv6 address counts by its /64 network, which one household
    holds whole."""
    address = request.META.get("REMOTE_ADDR", "")
    if settings.BEHIND_TLS_PROXY:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        address = forwarded[-1] if forwarded else address
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return ""  # no address (a request made in code, not over the network)
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def axes_client_address(request) -> str | None:
    """The same address for django-axes (staff sign-in lockouts); None when there is none, as axes expects."""
    return client_address(request) or None


# The clock the windows are cut from (a test moves it on an hour).
clock = time.time


def _window(window: timedelta) -> tuple[int, int]:
    """(the current window's number, seconds until it ends)."""
    seconds = int(window.total_seconds())
    now = int(clock())
    return now // seconds, seconds - now % seconds


def _key(scope: str, subject: str, number: int) -> str:
    return f"rate:{scope}:" + salted_hmac(f"rate-limit-{scope}", f"{subject}|{number}").hexdigest()


def count(scope: str, subject: str, *, window: timedelta) -> int:
    number, _ = _window(window)
    return cache.get(_key(scope, subject, number), 0)


def hit(scope: str, subject: str, *, window: timedelta) -> int:
    """Count one more in the current window; returns the new count. (Two hits at the same instant may count as
    one: the cache has no atomic increment that keeps an expiry, and a limit one too generous is no harm.)"""
    number, remaining = _window(window)
    key = _key(scope, subject, number)
    value = cache.get(key, 0) + 1
    cache.set(key, value, remaining + 1)
    return value


def forget_expired() -> int:
    """Delete the cache rows whose time is up (the database cache removes them only when it grows large)."""
    table = settings.CACHES["default"].get("LOCATION", "cache")
    if "DatabaseCache" not in settings.CACHES["default"]["BACKEND"]:
        return 0
    with connection.cursor() as cursor:
        now = connection.ops.adapt_datetimefield_value(timezone.now().replace(microsecond=0))
        cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)} WHERE expires < %s", [now])
        return cursor.rowcount
