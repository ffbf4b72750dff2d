"""Deny by default: every page needs a signed-in, code-verified staff member unless it says otherwise."""

import time
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import BadRequest
from django.db import DatabaseError
from django.http import JsonResponse
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.shortcuts import render, resolve_url
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from rest_framework.views import APIView

from welcoming import rate_limits, selectors

API_PREFIX = "/api/"


# What a request's body may hold unless its view says more: every form's and API body's text fits many times.
DEFAULT_BODY_LIMIT = 1024 * 1024


def body_limit(max_bytes: int, *, counts_toward: tuple | None = None):
    """Let a view's requests carry up to `max_bytes` (its files and fields); `counts_toward` (scope, window): a
    refusal also counts as one try against that per-address limit (the public form's), so a flood of oversized
    posts meets the same limit as a flood of complaints."""

    def mark(view):
        view.body_limit, view.body_limit_counts_toward = max_bytes, counts_toward
        return view

    return mark


def otp_not_required(view_func):
    """Mark a view that a password-only session may reach: the one-time-code and enrolment pages."""
    view_func.otp_not_required = True
    return view_func


class TownClockMiddleware:
    """Every request runs on the town's clocks, whatever zone the server runs in: a typed time is read in the
    profile's zone, and pages, letters and the API write times in it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            municipality = selectors.municipality_of_request(request)
        except DatabaseError:
            municipality = None  # the request fails on its own, or is /healthz, which says so with a 503
        with timezone.override(ZoneInfo(selectors.town_zone(municipality))):
            return self.get_response(request)


class IdleTimeoutMiddleware:
    """End a signed-in session after IDLE_TIMEOUT without a request, and say so at the sign-in page."""

    SESSION_KEY = "last_request_at"
    # Refreshing the stamp at most once a minute spares a session write on every click.
    RESOLUTION_SECONDS = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            last = request.session.get(self.SESSION_KEY)
            if last is not None and now - last > settings.IDLE_TIMEOUT.total_seconds():
                logout(request)
                if not request.path_info.startswith(API_PREFIX):
                    minutes = int(settings.IDLE_TIMEOUT.total_seconds() // 60)
                    messages.info(request, f"You were signed out after {minutes} minutes without activity.")
                    return redirect_to_login(request.get_full_path(), resolve_url(settings.LOGIN_URL))
            elif last is None or now - last >= self.RESOLUTION_SECONDS:
                request.session[self.SESSION_KEY] = now
        return self.get_response(request)


class StaffAccessMiddleware(LoginRequiredMiddleware):
    """Django's login-required default, plus: the session must have passed the one-time code.

    API views are left to Django REST framework, which authenticates them itself (a token, or a verified
    session) and answers 401 rather than redirecting to a page. Only DRF views: a plain view under /api/ is
    guarded like any page.
    """

    def get_login_url(self, view_func):
        # One sign-in for everyone, the admin site included (it names its own form otherwise).
        return resolve_url(settings.LOGIN_URL)

    def process_view(self, request, view_func, view_args, view_kwargs):
        view_class = getattr(view_func, "cls", None)
        if isinstance(view_class, type) and issubclass(view_class, APIView):
            return None  # Django REST framework authenticates: a token, or a verified session; 401 otherwise
        response = super().process_view(request, view_func, view_args, view_kwargs)
        if response is not None or not getattr(view_func, "login_required", True):
            return response
        if getattr(view_func, "otp_not_required", False) or request.user.is_verified():
            return None
        return redirect_to_login(request.get_full_path(), resolve_url("welcoming:verify"))


class SecurityHeadersMiddleware:
    """What Django's own security middleware does not send, on every answer (static files included):

    - Permissions-Policy: no page needs the camera, the microphone, the location or payment, so none may ask;
    - Cache-Control: no-store on what a signed-in person is shown, so no shared or back-button cache keeps a
      record after sign-out (CJIS and ASVS 8.2.1), unless the view chose its own caching.
    """

    PERMISSIONS_POLICY = ", ".join(
        f"{feature}=()"
        for feature in [
            "accelerometer",
            "camera",
            "geolocation",
            "gyroscope",
            "magnetometer",
            "microphone",
            "payment",
            "usb",
        ]
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", self.PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "Cache-Control" not in response:
            response["Cache-Control"] = "no-store"
        return response


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's, and a link may name the reader's language (`?lang=es`): the poster's QR code in Spanish opens the
    form in Spanish on a phone set to English, and the pages after it stay in Spanish (the same cookie the
    language switch sets)."""

    def process_request(self, request):
        super().process_request(request)
        if (chosen := request.GET.get("lang", "")) in dict(settings.LANGUAGES):
            translation.activate(chosen)
            request.LANGUAGE_CODE = request._linked_language = chosen

    def process_response(self, request, response):
        response = super().process_response(request, response)
        if chosen := getattr(request, "_linked_language", ""):
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                chosen,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response


class RefuseNulCharacterMiddleware:
    """No text anyone types holds a NUL character, and PostgreSQL refuses to store or compare one (a 500 from a
    search box given %00): an address that carries one is refused as a bad request before any view reads it.
    (Form and API fields refuse it themselves, beside the field.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any("\x00" in key + "".join(values) for key, values in request.GET.lists()):
            raise BadRequest(_("The address holds a NUL character, which no text has."))
        return self.get_response(request)


class RequestBodyLimitMiddleware:
    """Refuse a request whose declared body is over its view's limit (`body_limit`) with 413, from its
    Content-Length, before anything reads the body: a 200 MB post costs a header and a refusal, not 200 MB read
    and then refused. (The proxy in front caps bodies too; README, "Production".)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        marked = view_func if hasattr(view_func, "body_limit") else getattr(view_func, "cls", None)
        limit = getattr(marked, "body_limit", DEFAULT_BODY_LIMIT)
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0  # as Django reads it: no body
        if declared <= limit:
            return None
        counts_toward = getattr(marked, "body_limit_counts_toward", None)
        if counts_toward:
            scope, window = counts_toward
            rate_limits.hit(scope, rate_limits.client_address(request), window=window)
        message = _("This is more than this page accepts (%(size)s MB at most). Send smaller or fewer files.") % {
            "size": limit // 1_048_576 or 1
        }
        if request.path.startswith(API_PREFIX):
            return JsonResponse({"detail": str(message)}, status=413)
        return render(request, "413.html", {"message": message}, status=413)
