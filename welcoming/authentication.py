"""API authentication: a bearer token, or a browser session that has passed its one-time code."""

from axes.handlers.proxy import AxesProxyHandler
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from welcoming.accounts import api_token_mark_used
from welcoming.selectors import api_token_for_key


class VerifiedSessionAuthentication(authentication.SessionAuthentication):
    """The browser session, but only once the one-time code was entered; a password-only session is anonymous."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None or not result[0].is_verified():
            return None
        return result


class ExpiringTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer <key>`; expired and revoked tokens are refused with a clear 401."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1").split()
        if not header or header[0] != self.keyword:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Malformed Authorization header: use 'Bearer <token>'.")
        token = api_token_for_key(header[1])
        if token is None:
            raise exceptions.AuthenticationFailed("Invalid token.")
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed("This token was revoked.")
        if token.expires_at <= timezone.now():
            raise exceptions.AuthenticationFailed("This token has expired. Issue a new one from your account page.")
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed("This account is inactive.")
        if AxesProxyHandler.is_locked(request._request, {"username": token.user.get_username()}):
            raise exceptions.AuthenticationFailed("This account is locked after repeated failed sign-ins.")
        api_token_mark_used(token=token)
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword


class ExpiringTokenScheme(OpenApiAuthenticationExtension):
    target_class = ExpiringTokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "An API token from your account page."}


class VerifiedSessionScheme(OpenApiAuthenticationExtension):
    target_class = VerifiedSessionAuthentication
    name = "cookieAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "cookie",
            "name": "sessionid",
            "description": "A signed-in browser session that has passed its one-time code.",
        }
