"""What every API endpoint shares: the error format, local-time parsing, permission classes."""

import re
from datetime import timedelta

import django_filters
from django import forms
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, pagination, permissions, serializers, throttling
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.utils import html

from welcoming import versions
from welcoming.audit import audit_list, audit_view
from welcoming.forms import PlausibleDateField
from welcoming.local_time import (
    LOCAL_MOMENT,
    PLAUSIBLE_DAY,
    PLAUSIBLE_MOMENT,
    in_repeated_hour,
    local_datetime,
    offset_needed,
    plausible,
)
from welcoming.rate_limits import client_address
from welcoming.selectors import municipality_get, town_zone

AMOUNT = re.compile(r"^[0-9]{1,10}(\.[0-9]{1,2})?$")


class RuleRefused(exceptions.ValidationError):
    """422: a request in the shape the schema gives, refused by the ordinance's rules or by the records as they
    stand (a detainer lodged before the booking, a record already void, an id no record has). A 400 means the
    request itself breaks the schema: a client can tell its own bug from a rule its user must meet."""

    status_code = 422


def _names_records_only(codes) -> bool:
    """Whether every error of a serializer is an id that names no record (DRF's `does_not_exist`)."""
    if isinstance(codes, dict):
        return all(_names_records_only(value) for value in codes.values())
    if isinstance(codes, list):
        return all(_names_records_only(value) for value in codes)
    return codes == "does_not_exist"


def exception_handler(exc, context):
    """The services' refusals become 422s with messages by field, like a serializer's 400s."""
    # Imported here: rest_framework.views asks for the throttle classes below as it loads, so importing it at the
    # top would load this module halfway when DRF first imports one of the classes its settings name.
    from rest_framework.views import exception_handler as drf_exception_handler

    if isinstance(exc, PreconditionFailed):
        return Response(exc.body, status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        exc = RuleRefused(detail)
    elif isinstance(exc, exceptions.ValidationError) and _names_records_only(exc.get_codes()):
        exc = RuleRefused(exc.detail)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, exceptions.UnsupportedMediaType):
        exc = exceptions.UnsupportedMediaType(None, "The body must be JSON (Content-Type: application/json).")
    return drf_exception_handler(exc, context)


DATE = {"type": "string", "format": "date", "pattern": PLAUSIBLE_DAY}
MOMENT = {
    "type": "string",
    "format": "date-time",
    "pattern": PLAUSIBLE_MOMENT,
    "description": "RFC 3339, with its offset; a time without an offset is taken as the town's own clock time.",
}


@extend_schema_field(MOMENT)
class LocalDateTimeField(serializers.DateTimeField):
    """ISO 8601 with an offset, or a local time in the municipality's zone checked around daylight-saving
    changes: a time that does not exist is refused; an ambiguous one must carry its offset."""

    def to_internal_value(self, value):
        try:
            moment = super().to_internal_value(value)
        except (OverflowError, ValueError):  # e.g. year 1 with a positive offset: no such instant
            raise serializers.ValidationError("This date and time is out of range.") from None
        try:
            return written_as_the_schema_says(plausible_moment(moment), value, LOCAL_MOMENT)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages[0]) from None

    def enforce_timezone(self, value):
        if timezone.is_aware(value):
            return value
        zone = town_zone(municipality_get())
        try:
            return local_datetime(value, zone=zone, field="value")
        except DjangoValidationError as error:
            if in_repeated_hour(error, "value"):
                raise serializers.ValidationError(offset_needed(value, zone=zone)) from None
            raise serializers.ValidationError(error.message_dict["value"][0]) from None


@extend_schema_field(DATE)
class ApiDateField(serializers.DateField):
    """A date in the range any record of this app has (local_time.plausible), refused with a 400 otherwise."""

    def get_value(self, dictionary):
        # DRF takes an optional field given empty in a query or a form for one left out; it is no date, and the
        # schema says a date.
        if html.is_html_input(dictionary) and dictionary.get(self.field_name) == "":
            return ""
        return super().get_value(dictionary)

    def to_internal_value(self, value):
        day = super().to_internal_value(value)
        try:
            return written_as_the_schema_says(plausible(day), value, PLAUSIBLE_DAY)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages[0]) from None


