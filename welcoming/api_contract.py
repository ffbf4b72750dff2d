"""Every API body has the JSON types the published schema gives it, checked before a serializer reads it.

DRF is generous with types: a text field takes the number 0 as "0", a number takes "5", a true-or-false takes
"yes". The schema promises text, a number, true or false, so a client that sends another type has a bug, and
taking its request anyway would hide it (schemathesis found `"notes": 0` filed as the note "0"). Only the types
are checked here; everything else (required, blank, choices, lengths) stays with the serializers, in their words.
"""

import functools
import re

from jsonschema import Draft202012Validator
from rest_framework import exceptions, parsers

TYPE_WORDS = {
    "string": "text (in quotes)",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list",
    "object": "an object",
}


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        request = (parser_context or {}).get("request")
        if request is not None:
            body_types_check(request.method, request.path, data)
        return data


def body_types_check(method: str, path: str, data) -> None:
    """Raise a 400 naming each field whose value has another JSON type than the schema's."""
    validator = _validator_for(method.lower(), path)
    if validator is None:
        return
    problems = {}
    for error in validator.iter_errors(data):
        expected = _type_expected(error)
        if expected is None:
            continue  # the serializer says the rest, in its own words
        field = str(error.path[0]) if error.path else "non_field_errors"
        problems.setdefault(field, []).append(f"Give {TYPE_WORDS.get(expected, expected)} here.")
    if problems:
        raise exceptions.ValidationError(problems)


def _type_expected(error) -> str | None:
    """The JSON type a value should have had, if its only fault is its type (a choice of schemas, as for a
    text that may be null, fails as a whole when each choice fails on the type)."""
    if error.validator == "type":
        return error.validator_value if isinstance(error.validator_value, str) else error.validator_value[0]
    if error.validator in ("oneOf", "anyOf") and error.context and all(e.validator == "type" for e in error.context):
        return _type_expected(error.context[0])
    return None


def _validator_for(method: str, path: str):
    for pattern, by_method in _request_bodies():
        if pattern.fullmatch(path):
            return by_method.get(method)
    return None


@functools.cache
def _request_bodies() -> list:
    """(path pattern, {method: validator}) for every operation that takes a JSON body, built once a process."""
    from drf_spectacular.generators import SchemaGenerator  # the URLs must be loaded first

    document = SchemaGenerator().get_schema(request=None, public=True)
    components = _as_json_schema(document.get("components", {}))
    bodies = []
    for path, operations in document["paths"].items():
        by_method = {}
        for method, operation in operations.items():
            body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
            if body is not None:
                by_method[method] = Draft202012Validator({**_as_json_schema(body), "components": components})
        if by_method:
            bodies.append((re.compile(re.sub(r"\{[^}/]+\}", "[^/]+", path)), by_method))
    return bodies


def _as_json_schema(node):
    """OpenAPI 3.0's `nullable: true` as JSON Schema says it: the value may also be null."""
    if isinstance(node, list):
        return [_as_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {key: _as_json_schema(value) for key, value in node.items() if key != "nullable"}
    if not node.get("nullable"):
        return converted
    if "type" in converted:
        converted["type"] = [converted["type"], "null"]
        if "enum" in converted:
            converted["enum"] = [*converted["enum"], None]
        return converted
    return {"anyOf": [converted, {"type": "null"}]}
