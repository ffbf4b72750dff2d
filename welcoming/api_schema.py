"""The OpenAPI schema documents every answer an operation can give, errors included, so that a client (and
schemathesis in CI) can rely on it: 400 with messages by field for a request that breaks the schema, 401, 403,
404 for one record, 412 for a change to an older version (If-Match), 415 for a body that is not JSON, 422 for a
request the rules refuse, 429 when throttled, 503 when the database is out of reach."""

from django.core.exceptions import FieldDoesNotExist
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import OpenApiParameter
from rest_framework import permissions, serializers

DETAIL = {"type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"]}
FIELD_ERRORS = {
    "type": "object",
    "description": "Messages by field name (non_field_errors for the whole request); nested like the request.",
    "additionalProperties": True,
}
STALE = {
    "type": "object",
    "properties": {
        "detail": {"type": "string"},
        "changes": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"field": {"type": "string"}, "old": {"type": "string"}, "new": {"type": "string"}},
                "required": ["field", "old", "new"],
            },
        },
        "version": {"type": "integer", "nullable": True},
    },
    "required": ["detail", "changes", "version"],
}
ERRORS = {
    "400": ("The request was refused: see the messages by field.", FIELD_ERRORS),
    "401": ("No valid session or token.", DETAIL),
    "403": ("Your roles do not allow this operation (or the session lacks its CSRF token).", DETAIL),
    "404": ("No such record, or none you may see; for a list, a page past the last.", DETAIL),
    "412": ("The record changed since the version named in If-Match: what changed, and its version now.", STALE),
    "415": ("The body must be JSON.", DETAIL),
    "422": (
        "The request has the schema's shape but the ordinance's rules, or the records as they stand, refuse "
        "it: see the messages by field.",
        FIELD_ERRORS,
    ),
    "429": ("Too many requests: wait the seconds in Retry-After.", DETAIL),
    "503": ("The database cannot be reached just now; nothing was saved. Try again.", DETAIL),
}
# No text holds a NUL character (DRF refuses one in a field, the app in an address), and a required text holds
# more than white space.
NO_NUL = r"^[^\x00]*$"
NON_BLANK = r"^[^\x00]*[^\s\x00][^\x00]*$"
IF_MATCH = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    required=False,
    description="The record's ETag as last read: the change is refused with 412 if the record changed since.",
)


class AutoSchema(SpectacularAutoSchema):
    def _changes_one_record(self) -> bool:
        return self.method not in permissions.SAFE_METHODS and "{" in self.path

    def _allows_anyone(self) -> bool:
        return any(isinstance(p, permissions.AllowAny) for p in self.view.get_permissions())

    def get_auth(self):
        # Say that signing in is optional where anyone may read (a permission marked `public_read`, the public
        # docket's), or a client and schemathesis take a public answer to an anonymous request for a hole in the
        # authentication. A wrong token there is still a 401, so the error answers stay documented.
        auths = super().get_auth()
        public = self.method in permissions.SAFE_METHODS and any(
            getattr(p, "public_read", False) for p in self.view.get_permissions()
        )
        return [*auths, {}] if public and {} not in auths else auths

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        # DRF leaves allow_null and allow_blank off a read-only model field (it never validates input), so the
        # schema would promise a value where the answer may hold null (an unassigned investigator) or "" (a
        # choice not made yet). Say what the model allows.
        if field.read_only:
            nullable, blank = _model_allows(field)
            field.allow_null = field.allow_null or nullable
            if isinstance(field, serializers.ChoiceField):
                field.allow_blank = field.allow_blank or blank
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if direction == "request" and isinstance(field, serializers.CharField) and "pattern" not in schema:
            # DRF trims a text before it checks it is not blank, so "minLength: 1" alone would let a client (and
            # schemathesis) send " ", which is refused: the text must hold something other than white space.
            schema["pattern"] = NON_BLANK if _refuses_blank(field) else NO_NUL
        return schema

    def _insert_field_validators(self, field, schema):
        super()._insert_field_validators(field, schema)
        # A text that may be blank and has a pattern is given as "matches, or is empty". drf-spectacular says it
        # with oneOf, which refuses an empty text when the pattern matches it too (a text without NUL): anyOf.
        if schema.get("oneOf", [None])[-1] == {"type": "string", "maxLength": 0}:
            schema["anyOf"] = schema.pop("oneOf")

    def get_request_serializer(self):
        # A viewset that reads with one serializer and creates through another (`input_serializer_class`, every
        # police record) would otherwise document its read serializer, all read-only, as what POST takes: a client
        # could not learn that a detainer needs `judicial_warrant`, and a fuzzer could not build a request at all.
        input_serializer = getattr(self.view, "input_serializer_class", None)
        if self.method == "POST" and getattr(self.view, "action", None) == "create" and input_serializer:
            return input_serializer
        return super().get_request_serializer()

    def get_override_parameters(self):
        parameters = super().get_override_parameters()
        return [*parameters, IF_MATCH] if self._changes_one_record() else parameters

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        codes = {"400", "422", "429", "503"}
        if not self._allows_anyone():
            codes |= {"401", "403"}
        if "{" in self.path or (self.method == "GET" and self._is_list_view()):
            codes.add("404")  # no such record, or (a list) a page past the last
        if self.method not in permissions.SAFE_METHODS:
            codes |= {"403", "415"}
        if self._changes_one_record():
            codes.add("412")
        for code in sorted(codes - set(responses)):
            description, schema = ERRORS[code]
            responses[code] = {"description": description, "content": {"application/json": {"schema": schema}}}
        return responses


def text_parameters_refuse_nul(result, generator, request, public):
    """A postprocessing hook: every free text in an address (a search, a label) says it holds no NUL."""
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []) if isinstance(operation, dict) else []:
                schema = parameter.get("schema", {})
                if schema.get("type") == "string" and not {"enum", "pattern", "format"} & set(schema):
                    schema["pattern"] = NO_NUL
    return result


def any_of_for_answers_that_overlap(result, generator, request, public):
    """A postprocessing hook: an answer that is one of two shapes where one holds the other's fields (a complaint,
    or its receipt) matches both, which "oneOf" forbids."""
    for name in ("ComplaintIntakeAnswer",):
        schema = result.get("components", {}).get("schemas", {}).get(name)
        if schema and "oneOf" in schema:
            schema["anyOf"] = schema.pop("oneOf")
    return result


def _refuses_blank(field) -> bool:
    return isinstance(field, serializers.CharField) and not field.allow_blank and field.trim_whitespace


def _model_allows(field) -> tuple[bool, bool]:
    """(null, blank) for the model field a serializer field reads, following relations (investigator.username is
    null when the investigator is)."""
    model = getattr(getattr(field.parent, "Meta", None), "model", None)
    nullable = blank = False
    for attr in getattr(field, "source_attrs", []) or []:
        if model is None:
            break
        try:
            model_field = model._meta.get_field(attr)
        except FieldDoesNotExist:
            break
        if not model_field.concrete:
            break  # a reverse relation: the serializer lists it, and a list is never null
        nullable = nullable or model_field.null
        blank = model_field.blank
        model = model_field.related_model
    return nullable, blank
