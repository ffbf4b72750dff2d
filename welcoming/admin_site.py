"""The admin site: the administrator's only (users and roles, tokens, lockouts; later the profile and audit log)."""

from functools import update_wrapper

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme


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
            # StaffAccessMiddleware has already sent strangers to sign in; a signed-in, verified user who is
            # not the administrator gets a plain 403 rather than Django's second sign-in form.
            if not self.has_permission(request):
                raise PermissionDenied
            return inner(request, *args, **kwargs)

        return update_wrapper(guarded, inner)

    def login(self, request, extra_context=None):
        # One sign-in for everyone: the site's own, with its one-time code and lockout.
        if request.user.is_authenticated and request.user.is_verified():
            if self.has_permission(request):
                target = request.GET.get("next", "")
                safe = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
                return redirect(target if safe else reverse("admin:index"))
            raise PermissionDenied
        return redirect_to_login(request.GET.get("next", reverse("admin:index")), reverse("welcoming:login"))
