"""The core's pages: the landing page, the health check and the friendly error pages."""

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from welcoming.selectors import user_roles


def home(request):
    """Where every signed-in person lands; each role's own dashboard arrives with its features."""
    return render(request, "welcoming/home.html", {"roles": user_roles(request.user)})


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


@login_not_required
def csrf_failure(request, reason=""):
    # Usually a form left open past the idle timeout: say so instead of Django's technical page.
    return render(request, "403_csrf.html", status=403)