@extend_schema_field({"type": "string", "pattern": AMOUNT.pattern, "example": "1234.56"})
class AmountField(serializers.DecimalField):
    """Dollars and cents as the answers give them, "1234.56": a number, an exponent ("1e3"), a sign or a
    missing digit is refused, so that what the schema's pattern allows and what is accepted are the same."""

    def __init__(self, **kwargs):
        super().__init__(max_digits=12, decimal_places=2, **kwargs)

    def to_internal_value(self, data):
        # Searched, as a JSON Schema pattern is: the two then agree on every text, a final newline included.
        if not isinstance(data, str) or not AMOUNT.search(data):
            raise serializers.ValidationError('Give the amount in dollars and cents, as text: "1234.56".')
        return super().to_internal_value(data)


class DayField(PlausibleDateField):
    def to_python(self, value):
        day = super().to_python(value)
        return None if day is None else written_as_the_schema_says(day, value, PLAUSIBLE_DAY)


@extend_schema_field(DATE)
class DateFilter(django_filters.DateFilter):
    """A filter on a date, refusing one no record can have with a 400 naming the parameter."""

    field_class = DayField


class ExactBooleanField(forms.Field):
    """true or false, as the schema says: a parameter given as null, or empty, is refused rather than ignored."""

    def to_python(self, value):
        if value is None:
            return None
        if value in ("true", "True", "1"):
            return True
        if value in ("false", "False", "0"):
            return False
        raise DjangoValidationError("Give true or false.", code="invalid")


@extend_schema_field({"type": "boolean"})
class BooleanFilter(django_filters.BooleanFilter):
    field_class = ExactBooleanField


# A record's id as the database holds it: a whole number a bigint column takes.
ID_RANGE = {"min_value": 1, "max_value": 2**63 - 1}


@extend_schema_field({"type": "integer", "minimum": ID_RANGE["min_value"], "maximum": ID_RANGE["max_value"]})
class IdFilter(django_filters.NumberFilter):
    """The records of a related record, by its id: an id no record has lists nothing (200), as the schema lets a
    client expect; only an id that is not a whole number in range is refused."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **{**ID_RANGE, **kwargs})


class FilterSet(django_filters.rest_framework.FilterSet):
    """Every API filter set's base: relations filtered by id, true/false exactly, and a parameter given empty
    refused where the schema says it holds a date, a number, an id or a choice (an empty text is still a text)."""

    FILTER_DEFAULTS = {
        **django_filters.rest_framework.FilterSet.FILTER_DEFAULTS,
        models.ForeignKey: {"filter_class": IdFilter},
        models.BooleanField: {"filter_class": BooleanFilter},
    }

    def get_form_class(self):
        return type(f"{type(self).__name__}Form", (_RefusesEmpty, super().get_form_class()), {})


class _RefusesEmpty:
    def clean(self):
        data = super().clean()
        for name, field in self.fields.items():
            if type(field) is not forms.CharField and self.data.get(name) == "":
                self.add_error(name, "Give a value, or leave the parameter out.")
        return data


class FilterBackend(DjangoFilterBackend):
    """The filter sets a view names by `filterset_fields` are built on `FilterSet` too, and a parameter no filter
    reads is refused: a mistyped `?recieved_after=` would otherwise list every record, unfiltered."""

    filterset_base = FilterSet

    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        known = {api_settings.URL_FORMAT_OVERRIDE, *(filterset.filters if filterset is not None else ())}
        paginator = getattr(view, "paginator", None)
        if paginator is not None:
            known.add(paginator.page_query_param)
        if unknown := sorted(set(request.query_params) - known):
            raise exceptions.ValidationError({name: ["No such parameter here."] for name in unknown})
        return super().filter_queryset(request, queryset, view)


class Pagination(pagination.PageNumberPagination):
    """A page is a whole number from 1, as the schema says: DRF would take `?page=` for the first page."""

    def get_page_number(self, request, paginator):
        number = request.query_params.get(self.page_query_param)
        if number is not None and not (number.isascii() and number.isdigit() and int(number) >= 1):
            raise exceptions.ValidationError({self.page_query_param: ["Give a page number: 1, 2, 3…"]})
        return super().get_page_number(request, paginator)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1}
        return parameters


def written_as_the_schema_says(parsed, text, pattern: str):
    """`parsed`, if its text also matches the schema's pattern: Python reads forms the schema does not promise
    ("20000101"), and what the schema refuses must be refused."""
    if isinstance(text, str) and not re.search(pattern, text):
        raise DjangoValidationError(
            "Write it as the schema says: YYYY-MM-DD for a day, YYYY-MM-DDThh:mm:ss for a time, with its offset "
            "(Z or ±hh:mm) if it is not the town's own."
        )
    return parsed


def plausible_moment(moment):
    """A date and time from a client, in the range and offsets a record can have (PostgreSQL refuses an offset
    beyond ±15:59 with an error, and no zone is more than 14 hours from UTC)."""
    plausible(moment)
    offset = moment.utcoffset()
    if offset is not None and abs(offset) > timedelta(hours=14):
        raise DjangoValidationError("No time zone is more than 14 hours from UTC: check the offset.")
    return moment


class MomentField(django_filters.fields.IsoDateTimeField):
    def to_python(self, value):
        moment = super().to_python(value)
        return None if moment is None else written_as_the_schema_says(plausible_moment(moment), value, LOCAL_MOMENT)


@extend_schema_field(MOMENT)
class MomentFilter(django_filters.IsoDateTimeFilter):
    """A filter on a date and time (ISO 8601 with its offset), refusing one no record can have with a 400."""

    field_class = MomentField


class CapabilityPermission(permissions.BasePermission):
    """Read with one capability, write with another (the rows of the permission table)."""

    read: str = ""
    write: str = ""

    def has_permission(self, request, view):
        needed = self.read if request.method in permissions.SAFE_METHODS else self.write
        return bool(needed) and request.user.has_perm(needed)


class PoliceRecordsPermission(CapabilityPermission):
    read = "welcoming.view_police_records"
    write = "welcoming.change_police_records"


class _HashedAddress:
    """DRF's throttles keep the address as their key; these keep a keyed hash of it instead (DESIGN.md section 6:
    no visitor's address is stored, not even in the cache)."""

    def get_ident(self, request):
        return salted_hmac("api-throttle", client_address(request)).hexdigest()


