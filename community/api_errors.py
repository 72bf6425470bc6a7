"""One way for the API to say no: a refused rule, a missing thing, a forbidden one and an unexpected
failure all answer JSON, `{"detail": message}` or `{field: [message]}`, with their own status."""

from http import HTTPStatus

from django.http import JsonResponse
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import DomainError

API_PREFIX = "/api/"


def refusal_detail(error: DomainError) -> dict:
    """`{"detail": message}`, or the message under the field it concerns (dotted fields nest)."""
    if not error.field:
        return {"detail": error.message}
    *parents, leaf = error.field.split(".")
    detail: dict = {leaf: [error.message]}
    for parent in reversed(parents):
        detail = {parent: detail}
    return detail


class Refused(exceptions.APIException):
    def __init__(self, error: DomainError):
        self.status_code = error.status
        super().__init__(detail=refusal_detail(error))


def exception_handler(exc, context):
    """REST_FRAMEWORK["EXCEPTION_HANDLER"]: DRF answers its own exceptions, Http404 and
    PermissionDenied; a domain error answers with its status and message. Anything else is raised
    on, logged by Django, and answered as JSON by `ApiErrorsAsJson`."""
    if isinstance(exc, DomainError):
        exc = Refused(exc)
    return drf_exception_handler(exc, context)


MESSAGES = {
    400: "The request could not be read: check its parameters and body.",
    403: "You do not have permission to do this.",
    404: "Not found.",
    405: "That method is not allowed here.",
    413: "The request is too large.",
    500: "Something went wrong on our side; it has been logged and we will look into it.",
}


class ApiErrorsAsJson:
    """Under /api/, an error answer that is not JSON yet (an unmatched address, Django's own 400,
    403 or 404, a CSRF refusal, a 500) becomes `{"detail": message}` with the same status."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code >= 400
            and request.path.startswith(API_PREFIX)
            and "json" not in response.get("Content-Type", "")
        ):
            return as_json(response)
        return response


def as_json(response) -> JsonResponse:
    status = response.status_code
    message = MESSAGES.get(status) or (HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "")
    answer = JsonResponse({"detail": message or "The request failed."}, status=status)
    for header in ("Allow", "Retry-After", "WWW-Authenticate", "Vary"):
        if header in response:
            answer[header] = response[header]
    return answer
