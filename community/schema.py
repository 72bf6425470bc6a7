"""The OpenAPI schema's hooks: only Mutua's own API, and every answer an operation can give."""

from rest_framework import serializers


def only_public_api(endpoints):
    """Keep Mutua's own API in the schema; Wagtail's admin API is not a product surface."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]


class ErrorSerializer(serializers.Serializer):
    """How the API says no (community.api_errors): one message a person understands."""

    detail = serializers.CharField()


ERROR = {"$ref": "#/components/schemas/Error"}
FIELD_ERRORS = {
    "type": "object",
    "description": "`{field: [message]}` for the input it concerns (nested for nested input), or `{detail: message}`.",
    "additionalProperties": {},
}
# What any operation may answer, whatever its view: the edge refuses unreadable input (400), DRF
# authenticates (401) and throttles (429) everything, and a refused rule or a missing thing answers
# its own status (community.api_errors).
ERROR_RESPONSES = {
    "400": ("Invalid input, or an address or body that cannot be read.", FIELD_ERRORS),
    "401": ("Not signed in, or the credentials are not valid.", ERROR),
    "403": ("Not allowed.", ERROR),
    "404": ("Not found, or not yours to see: a private group is not found for outsiders.", ERROR),
    "429": ("Too much too fast: `Retry-After` says when to try again.", ERROR),
}
WRITE_ERRORS = {"409": ("Already done (a duplicate), or in conflict with what is there.", ERROR)}
WRITES = {"post", "put", "patch", "delete"}


def declare_error_responses(result, generator, request, public):
    """Postprocessing hook: add the errors each operation can answer to what its view declares."""
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components.setdefault(
        "Error",
        {"type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"]},
    )
    for item in result.get("paths", {}).values():
        for method, operation in item.items():
            if method not in {"get", "head", *WRITES}:
                continue
            errors = {**ERROR_RESPONSES, **(WRITE_ERRORS if method in WRITES else {})}
            responses = operation.setdefault("responses", {})
            for code, (description, schema) in errors.items():
                responses.setdefault(
                    code, {"description": description, "content": {"application/json": {"schema": schema}}}
                )
    return result
