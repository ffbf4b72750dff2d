"""The records clerk's screens for unlicensed-driver stops: thin views over `traffic.services` and `.selectors`."""

from functools import partial

from django.contrib.auth.decorators import permission_required
from django.shortcuts import render
from django.utils import timezone

from traffic import forms, selectors, services
from welcoming import views_support
from welcoming.audit import audit_view
from welcoming.local_time import when
from welcoming.models import Finding
from welcoming.selectors import attachments_of

PAGE_SIZE = 25
can_view = permission_required(selectors.VIEW, raise_exception=True)
form_submit = partial(views_support.form_submit, template="records/form.html")


@can_view
def stop_list(request):
    filters = forms.FilterForm(request.GET or None)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    stops = selectors.stops_search(user=request.user, query=request.GET.get("q", ""), **chosen)
    page = views_support.page_seen(request, stops, PAGE_SIZE)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "traffic/list.html",
        {
            "page": page,
            "filters": filters,
            "search": request.GET.get("q", ""),
            "query": query.urlencode(),
            "may_log": request.user.has_perm(services.CHANGE),
        },
        status=views_support.filters_status(filters),
    )


@permission_required(services.CHANGE, raise_exception=True)
def stop_new(request):
    now = timezone.localtime().replace(second=0, microsecond=0, tzinfo=None)
    return form_submit(
        request,
        forms.StopForm(request.POST or None, initial={"stopped_at": now}),
        save=lambda data: services.stop_create(by=request.user, **data),
        message="Stop recorded.",
        then=lambda stop: stop.get_absolute_url(),
        context={"title": "Record an unlicensed-driver stop", "back": "/traffic/"},
    )


@can_view
def stop_detail(request, pk):
    stop = selectors.stop_for(user=request.user, pk=pk)
    audit_view(user=request.user, record=stop)
    facts = [
        ("Stopped at", when(stop.stopped_at)),
        ("Where", stop.place),
        ("Officer", f"{stop.officer_name}" + (f", badge {stop.officer_badge}" if stop.officer_badge else "")),
        ("Another arrestable violation", stop.other_violation if stop.other_arrestable_violation else "None"),
        ("Action", stop.get_action_display()),
        ("Why not a summons", stop.custody_reason),
        ("Chance to call a licensed driver", "Offered" if stop.licensed_driver_offered else "Not offered"),
        ("Licensed driver came", "Yes" if stop.licensed_driver_arrived else "No"),
        ("Vehicle impounded", "Yes" if stop.vehicle_impounded else "No"),
        ("Notes", stop.notes),
    ]
    return render(
        request,
        "records/detail.html",
        {
            "title": f"Unlicensed-driver stop, {stop.place}",
            "record": stop,
            "facts": facts,
            "findings": Finding.objects.of_record(stop).order_by("-opened_at"),
            "files": attachments_of(stop),
            "history": stop.history.select_related("history_user").order_by("-history_date")[:30],
        },
    )
