"""The public pages (no sign-in, in the app's languages): the docket with its report PDFs, and the figures by
period. Drawn only from reports that are signed, not superseded and docketed; nothing personal, ever."""

from django.contrib.auth.decorators import login_not_required
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from reports import selectors


@login_not_required
@require_GET
def docket(request):
    return render(request, "reports/public/docket.html", {"items": selectors.public_docket()})


@login_not_required
@require_GET
def docket_pdf(request, number):
    """The paper on the docket: the signed report's PDF, or the earlier report as filed."""
    item = selectors.docket_item(number)
    if item.report_id:
        stored, name = item.report.pdf, f"docket-{item.number}-report.pdf"
    elif item.paper_report:
        stored, name = item.paper_report, f"docket-{item.number}.pdf"
    else:
        raise Http404("No paper for this item.")
    return FileResponse(stored.open("rb"), as_attachment=True, filename=name, content_type="application/pdf")


@login_not_required
@require_GET
def figures(request):
    return render(request, "reports/public/figures.html", selectors.public_figures())
