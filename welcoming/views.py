"""The core's pages: dashboards, the ordinance, findings, notifications, the health check and error pages."""

import sys
from datetime import timedelta

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import FileResponse, Http404, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import defaults as error_pages
from django.views import i18n as i18n_views
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from welcoming import dashboards, facts, selectors, views_support
from welcoming import findings as findings_engine
from welcoming.audit import audit_view
from welcoming.forms import FindingActionForm, FindingFilterForm
from welcoming.models import Finding
from welcoming.notifications import notification_mark_read, notifications_mark_all_read

PAGE_SIZE = 25


def home(request):
    """Each role's dashboard, one section per role the user holds."""
    roles = selectors.user_roles(request.user)
    return render(
        request, "welcoming/home.html", {"roles": roles, "sections": dashboards.sections_for(request.user, roles)}
    )


def ordinance(request):
    """The ordinance clause by clause, in the municipality's words."""
    municipality = selectors.municipality_get()
    return render(request, "welcoming/ordinance.html", {"clauses": selectors.ordinance_clauses(municipality)})


@permission_required("welcoming.view_findings", raise_exception=True)
def findings(request):
    form = FindingFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {"status": "unresolved"}
    findings = selectors.findings_for(user=request.user, **{k: v for k, v in filters.items() if v})
    page = views_support.page_seen(request, findings, PAGE_SIZE)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "welcoming/findings.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "now": timezone.now(),
            "by_clause": selectors.findings_by_clause(user=request.user),
        },
        status=views_support.filters_status(form),
    )


@permission_required("welcoming.view_findings", raise_exception=True)
def closures(request):
    """Voids, dismissals and automatic closures: how violations left the queue, so none vanishes quietly."""
    days = 90
    since = timezone.now() - timedelta(days=days)
    return render(
        request, "welcoming/closures.html", {"days": days, **selectors.closures_since(user=request.user, since=since)}
    )


@permission_required("welcoming.view_findings", raise_exception=True)
def finding_detail(request, pk):
    finding = selectors.finding_for(user=request.user, pk=pk)
    audit_view(user=request.user, record=finding)
    return _finding_page(
        request,
        finding,
        form=FindingActionForm(),
        can_act=request.user.has_perm("welcoming.act_on_findings") and finding.status != Finding.Status.CLOSED,
    )


def _finding_page(request, finding, *, form, can_act, status=200):
    record = selectors.finding_record(finding)
    model = apps.get_model(finding.record_type) if record is not None else None
    return render(
        request,
        "welcoming/finding_detail.html",
        {
            "finding": finding,
            "record": record,
            "facts": facts.in_words(finding.facts, model) if model else list(finding.facts.items()),
            "form": form,
            "history": selectors.finding_history(finding),
            "can_act": can_act,
        },
        status=status,
    )


@permission_required("welcoming.act_on_findings", raise_exception=True)
@require_POST
def finding_act(request, pk):
    finding = selectors.finding_for(user=request.user, pk=pk)
    form = FindingActionForm(request.POST)
    if form.is_valid():
        action = form.cleaned_data["action"]
        try:
            findings_engine.finding_act(finding=finding, by=request.user, action=action, note=form.cleaned_data["note"])
        except ValidationError as error:
            form.add_error("note" if action == "dismiss" else None, error.messages[0])
        else:
            messages.success(request, f"Finding {finding.get_status_display().lower()}.")
            return redirect("welcoming:finding-detail", pk=finding.pk)
    return _finding_page(request, finding, form=form, can_act=True, status=400)


def attachment_download(request, pk):
    """Serve a file only to someone who may read its record; logged like any look at a person-level record."""
    attachment = selectors.attachment_for(user=request.user, pk=pk)
    if not attachment.file:
        raise Http404("This file was removed when the record's personal data was purged at retention.")
    audit_view(user=request.user, record=attachment)
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.download_name,
        content_type=attachment.content_type,
    )


def notifications(request):
    page = Paginator(selectors.notifications_of(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "welcoming/notifications.html", {"page": page})


@require_POST
def notification_open(request, pk):
    notification = selectors.notification_of(user=request.user, pk=pk)
    notification_mark_read(notification=notification)
    return redirect(notification.link or "welcoming:notifications")


@require_POST
def notifications_read_all(request):
    count = notifications_mark_all_read(user=request.user)
    messages.success(request, f"Marked {count} notification(s) as read.")
    return redirect("welcoming:notifications")


@login_not_required
@require_GET
@never_cache
def healthz(request):
    """200 when the database answers, 503 when it does not (for the load balancer and the scheduler)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def bad_request(request, exception):
    """Django's 400 page, saying what was wrong; under /api/, the same in JSON."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": str(exception) or "Bad request."}, status=400)
    return render(request, "400.html", {"message": str(exception)}, status=400)


def not_found(request, exception):
    """Django's 404 page, except under /api/: a program that asked for an address the API does not have (an id
    that is not a number, a mistyped path) gets JSON, as every other API answer, not an HTML page."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return error_pages.page_not_found(request, exception)


def server_error(request):
    """Django's 500 page, except when the database is out of reach: then 503 and "try again", on a page that needs
    no database. The connection that failed is closed when the request ends, so the next request reconnects by
    itself once the database is back."""
    if not _database_unreachable(sys.exc_info()[1]):
        return HttpResponseServerError(loader.render_to_string("500.html"))
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": str(UNAVAILABLE)}, status=503)
    else:
        response = HttpResponse(loader.render_to_string("503.html", {"message": UNAVAILABLE}), status=503)
    response["Retry-After"] = "30"
    return response


def _database_unreachable(error) -> bool:
    """A failure to reach the database (never connected, or the connection broke) or one PostgreSQL asks to retry,
    not a bug that happens to raise OperationalError (SQLite's "no such column" does): that one stays a 500."""
    if not isinstance(error, OperationalError | InterfaceError):
        return False
    # PostgreSQL's "try again" failures: a deadlock or serialization failure (class 40), a lock not granted in
    # time (55P03), a statement timeout (57014). The connection is fine, and so is the code.
    if str(getattr(error.__cause__, "pgcode", "") or "").startswith(("40", "55P03", "57014")):
        return True
    if connection.connection is None:
        return True
    try:
        return not connection.is_usable()
    except DatabaseError:
        return True


UNAVAILABLE = _(
    "The records database cannot be reached just now. Please try again in a minute; if you were saving "
    "something, look first whether it was saved. If it keeps happening, call the system administrator."
)


# The language switch serves public pages too, so it needs no sign-in.
set_language = login_not_required(i18n_views.set_language)


@login_not_required
def csrf_failure(request, reason=""):
    # Usually a form left open past the idle timeout: say so instead of Django's technical page.
    return render(request, "403_csrf.html", status=403)
