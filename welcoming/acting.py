"""Who may act. Every service is told who acts (`by`): a person's account, or for a non-human caller (the
scheduler, a command, an import) a named system actor. Each checks what the permission table grants through
`require`, which refuses with one error everywhere: PermissionDenied, with a sentence saying who may."""

from functools import wraps

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied

from welcoming.models import Account
from welcoming.roles import SystemActor

SYSTEM_USERNAME_PREFIX = "system-"


def system_username(actor: SystemActor) -> str:
    return f"{SYSTEM_USERNAME_PREFIX}{actor.value}"


def people(accounts):
    """These accounts less the system actors: who signs in, is counted, is told, or was set up by a person."""
    return accounts.exclude(username__startswith=SYSTEM_USERNAME_PREFIX)


def system_group_name(actor: SystemActor) -> str:
    return f"System: {actor.label}"


def system_actor(actor: SystemActor) -> Account:
    """The account `actor` acts as, made on first use: no password anyone knows, no second factor, and refused by
    the sign-in backend, so it cannot sign in; its group holds only what `roles.SYSTEM_PERMISSIONS` grants it."""
    account, created = Account.objects.get_or_create(
        username=system_username(actor),
        defaults={"first_name": actor.label, "password": make_password(None)},
    )
    if created:
        account.groups.set(Group.objects.filter(name=system_group_name(actor)))
    return account


def is_system_actor(user) -> bool:
    """By its name alone, so a password someone gave it later cannot turn it into an account one signs in to."""
    return bool(user) and user.get_username().startswith(SYSTEM_USERNAME_PREFIX)


class _Public:
    """A member of the public at the complaint form: no account and no capability, so the complaint, its files
    and its timeline name no one (an anonymous complaint must stay anonymous)."""

    pk = None
    is_authenticated = False

    def has_perm(self, perm, obj=None) -> bool:
        return False

    def get_username(self) -> str:
        return ""


PUBLIC = _Public()


def account_of(by):
    """Who to record as a record's author and in its history: the account, or no one for the public."""
    known(by)
    return None if by is PUBLIC else by


def known(by) -> None:
    if by is None:
        raise ValueError("A service must be told who acts: pass the user, or a system actor (welcoming.acting).")


def require(by, *permissions: str, message: str) -> None:
    """Refuse unless `by` holds one of `permissions`. A service called without knowing who acts is a programming
    error, never a silent pass."""
    known(by)
    if not any(by.has_perm(permission) for permission in permissions):
        raise PermissionDenied(message)


def require_that(allowed: bool, message: str) -> None:
    """For a check that depends on the record as well as the capability (whose complaint, whose record)."""
    if not allowed:
        raise PermissionDenied(message)


def requires(*permissions: str, message: str):
    """`require` on a service's `by`, before it runs."""

    def decorate(service):
        @wraps(service)
        def checked(*args, **kwargs):
            require(kwargs.get("by"), *permissions, message=message)
            return service(*args, **kwargs)

        return checked

    return decorate
