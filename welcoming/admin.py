from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from welcoming import services
from welcoming.models import ApiToken

User = get_user_model()
admin.site.unregister(User)
admin.site.unregister(Group)
# The administrator resets a user's authenticator (an action on the user) but never sees its secret or the
# recovery codes, which django-otp's own admin pages would show.
admin.site.unregister(TOTPDevice)
admin.site.unregister(StaticDevice)


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    """Users and their roles. No superuser or per-user permission fields: roles come from the permission table."""

    list_display = ["username", "first_name", "last_name", "email", "role_list", "is_active", "last_login"]
    list_filter = ["groups", "is_active"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        ("Person", {"fields": ["first_name", "last_name", "email"]}),
        (
            "Access",
            {
                "fields": ["is_active", "groups"],
                "description": "Roles decide what a user may see and do (DESIGN.md section 1).",
            },
        ),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    readonly_fields = ["last_login", "date_joined"]
    filter_horizontal = ["groups"]
    actions = ["reset_one_time_password", "unlock"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description="Roles")
    def role_list(self, user):
        return ", ".join(sorted(group.name for group in user.groups.all())) or "—"

    @admin.action(
        description="Reset the authenticator app (the user sets up a new one at next sign-in)",
        permissions=["change"],
    )
    def reset_one_time_password(self, request, queryset):
        for user in queryset:
            services.otp_reset(user=user)
        messages.success(request, f"Reset the authenticator app of {queryset.count()} user(s).")

    @admin.action(description="Unlock after too many failed sign-ins", permissions=["change"])
    def unlock(self, request, queryset):
        for user in queryset:
            services.account_unlock(user=user)
        messages.success(request, f"Unlocked {queryset.count()} user(s).")


@admin.register(Group)
class RoleAdmin(admin.ModelAdmin):
    """Roles are read-only here: they are defined in code (welcoming/roles.py) and synced at every migrate."""

    list_display = ["name"]
    filter_horizontal = ["permissions"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "key_prefix", "created_at", "expires_at", "revoked_at", "last_used_at"]
    list_filter = ["revoked_at"]
    list_select_related = ["user"]
    search_fields = ["name", "user__username", "key_prefix"]
    fields = list_display
    readonly_fields = list_display
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False  # tokens are issued by their owner, from a verified session

    @admin.action(description="Revoke the selected tokens", permissions=["change"])
    def revoke(self, request, queryset):
        for token in queryset:
            services.api_token_revoke(token=token)
        messages.success(request, f"Revoked {queryset.count()} token(s).")
