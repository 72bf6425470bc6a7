"""Validators for what members type into their profile."""

from django.core.validators import RegexValidator

RESERVED_HANDLES = {"me", "edit", "new", "admin", "api", "static", "media", "accounts", "skills", "audit", "former", "export"}

handle_format = RegexValidator(
    r"^[a-z0-9](?:[a-z0-9_-]*[a-z0-9])?$",
    "A handle uses lower-case letters, digits, - and _, and starts and ends with a letter or digit.",
)


def not_reserved(value: str) -> None:
    from django.core.exceptions import ValidationError

    # former-<n> is the handle a deleted account keeps (members.services.leaving).
    if value.lower() in RESERVED_HANDLES or value.lower().startswith("former-"):
        raise ValidationError("That handle is reserved; please choose another.")


handle_validators = [handle_format, not_reserved]