class AnonRateThrottle(_HashedAddress, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(_HashedAddress, throttling.UserRateThrottle):
    pass


class PreconditionFailed(exceptions.APIException):
    """412, with the body as given: DRF would turn every value of an error's detail into a string, and the
    current `version` is a number (or null)."""

    status_code = 412

    def __init__(self, body: dict):
        super().__init__(body["detail"], code="stale")
        self.body = body


def _precondition_failed(record, detail: str, changes=()) -> PreconditionFailed:
    body = {"detail": detail, "changes": [vars(change) for change in changes], "version": versions.version_of(record)}
    return PreconditionFailed(body)


class AuditedLooksMixin:
    """Every look at person-level records through the API is in the audit log, as on the pages: a record as
    "Viewed", a list's page as "Seen in a list" (the ids it returned, never the values)."""

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        records = list(queryset if page is None else page)
        audit_list(user=request.user, records=records)
        data = self.get_serializer(records, many=True).data
        return Response(data) if page is None else self.get_paginated_response(data)

    def retrieve(self, request, *args, **kwargs):
        record = self.get_object()
        audit_view(user=request.user, record=record)
        return Response(self.get_serializer(record).data)


class VersionedRecordMixin:
    """No lost updates through the API (welcoming/versions.py): every answer about one record carries its version
    as an ETag; a change sent with If-Match naming an older version is refused with 412 and what changed.

    Without If-Match a change is applied as before (the header is the client's promise to have read first)."""

    def dispatch(self, request, *args, **kwargs):
        if request.method not in permissions.SAFE_METHODS and "HTTP_IF_MATCH" in request.META:
            # The row lock taken in get_object holds until the change is written.
            with transaction.atomic():
                return super().dispatch(request, *args, **kwargs)
        return super().dispatch(request, *args, **kwargs)

    def get_object(self):
        record = super().get_object()
        if hasattr(record, "history"):
            self.versioned_record = record
            if_match = self.request.headers.get("If-Match")
            if self.request.method not in permissions.SAFE_METHODS and if_match and if_match.strip() != "*":
                if versions.parse(if_match) is None:  # a precondition we cannot read is one that does not hold
                    raise _precondition_failed(record, "If-Match must be an ETag this API gave.")
                try:
                    versions.lock_and_check(record, if_match)
                except versions.StaleVersion as stale:
                    raise _precondition_failed(record, stale.messages[0], stale.changes) from None
        return record

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        record = getattr(self, "versioned_record", None)
        if record is not None and 200 <= response.status_code < 300:
            version = versions.version_of(record)
            if version is not None:
                response["ETag"] = f'"{version}"'
        return response
