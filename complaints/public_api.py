"""`POST /api/v1/public-complaints/`: a complaint from the public, for software that files on someone's behalf
(an advocate's intake tool). The same form, validation and limits as the public page; no sign-in."""

from django.forms import BooleanField, MultipleChoiceField
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, parsers, permissions, serializers, status, viewsets
from rest_framework.response import Response

from complaints import public_forms
from complaints.public_views import SUBMISSION_WINDOW, SUBMISSIONS, _submit
from welcoming.api_support import ApiDateField
from welcoming.middleware import DEFAULT_BODY_LIMIT


class PublicComplaintRequest(serializers.Serializer):
    """What the public page asks, field for field (files only through the page)."""

    narrative = serializers.CharField(max_length=10000)
    what_happened = serializers.ListField(
        child=serializers.ChoiceField(choices=[code for code, _ in public_forms.WHAT_HAPPENED]), required=False
    )
    department = serializers.ChoiceField(choices=[value for value, _ in public_forms.DEPARTMENTS])
    about = serializers.ChoiceField(choices=[value for value, _ in public_forms.ABOUT], required=False)
    department_name = serializers.CharField(required=False)
    incident_date = ApiDateField(required=False)
    incident_place = serializers.CharField(required=False)
    person_name = serializers.CharField(required=False)
    person_badge = serializers.CharField(required=False)
    anonymous = serializers.BooleanField(required=False)
    complainant_name = serializers.CharField(required=False)
    complainant_contact = serializers.CharField(required=False)


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
            400: OpenApiResponse(PublicComplaintErrors, description="What is wrong, field by field."),
            429: OpenApiResponse(PublicComplaintErrors, description="Too many complaints from this address for now."),
        },
    )
    def create(self, request):
        if problems := _not_one_value_each(request.data):
            return Response({"errors": problems}, status=status.HTTP_400_BAD_REQUEST)
        form = public_forms.PublicComplaintForm(_as_the_page_posts_it(request.data))
        complaint, pin, code = _submit(request._request, form)
        if complaint is None:
            return Response({"errors": form.errors.get_json_data()}, status=code)
        body = {"tracking_code": complaint.tracking_code, "pin": pin, "status": complaint.public_status}
        return Response(body, status=status.HTTP_201_CREATED, headers={"Cache-Control": "no-store"})


def _not_one_value_each(data) -> dict:
    """What the form cannot read: a body that is not a JSON object, or a list or object where one value belongs.
    The form's fields take strings, as the page posts them, and a JSON list would reach them as a Python list."""
    if not isinstance(data, dict):
        return {"__all__": [{"message": _("Send the complaint as a JSON object."), "code": "invalid"}]}
    fields = public_forms.PublicComplaintForm.base_fields
    return {
        name: [{"message": _("Give one value here, not a list."), "code": "invalid"}]
        for name, value in data.items()
        if name in fields and not isinstance(fields[name], MultipleChoiceField) and isinstance(value, list | dict)
    }


def _as_the_page_posts_it(data: dict) -> dict:
    """A number or true/false where the page would post text, as text: the form's date field reads only strings,
    and `"incident_date": false` is a wrong date, not a server error."""
    fields = public_forms.PublicComplaintForm.base_fields
    return {
        name: str(value)
        if name in fields and not isinstance(fields[name], BooleanField) and isinstance(value, bool | int | float)
        else value
        for name, value in data.items()
    }
