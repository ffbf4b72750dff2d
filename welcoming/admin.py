import csv

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import StreamingHttpResponse
from django.urls import path
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from welcoming.accounts import (
    account_superuser_remove,
    account_unlock,
    api_token_revoke,
    otp_reset,
    password_changed,
    staff_roles_changed,
)
from welcoming.audit import audit_export
from welcoming.models import ApiToken, AuditEntry, LocalHoliday, Municipality
from welcoming.municipality import PERIOD_SETTINGS, municipality_check, municipality_configure
from welcoming.periods import periods_moved
from welcoming.spreadsheets import csv_safe

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
    list_filter = ["groups", "is_active", "is_superuser"]
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
    actions = ["reset_one_time_password", "unlock", "remove_superuser"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    def get_readonly_fields(self, request, obj=None):
        # Nobody changes their own roles or switches their own account off: that takes a second administrator.
        if obj is not None and obj.pk == request.user.pk:
            return [*self.readonly_fields, "groups", "is_active"]
        return self.readonly_fields

    def log_change(self, request, obj, message):
        super().log_change(request, obj, message)
        if request.resolver_match.url_name == "auth_user_password_change":
            # An administrator set this user's password: their API tokens are revoked and they are told.
            password_changed(user=obj, by=request.user)

    def save_related(self, request, form, formsets, change):
        before = {group.name for group in form.instance.groups.all()} if change else set()
        super().save_related(request, form, formsets, change)
        after = {group.name for group in form.instance.groups.all()}
        if change:
            staff_roles_changed(user=form.instance, by=request.user, before=before, after=after)

    @admin.display(description="Roles")
    def role_list(self, user):
        return ", ".join(sorted(group.name for group in user.groups.all())) or "—"

    @admin.action(
        description="Reset the authenticator app (the user sets up a new one at next sign-in)",
        permissions=["change"],
    )
    def reset_one_time_password(self, request, queryset):
        for user in queryset:
            otp_reset(user=user, by=request.user)
        messages.success(request, f"Reset the authenticator app of {queryset.count()} user(s).")

    @admin.action(description="Remove the Django superuser flag", permissions=["change"])
    def remove_superuser(self, request, queryset):
        for user in queryset:
            account_superuser_remove(user=user, by=request.user)
        messages.success(request, f"No superuser flag left on {queryset.count()} user(s).")

    @admin.action(description="Unlock after too many failed sign-ins", permissions=["change"])
    def unlock(self, request, queryset):
        for user in queryset:
            account_unlock(user=user)
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
            api_token_revoke(token=token)
        messages.success(request, f"Revoked {queryset.count()} token(s).")


class LocalHolidayInline(admin.TabularInline):
    model = LocalHoliday
    extra = 1
    fields = ["name", "month", "day"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    """The one profile. Saved through the service, which checks the first tracked period is a real period."""

    inlines = [LocalHolidayInline]
    fieldsets = [
        (
            "The place",
            {
                "fields": [
                    "name",
                    "kind",
                    "instrument",
                    "instrument_number",
                    "date_of_passage",
                    "first_tracked_period_start",
                    "time_zone",
                ]
            },
        ),
        (
            "Offices and titles",
            {
                "fields": [
                    "police_department_name",
                    "police_mailing_address",
                    "chief_title",
                    "chief_name",
                    "clerk_title",
                    "executive_title",
                    "committee_name",
                    "complaints_office",
                    "complaints_office_phone",
                    "complaints_office_address",
                    "complaints_office_web",
                    "complaints_office_days",
                    "complaints_office_opens",
                    "complaints_office_closes",
                    "town_hall_phone",
                ]
            },
        ),
        (
            "Deadlines",
            {
                "fields": [
                    "detainer_copy_hours",
                    "u_visa_decision_days",
                    "u_visa_expedited_days",
                    "u_visa_warning_days",
                    "complaint_acknowledgement_business_days",
                    "post_forwarding_business_days",
                    "investigation_days",
                    "report_due_days",
                ]
            },
        ),
        ("Privacy", {"fields": ["retention_years"]}),
    ]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not Municipality.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        before = {name: form.initial.get(name) for name in PERIOD_SETTINGS}
        municipality = municipality_configure(by=request.user, **form.cleaned_data)
        obj.pk = municipality.pk
        if change and (moved := periods_moved(before, {name: getattr(municipality, name) for name in before})):
            messages.warning(request, moved)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)

        class ProfileForm(form):
            def clean(self):
                # The service's own checks, so that a refusal shows beside its field instead of failing the save.
                cleaned = super().clean()
                if not self.errors:
                    try:
                        municipality_check(**cleaned)
                    except ValidationError as error:
                        self.add_error(None, error)
                return cleaned

        return ProfileForm


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: nobody edits or deletes the audit log. Searchable, filterable, and exported as filtered."""

    list_display = ["at", "username", "action", "record_type", "record_id", "field_list"]
    list_filter = ["action", "record_type", ("user", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["username", "record_type", "=record_id"]
    date_hierarchy = "at"
    list_per_page = 50
    # The changelist's "show all" must not try to render the whole log.
    list_max_show_all = 500
    fields = ["at", "user", "username", "action", "record_type", "record_id", "fields", "previous_hash", "entry_hash"]
    readonly_fields = fields
    EXPORT_COLUMNS = ["id", "at", "username", "action", "record_type", "record_id", "fields", "entry_hash"]

    def get_search_results(self, request, queryset, search_term):
        """A record's id finds, besides its own entries, the lists and exports that named it among others."""
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        term = search_term.strip()
        if term.isdigit():
            results = results | queryset.filter(AuditEntry.naming(term))
        return results, may_have_duplicates

    @admin.display(description="Fields")
    def field_list(self, entry):
        return ", ".join(entry.fields)

    def get_urls(self):
        export = path("export.csv", self.admin_site.admin_view(self.export_view), name="welcoming_auditentry_export")
        return [export, *super().get_urls()]

    def export_view(self, request):
        """The entries the changelist shows (same search, filters and dates), every page of them, as CSV."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        entries = self.get_changelist_instance(request).get_queryset(request).order_by("id")
        audit_export(user=request.user, record_type=AuditEntry._meta.label_lower)
        response = StreamingHttpResponse(self._csv_rows(entries), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="audit-log.csv"'
        return response

    def _csv_rows(self, entries):
        buffer = _Echo()
        writer = csv.writer(buffer)
        yield writer.writerow(self.EXPORT_COLUMNS)
        for entry in entries.iterator(chunk_size=2000):
            row = [entry.pk, entry.at.isoformat(), entry.username, entry.action, entry.record_type, entry.record_id]
            yield writer.writerow([csv_safe(cell) for cell in [*row, " ".join(entry.fields), entry.entry_hash]])

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class _Echo:
    """A file-like object whose write returns the line, for streaming csv.writer's output."""

    def write(self, value):
        return value
