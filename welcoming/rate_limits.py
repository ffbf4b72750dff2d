"""Counting what one address does, in the cache every worker shares (the database cache), under a short-lived
key that is a keyed hash of the address: the address itself is never stored, here or with anything it sent."""

from datetime import timedelta

from axes.helpers import get_client_ip_address
from django.core.cache import cache
from django.utils.crypto import salted_hmac


def _key(scope: str, request, extra: str = "") -> str:
    address = get_client_ip_address(request) or "unknown"
    return f"rate:{scope}:" + salted_hmac(f"rate-limit-{scope}", f"{address}|{extra}").hexdigest()


def count(scope: str, request, *, extra: str = "") -> int:
    return cache.get(_key(scope, request, extra), 0)


def exceeded(scope: str, request, *, limit: int, extra: str = "") -> bool:
    return count(scope, request, extra=extra) >= limit


def hit(scope: str, request, *, window: timedelta, extra: str = "") -> None:
    """Count one more from this address; the count is forgotten `window` after the first."""
    key, seconds = _key(scope, request, extra), int(window.total_seconds())
    if not cache.add(key, 1, seconds):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, seconds)
