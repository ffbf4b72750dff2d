"""The sign-in backend: it hands every request an `Account` and reads permissions from the roles (and any
permission given to the user directly) alone. Django's own backend gives a superuser every permission; this one
holds a superuser to its roles like anyone else (DESIGN.md section 1)."""

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission

from welcoming.acting import is_system_actor
from welcoming.models import Account


class AccountBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        user = super().authenticate(request, username=username, password=password, **kwargs)
        return None if user is None else Account.objects.get(pk=user.pk)

    def get_user(self, user_id):
        account = Account.objects.filter(pk=user_id).first()
        return account if account is not None and self.user_can_authenticate(account) else None

    def user_can_authenticate(self, user):
        # A system actor acts for the scheduler or a command; no one signs in as it, whatever its password.
        return super().user_can_authenticate(user) and not is_system_actor(user)

    def get_user_permissions(self, user_obj, obj=None):
        return self._granted(user_obj, obj, "_user_perm_cache", Permission.objects.filter(user=user_obj))

    def get_group_permissions(self, user_obj, obj=None):
        return self._granted(user_obj, obj, "_group_perm_cache", Permission.objects.filter(group__user=user_obj))

    def get_all_permissions(self, user_obj, obj=None):
        return self.get_user_permissions(user_obj, obj) | self.get_group_permissions(user_obj, obj)

    @staticmethod
    def _granted(user_obj, obj, cache_name: str, permissions) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, cache_name):
            rows = permissions.values_list("content_type__app_label", "codename").order_by()
            setattr(user_obj, cache_name, {f"{app_label}.{codename}" for app_label, codename in rows})
        return getattr(user_obj, cache_name)
