"""Reads about unlicensed-driver stops: the police side sees them; the report's supplement lines."""

from django.db.models import Count, Q
from django.http import Http404

from traffic.models import UnlicensedDriverStop
from welcoming import supplement
from welcoming.models import Finding
from welcoming.periods import Window

VIEW = "welcoming.view_police_records"


def stops_for(*, user):
    return UnlicensedDriverStop.objects.all() if user.has_perm(VIEW) else UnlicensedDriverStop.objects.none()


def stop_for(*, user, pk) -> UnlicensedDriverStop:
    stop = stops_for(user=user).filter(pk=pk).first()
    if stop is None:
        raise Http404("No such stop.")
    return stop


def stops_search(*, user, query: str = "", action: str = "", impounded: bool = False, with_findings: bool = False):
    stops = stops_for(user=user)
    if query := query.strip():
        stops = stops.filter(
            Q(place__icontains=query) | Q(officer_name__icontains=query) | Q(officer_badge__iexact=query)
        )
    if action:
        stops = stops.filter(action=action)
    if impounded:
        stops = stops.filter(vehicle_impounded=True)
    if with_findings:
        open_ids = Finding.objects.unresolved().filter(record_type="traffic.unlicenseddriverstop").values("record_id")
        stops = stops.filter(pk__in=open_ids)
    return stops


def supplement_lines(window: Window) -> list[supplement.Line]:
    """Stops in the period by action, impoundments, and the 2(f) findings about them. Two queries."""
    stops = UnlicensedDriverStop.objects.active().filter(
        stopped_at__gte=window.starts_at, stopped_at__lt=window.ends_at
    )
    counts = stops.aggregate(
        total=Count("pk"),
        impounded=Count("pk", filter=Q(vehicle_impounded=True)),
        **{value: Count("pk", filter=Q(action=value)) for value in UnlicensedDriverStop.Action.values},
    )
    findings = (
        Finding.objects.filter(record_type="traffic.unlicenseddriverstop", record_id__in=stops.values("pk"))
        .exclude(status=Finding.Status.CLOSED)
        .aggregate(
            violations=Count("pk", filter=Q(severity=Finding.Severity.VIOLATION)),
            warnings=Count("pk", filter=Q(severity=Finding.Severity.WARNING)),
        )
    )
    return [
        supplement.Line("stops", "Stops of drivers without a license", counts["total"]),
        *(
            supplement.Line(f"action_{value}", f"Ended in a {label.lower()}", counts[value])
            for value, label in UnlicensedDriverStop.Action.choices
        ),
        supplement.Line("impounded", "Vehicles impounded", counts["impounded"]),
        supplement.Line("violations", "Violations of 2(f) found", findings["violations"]),
        supplement.Line("warnings", "Warnings under 2(f)", findings["warnings"]),
    ]
