"""Signing in (password, then one-time code), enrolling an authenticator app, and API tokens."""

import io

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.views import LoginView
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import user_has_device

from welcoming import selectors
from welcoming.accounts import (
    api_token_issue,
    api_token_revoke,
    otp_enrolment_confirm,
    otp_enrolment_start,
    password_changed,
)
from welcoming.forms import ApiTokenForm, EnrolmentForm, OneTimeCodeForm, SignInForm
from welcoming.middleware import otp_not_required
from welcoming.signin import session_verified, signin_address_blocked, signin_address_failed, signin_code_check


class SignInView(LoginView):
    template_name = "accounts/login.html"
    authentication_form = SignInForm

    def post(self, request, *args, **kwargs):
        if signin_address_blocked(request=request):
            return _throttled_response(request)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        signin_address_failed(request=self.request)
        return super().form_invalid(form)


def _next_url(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("welcoming:home")


def _with_next(url_name: str, request) -> str:
    return f"{reverse(url_name)}?{urlencode({'next': _next_url(request)})}"


def _throttled_response(request):
    return render(request, "accounts/throttled.html", status=429)


@otp_not_required
@never_cache
def verify(request):
    """Second step of signing in: the code from the authenticator app (or a recovery code)."""
    if request.user.is_verified():
        return redirect(_next_url(request))
    if not user_has_device(request.user):
        return redirect(_with_next("welcoming:enrol", request))
    form = OneTimeCodeForm(request.POST or None)
    if request.method == "POST":
        if signin_address_blocked(request=request):
            return _throttled_response(request)
        if form.is_valid():
            outcome = signin_code_check(request=request, code=form.cleaned_data["code"])
            if outcome == "ok":
                return redirect(_next_url(request))
            if outcome == "locked":
                logout(request)
                return render(request, settings.AXES_LOCKOUT_TEMPLATE, status=429)
            form.add_error(
                "code",
                "That code is wrong or was already used. Codes change every 30 seconds; "
                "wait for a new one and try again.",
            )
    return render(request, "accounts/verify.html", {"form": form, "next": _next_url(request)})


@otp_not_required
@never_cache
def enrol(request):
    """First sign-in (or after an administrator's reset): set up an authenticator app."""
    if user_has_device(request.user):
        return redirect(_with_next("welcoming:verify", request))
    device = otp_enrolment_start(user=request.user)
    form = EnrolmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            recovery_codes = otp_enrolment_confirm(device=device, code=form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            session_verified(request=request, device=device)
            return render(
                request,
                "accounts/recovery_codes.html",
                {"recovery_codes": recovery_codes, "next": _next_url(request)},
            )
    secret = selectors.totp_secret_base32(device)
    return render(request, "accounts/enrol.html", {"form": form, "secret": secret, "next": _next_url(request)})


@otp_not_required
@never_cache
def enrol_qr(request):
    """The QR code of the device being set up, as SVG (an image file, so the page needs no inline markup)."""
    if user_has_device(request.user):
        return HttpResponse(status=404)
    device = otp_enrolment_start(user=request.user)
    svg = io.BytesIO()
    segno.make(device.config_url, error="m").save(svg, kind="svg", scale=5, dark="#1b1b1b", title="QR code")
    return HttpResponse(svg.getvalue(), content_type="image/svg+xml")


@never_cache
def tokens(request):
    """The user's API tokens: issue one (its key shown once), see when each expires, revoke."""
    form = ApiTokenForm(request.POST or None)
    issued_key = None
    if request.method == "POST" and form.is_valid():
        token, issued_key = api_token_issue(
            user=request.user, name=form.cleaned_data["name"], lifetime=settings.API_TOKEN_LIFETIME
        )
        form = ApiTokenForm()
    now = timezone.now()
    return render(
        request,
        "accounts/tokens.html",
        {
            "form": form,
            "issued_key": issued_key,
            "tokens": [(token, token.status(now)) for token in selectors.api_tokens_of(user=request.user)],
            "lifetime_days": settings.API_TOKEN_LIFETIME.days,
        },
    )


@require_POST
def token_revoke(request, pk):
    token = selectors.api_token_of(user=request.user, pk=pk)
    api_token_revoke(token=token)
    messages.success(request, f"Token “{token.name}” was revoked. Programs using it are refused from now on.")
    return redirect("welcoming:tokens")


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("welcoming:password-change-done")

    def form_valid(self, form):
        response = super().form_valid(form)
        password_changed(user=self.request.user, by=self.request.user)
        return response


# Signing out must work from the one-time-code page too, before the session is verified.
sign_out = otp_not_required(auth_views.LogoutView.as_view())
