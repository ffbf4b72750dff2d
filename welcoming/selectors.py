"""Reads of the core."""

import base64

from django.http import Http404

from welcoming.models import ApiToken
from welcoming.roles import Role


def user_roles(user) -> list[Role]:
    """The roles a signed-in user holds, in the order of the table (prefetched groups are used when present)."""
    if not user.is_authenticated:
        return []
    labels = {group.name for group in user.groups.all()}
    return [role for role in Role if role.label in labels]


def api_tokens_of(*, user):
    return ApiToken.objects.of_user(user)


def api_token_of(*, user, pk) -> ApiToken:
    """One of the user's own tokens; another user's token is as missing as one that never existed."""
    token = ApiToken.objects.of_user(user).filter(pk=pk).first()
    if token is None:
        raise Http404("No such token.")
    return token


def totp_secret_base32(device) -> str:
    """The device's secret as an authenticator app takes it when typed in by hand, in groups of four."""
    secret = base64.b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
