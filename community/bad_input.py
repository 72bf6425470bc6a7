"""Bad input stops at the edge with a 400 and a message a person understands, before it reaches a
query or a parser: control characters in the address, numbers no page or offset can be, JSON nested
deeper than any request of ours (Python's parser would end in a RecursionError, a 500)."""

import re

from django.http import HttpResponseBadRequest, JsonResponse
from django.template.loader import render_to_string

from .api_errors import API_PREFIX

# PostgreSQL refuses NUL in any text; no address or search needs a control character.
CONTROL_CHARACTERS = frozenset(chr(code) for code in [*range(0x00, 0x20), 0x7F])
ALLOWED_IN_VALUES = frozenset("\t\n\r")
# Positions and counts the views and Wagtail's API turn into numbers (SQL OFFSET, page numbers).
NUMBER_PARAMETERS = frozenset({"page", "offset", "limit", "post", "quote", "reply_to", "days"})
LARGEST_NUMBER = 2**31 - 1
MAX_JSON_DEPTH = 32
JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
JSON_BRACKET = re.compile(rb"[\[\]{}]")


def refusal_of(request) -> str | None:
    """Why the request cannot be answered, or None."""
    if CONTROL_CHARACTERS.intersection(request.path):
        return "The address contains a control character; remove it and try again."
    for name, values in request.GET.lists():
        for value in [name, *values]:
            if "\x00" in value or (CONTROL_CHARACTERS - ALLOWED_IN_VALUES).intersection(value):
                return f"“{name[:40]}” contains a control character (such as NUL), which cannot be searched or stored."
        if name in NUMBER_PARAMETERS:
            for value in values:
                digits = value.removeprefix("-")
                if digits.isdigit() and (not digits.isascii() or int(digits) > LARGEST_NUMBER):
                    return f"“{name}” must be a whole number (0–9) of at most {LARGEST_NUMBER:,}."
    if "json" in request.content_type and request.method in ("POST", "PUT", "PATCH") and json_too_deep(request.body):
        return f"JSON parse error - nested more than {MAX_JSON_DEPTH} levels deep."
    return None


def json_too_deep(body: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    if body.count(b"[") + body.count(b"{") <= limit:
        return False  # most bodies: no need to look closer
    depth = 0
    for bracket in JSON_BRACKET.findall(JSON_STRING.sub(b"", body)):  # brackets inside strings do not nest
        depth += 1 if bracket in b"[{" else -1
        if depth > limit:
            return True
    return False


class RefuseBadInput:
    """A 400 for requests no view could answer sensibly: JSON under /api/, a short page elsewhere."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        reason = refusal_of(request)
        if reason is None:
            return self.get_response(request)
        if request.path.startswith(API_PREFIX):
            return JsonResponse({"detail": reason}, status=400)
        return HttpResponseBadRequest(render_to_string("400.html", {"message": reason}))
