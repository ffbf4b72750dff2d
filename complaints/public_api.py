"""`POST /api/v1/public-complaints/`: a complaint from the public, for software that files on someone's behalf
(an advocate's intake tool). The same form, validation and limits as the public page; no sign-in."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, parsers, permissions, serializers, status, viewsets
from rest_framework.response import Response

from complaints import public_forms
from complaints.public_views import SUBMISSION_WINDOW, SUBMISSIONS, _submit
from welcoming.api_support import ApiDateField, written_as_the_schema_says
from welcoming.local_time import PLAUSIBLE_DAY
from welcoming.middleware import DEFAULT_BODY_LIMIT

# The form's error codes for a request that breaks the schema (400); any other refusal is one of its rules (422).
SHAPE_CODES = {"required", "invalid", "invalid_choice", "invalid_list", "max_length"}


class PublicComplaintRequest(serializers.Serializer):
    """What the public page asks, field for field (files only through the page)."""

    narrative = serializers.CharField(max_length=10000)
    what_happened = serializers.ListField(
        child=serializers.ChoiceField(choices=[code for code, _ in public_forms.WHAT_HAPPENED]), required=False
    )
    department = serializers.ChoiceField(choices=[value for value, _ in public_forms.DEPARTMENTS])
    about = serializers.ChoiceField(
        choices=[value for value, _ in public_forms.ABOUT], required=False, allow_blank=True
    )
    department_name = serializers.CharField(required=False, allow_blank=True, max_length=150)
    incident_date = ApiDateField(required=False)
    incident_place = serializers.CharField(required=False, allow_blank=True, max_length=200)
    person_name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    person_badge = serializers.CharField(required=False, allow_blank=True, max_length=30)
    anonymous = serializers.BooleanField(required=False)
    complainant_name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    complainant_contact = serializers.CharField(required=False, allow_blank=True, max_length=300)


class PublicComplaintErrors(serializers.Serializer):
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.DictField()),
        help_text="By field (`__all__` for the whole complaint): each problem's `message` and `code`.",
    )


class PublicComplaintReceipt(serializers.Serializer):
    tracking_code = serializers.CharField()
    pin = serializers.CharField(help_text="Given this once; only its hash is kept.")
    status = serializers.CharField()


class PublicComplaintViewSet(viewsets.ViewSet):
    """File a complaint without an account, in the language of the `Accept-Language` header."""

    # An oversized body is refused before it is read (welcoming.middleware), and counts as a try.
    body_limit, body_limit_counts_toward = DEFAULT_BODY_LIMIT, (SUBMISSIONS, SUBMISSION_WINDOW)

    permission_classes = [permissions.AllowAny]
    authentication_classes = []  # nobody signs in here, so no session (and no CSRF token) is involved
    # JSON only: a web page elsewhere cannot make a visitor's browser send JSON here without a CORS preflight,
    # which this app never grants, so no site can file complaints through its visitors. Files: the page.
    parser_classes = [parsers.JSONParser]
    throttle_classes = []  # the page's own limits apply, under a keyed hash of the address

    def handle_exception(self, exc):
        # A body that is not JSON at all gets the same shape of answer as one with a wrong field.
        if isinstance(exc, exceptions.ParseError):
            problem = {"message": str(exc.detail), "code": "parse_error"}
            return Response({"errors": {"__all__": [problem]}}, status=status.HTTP_400_BAD_REQUEST)
        return super().handle_exception(exc)

    @extend_schema(
        request=PublicComplaintRequest,
        responses={
            201: PublicComplaintReceipt,
            400: OpenApiResponse(PublicComplaintErrors, description="What breaks the schema, field by field."),
            422: OpenApiResponse(PublicComplaintErrors, description="What the form's rules refuse, field by field."),
            429: OpenApiResponse(PublicComplaintErrors, description="Too many complaints from this address for now."),
        },
    )
    def create(self, request):
        if problems := _not_the_schemas_types(request.data):
            return Response({"errors": problems}, status=status.HTTP_400_BAD_REQUEST)
        form = public_forms.PublicComplaintForm(request.data)
        complaint, pin, code = _submit(request._request, form)
        if complaint is None:
            errors = form.errors.get_json_data()
            if code == status.HTTP_400_BAD_REQUEST and errors and _refused_by_the_rules(errors):
                code = status.HTTP_422_UNPROCESSABLE_ENTITY
            return Response({"errors": errors}, status=code)
        body = {"tracking_code": complaint.tracking_code, "pin": pin, "status": complaint.public_status}
        return Response(body, status=status.HTTP_201_CREATED, headers={"Cache-Control": "no-store"})


def _not_the_schemas_types(data) -> dict:
    """What the schema refuses before the form reads it: a body that is not a JSON object, and a value of another
    JSON type than its field's (the form would take `false` or `12` for the text "False" or "12")."""
    if not isinstance(data, dict):
        return {"__all__": [{"message": _("Send the complaint as a JSON object."), "code": "invalid"}]}
    problems = {}
    for name, field in PublicComplaintRequest().fields.items():
        if name not in data:
            continue
        value = data[name]
        if isinstance(field, serializers.ListField):
            if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
                problems[name] = _("Give a list of the options here.")
        elif isinstance(field, serializers.BooleanField):
            if not isinstance(value, bool):
                problems[name] = _("Give true or false here.")
        elif isinstance(value, list | dict):
            problems[name] = _("Give one value here, not a list.")
        elif not isinstance(value, str):
            problems[name] = _("Give this as text, in quotes.")
        elif isinstance(field, ApiDateField):
            try:
                written_as_the_schema_says(value, value, PLAUSIBLE_DAY)
            except ValidationError:
                problems[name] = public_forms.DATE_ERRORS["invalid"]
    return {name: [{"message": str(message), "code": "invalid"}] for name, message in problems.items()}


def _refused_by_the_rules(errors: dict) -> bool:
    """Whether every problem the form found is one of its rules (markup, a date in the future, a name given
    while anonymous) rather than a break of the schema (a text missing, too long, an option not offered)."""
    return all(problem["code"] not in SHAPE_CODES for problems in errors.values() for problem in problems)
