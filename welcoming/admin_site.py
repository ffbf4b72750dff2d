"""The admin site: the administrator's only (users and roles, tokens, lockouts; later the profile and audit log)."""

from functools import update_wrapper

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import reverse


class WelcomingAdminSite(admin.AdminSite):
    site_header = "Welcoming Community — administration"
    site_title = "Administration"
    index_title = "Users, roles and settings"

    def has_permission(self, request):
        user = request.user
        return user.is_active and user.is_verified() and user.has_perm("welcoming.administer")

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        def guarded(request, *args, **kwargs):
            # Signed in but not the administrator: a plain 403, not a second sign-in form.
            if request.user.is_authenticated and request.user.is_verified() and not self.has_permission(request):
                raise PermissionDenied
            return inner(request, *args, **kwargs)

        return update_wrapper(guarded, inner)

    def login(self, request, extra_context=None):
        # One sign-in for everyone: the site's own, with its one-time code and lockout.
        if request.user.is_authenticated and request.user.is_verified():
            raise PermissionDenied
        return redirect_to_login(request.GET.get("next", reverse("admin:index")), reverse("welcoming:login"))
