"""The sign-in's request-bound steps (the one-time code, the session, the per-address count), beside
the views that call them (`account_views`)."""

from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessFailureLog
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.utils import timezone
from django_otp import login as otp_login

from welcoming import rate_limits
from welcoming.accounts import account_lockout_notify, account_unlock, otp_verify


def lockout_told(sender, *, request, username, ip_address, **kwargs) -> None:
    """django-axes's `user_locked_out`, sent at the try that locks an account and at each refused try after:
    the holder and the administrators hear of it once per lockout, with each try's time and address."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    logged = AccessFailureLog.objects.filter(username=username, attempt_time__gte=since).order_by("attempt_time")
    tries = [*logged.values_list("attempt_time", "ip_address"), (timezone.now(), ip_address)]
    account_lockout_notify(
        username=username,
        tries=tries[-settings.AXES_FAILURE_LIMIT :],
        until=timezone.now() + settings.AXES_COOLOFF_TIME,
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
