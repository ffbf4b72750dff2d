"""The app's URLs, plus two yardsticks that exist only in the benchmark:

- `bench-admin/`: Django's own admin changelists over the same records the app's lists show (the real admin site
  holds no person-level records, on purpose), each with the columns of the app's list and its related rows joined;
- `bench-floor/`: a bare view rendering a trivial template, through the same middleware (the framework's floor);
- `bench-shell/`: the app's page with nothing in it, as a signed-in member of staff sees it (the app's own floor).
"""

from django.contrib import admin
from django.http import HttpResponse
from django.template import engines
from django.urls import path

from certifications.models import UVisaRequest
from complaints.models import Complaint
from config.urls import urlpatterns as app_urlpatterns
from detainers.models import Custody, Detainer, InformationRequest, Person, Reimbursement
from traffic.models import UnlicensedDriverStop
from welcoming.models import Finding


class BenchAdminSite(admin.AdminSite):
    def has_permission(self, request):
        return request.user.is_active and request.user.is_superuser


class BenchModelAdmin(admin.ModelAdmin):
    """Read-only for the benchmark's superuser: the app's own backend gives a superuser no permission (its roles
    alone decide), so Django's admin is told here who may read its changelists."""

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


bench_admin = BenchAdminSite(name="bench_admin")
# The columns each of the app's lists shows, its page size, and its search, as Django's admin would do them
# (no second full count: the app's lists count once).
ADMINS = {
    Detainer: (
        ["form", "custody", "lodged_at", "copy_served_at", "response"],
        ["custody__person"],
        ["custody__person__full_name", "=custody__booking_number", "=federal_reference"],
    ),
    Custody: (
        ["person", "booking_number", "booked_at", "released_at", "transferred_to_ice_at"],
        ["person"],
        ["person__full_name", "=booking_number"],
    ),
    Person: (["full_name", "department_id", "date_of_birth"], [], ["full_name", "=department_id"]),
    Complaint: (
        ["tracking_code", "received_at", "stage", "department", "investigation_due_on"],
        [],
        ["complainant_name", "people__name", "=tracking_code"],
    ),
    Finding: (["section", "severity", "status", "occurred_at", "message"], [], []),
    UVisaRequest: (["requester_name", "victim", "received_on", "due_on", "decision"], ["victim"], []),
    UnlicensedDriverStop: (["stopped_at", "place", "officer_name", "action"], [], []),
    InformationRequest: (["agency", "custody", "received_at", "answered_at"], ["custody__person"], []),
    Reimbursement: (["amount", "received_on", "program", "case_label"], [], []),
}
# A filter across a relation must be declared to the admin before its address may carry it.
FILTERS = {Detainer: ["reasons__code"]}
for model, (columns, joined, search) in ADMINS.items():
    options = {
        "list_display": columns,
        "list_select_related": joined or False,
        "search_fields": search,
        "list_filter": FILTERS.get(model, []),
        "list_per_page": 25,
        "show_full_result_count": False,
    }
    bench_admin.register(model, type(f"{model.__name__}BenchAdmin", (BenchModelAdmin,), options))

FLOOR = engines["django"].from_string('<!DOCTYPE html><html lang="en"><title>Floor</title><p>{{ greeting }}</p></html>')


def floor(request):
    return HttpResponse(FLOOR.render({"greeting": "Hello"}))  # no request: none of the app's context processors


SHELL = engines["django"].from_string('{% extends "base.html" %}{% block title %}Shell{% endblock %}')


def shell(request):
    """The app's page around nothing: the header, the menu, the unread badge and the municipality's words that
    every staff page carries (the context processors), so a page's own cost is its time less this one's."""
    return HttpResponse(SHELL.render({}, request))


urlpatterns = [
    path("bench-admin/", bench_admin.urls),
    path("bench-floor/", floor),
    path("bench-shell/", shell),
    *app_urlpatterns,
]
