"""allauth's account forms in Mutua's words (settings.ACCOUNT_FORMS): one name per thing ("handle",
"email address"), the rules under each field before anyone fails them, no placeholders that repeat
the label, no "Remember Me:" colons, and errors that say what to do.

Passwords after an error: a password that passed its own checks is shown again (masked, in the
field) when the form fails on something else — a taken handle, say — so that nobody types a long
passphrase twice more for an unrelated mistake. A password that was itself refused (too short,
too common, the two differ) is cleared, since it must be typed anew anyway. The page that carries
it back is the answer to the person's own POST, over HTTPS, and is sent `Cache-Control: no-store`
(community.headers), so no cache and no back button keeps it.
"""

import re

from allauth.account import forms as allauth_forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.contrib.auth.password_validation import MinimumLengthValidator, get_default_password_validators

from .validators import handle_format

HANDLE_MAX_LENGTH = 30  # Member.username


def password_min_length() -> int:
    lengths = [v.min_length for v in get_default_password_validators() if isinstance(v, MinimumLengthValidator)]
    return max(lengths, default=8)


def password_rules() -> str:
    return (
        f"At least {password_min_length()} characters, not only digits, not a common password, and not "
        "like your handle or email address. A few words strung together are easy to remember."
    )


HANDLE_RULES = (
    f"Your name in links and @mentions, e.g. /members/nora-new/. {settings.ACCOUNT_USERNAME_MIN_LENGTH} to "
    f"{HANDLE_MAX_LENGTH} letters, digits, - or _, starting and ending with a letter or digit. Capitals "
    "become lower-case."
)


# Capitals are mended before the rules are checked: what is left to say is about the other characters.
HANDLE_CHARACTERS = (
    "A handle holds only letters, digits, - and _ (no spaces), and starts and ends with a letter or digit."
)


class MutuaWording:
    """Labels, help texts and error messages per field name, applied to whichever allauth form."""

    labels: dict[str, str] = {}
    help_texts: dict[str, str] = {}
    field_errors: dict[str, dict[str, str]] = {}
    # Fields whose typed value is sent back after an error in another field (see the module docstring).
    keep_passwords: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.label_suffix = ""
        for name, field in self.fields.items():
            field.widget.attrs.pop("placeholder", None)
            if name in self.labels:
                field.label = self.labels[name]
            if name in self.help_texts:
                field.help_text = self.help_texts[name]
            field.error_messages.update(self.field_errors.get(name, {}))

    def _post_clean(self):
        super()._post_clean()
        for errors in self._errors.values():
            for error in errors.data:
                if isinstance(error, ValidationError) and str(error.message) in REWORDED:
                    error.message = REWORDED[str(error.message)]
        if self.errors and not any(name in self.errors for name in self.keep_passwords):
            for name in self.keep_passwords:
                if name in self.fields:
                    self.fields[name].widget.render_value = True


# Messages allauth writes inside its clean() methods, where no error_messages entry reaches them.
REWORDED = {
    "You must type the same password each time.": "The two passwords differ: type the same one in both.",
}
EMAIL_ERRORS = {"required": "Enter your email address.", "invalid": "Enter an email address like name@example.org."}
PASSWORD_AGAIN = "Type the same password once more, to be sure of it."


class LoginForm(MutuaWording, allauth_forms.LoginForm):
    labels = {"login": "Email address", "remember": "Keep me signed in"}
    help_texts = {"remember": "On this device, for two weeks. Leave it off on a shared computer."}
    field_errors = {"login": EMAIL_ERRORS, "password": {"required": "Enter your password."}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].help_text = ""  # the page links "Forgot your password?" itself


class SignupForm(MutuaWording, allauth_forms.SignupForm):
    labels = {"email": "Email address", "username": "Handle", "password1": "Password", "password2": "Password again"}
    help_texts = {
        "email": "You sign in with it, and we send a link to confirm it. Other members do not see it.",
        "username": HANDLE_RULES,
        "password2": PASSWORD_AGAIN,
    }
    field_errors = {
        "email": EMAIL_ERRORS,
        "username": {
            "required": "Choose a handle.",
            "min_length": f"A handle has at least {settings.ACCOUNT_USERNAME_MIN_LENGTH} characters.",
            "max_length": f"A handle has at most {HANDLE_MAX_LENGTH} characters.",
        },
        "password1": {"required": "Choose a password."},
        "password2": {"required": PASSWORD_AGAIN},
    }
    keep_passwords = ("password1", "password2")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password1"].help_text = password_rules()
        self.fields["username"].widget.attrs.update(
            {"autocapitalize": "none", "spellcheck": "false", "maxlength": str(HANDLE_MAX_LENGTH)}
        )

    def clean_username(self):
        # The adapter lower-cases and trims; a handle that still does not fit gets a suggestion.
        try:
            return super().clean_username()
        except ValidationError as error:
            suggestion = suggest_handle(self.cleaned_data.get("username", ""))
            if any(e.code == handle_format.code for e in error.error_list):
                ending = f" How about “{suggestion}”?" if suggestion else ""
                raise ValidationError(f"{HANDLE_CHARACTERS}{ending}", code=handle_format.code) from None
            raise


def suggest_handle(typed: str) -> str:
    """`Nora New!` → `nora-new`; empty when nothing usable is left."""
    suggestion = re.sub(r"[^a-z0-9_-]+", "-", typed.strip().lower()).strip("-_")
    suggestion = re.sub(r"-{2,}", "-", suggestion)[:HANDLE_MAX_LENGTH].strip("-_")
    if len(suggestion) < settings.ACCOUNT_USERNAME_MIN_LENGTH:
        return ""
    try:
        handle_format(suggestion)
    except ValidationError:
        return ""
    from .models import Member

    return "" if Member.objects.filter(username=suggestion).exists() else suggestion


class AddEmailForm(MutuaWording, allauth_forms.AddEmailForm):
    labels = {"email": "New email address"}
    help_texts = {"email": "We send a link to it; it counts once you open that link."}
    field_errors = {"email": EMAIL_ERRORS}


class ChangePasswordForm(MutuaWording, allauth_forms.ChangePasswordForm):
    labels = {"oldpassword": "Current password", "password1": "New password", "password2": "New password again"}
    help_texts = {"password2": PASSWORD_AGAIN}
    field_errors = {"oldpassword": {"required": "Enter your current password."}}
    keep_passwords = ("password1", "password2")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["oldpassword"].help_text = ""
        self.fields["password1"].help_text = password_rules()


class SetPasswordForm(MutuaWording, allauth_forms.SetPasswordForm):
    labels = {"password1": "Password", "password2": "Password again"}
    help_texts = {"password2": PASSWORD_AGAIN}
    keep_passwords = ("password1", "password2")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password1"].help_text = password_rules()


class ResetPasswordForm(MutuaWording, allauth_forms.ResetPasswordForm):
    labels = {"email": "Email address"}
    help_texts = {"email": "The one you signed up with. We send a link to choose a new password."}
    field_errors = {"email": EMAIL_ERRORS}


class ResetPasswordKeyForm(MutuaWording, allauth_forms.ResetPasswordKeyForm):
    labels = {"password1": "New password", "password2": "New password again"}
    help_texts = {"password2": PASSWORD_AGAIN}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password1"].help_text = password_rules()


class ReauthenticateForm(MutuaWording, allauth_forms.ReauthenticateForm):
    labels = {"password": "Your password"}
    field_errors = {"password": {"required": "Enter your password."}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].help_text = ""
