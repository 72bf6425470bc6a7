"""EMAIL_URL → Django's MAILERS, read by the settings. Kept out of settings.py so it can be tested:
it once turned every URL, consolemail:// included, into SMTP to host None."""

from urllib.parse import unquote, urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured

# Mail printed as a person reads it (Django's console backend prints quoted-printable MIME).
CONSOLE = "community.console_mail.ReadableConsoleBackend"
DJANGO_CONSOLE = "django.core.mail.backends.console.EmailBackend"
SMTP = "django.core.mail.backends.smtp.EmailBackend"
FILE = "django.core.mail.backends.filebased.EmailBackend"


def mailers_from_url(url: str) -> dict:
    """The default mailer for `url`: smtp:// (smtps:// and smtp+tls:// with STARTTLS, smtp+ssl:// with
    implicit TLS) for a server, consolemail:// to print mail, filemail:///dir to write it into
    files, memorymail:// and dummymail://; empty means the console."""
    if not url:
        return {"default": {"BACKEND": CONSOLE}}
    try:
        config = environ.Env.email_url_config(url)
    except (ImproperlyConfigured, KeyError, ValueError):
        raise ImproperlyConfigured(
            f"EMAIL_URL has a scheme Mutua does not know: {url.split(':', 1)[0]!r} "
            "(smtp, smtps, smtp+tls, smtp+ssl, consolemail, filemail, memorymail, dummymail)."
        ) from None
    backend = config["EMAIL_BACKEND"]
    if backend == DJANGO_CONSOLE:
        backend = CONSOLE
    mailer: dict = {"BACKEND": backend}
    if backend == SMTP:
        if not config["EMAIL_HOST"]:
            raise ImproperlyConfigured("EMAIL_URL names no mail server, e.g. smtp+tls://user:password@host:587.")
        mailer["OPTIONS"] = {
            "host": config["EMAIL_HOST"],
            "port": config["EMAIL_PORT"] or (465 if config.get("EMAIL_USE_SSL") else 25),
            "username": config["EMAIL_HOST_USER"] or "",
            "password": config["EMAIL_HOST_PASSWORD"] or "",
            "use_tls": config.get("EMAIL_USE_TLS", False),
            "use_ssl": config.get("EMAIL_USE_SSL", False),
        }
    elif backend == FILE:
        path = unquote(urlsplit(url).path)  # django-environ drops the leading / of an absolute path
        if not path:
            raise ImproperlyConfigured("EMAIL_URL filemail:// needs a directory, e.g. filemail:///var/mail/mutua.")
        mailer["OPTIONS"] = {"file_path": path}
    return {"default": mailer}


def mail_member(*, member, subject: str, text: str) -> int:
    """One plain-text mail to a member's own address, through the configured mailer; returns how
    many were sent. Nothing goes to an account that has been deleted (its address is a placeholder)."""
    from django.core.mail import EmailMessage

    if getattr(member, "deleted_at", None) is not None or not member.email:
        return 0
    return EmailMessage(subject=f"[Mutua] {subject}", body=text, to=[member.email]).send()
def send_with_parts(*, to: str, subject: str, text: str, html: str, headers: dict | None = None) -> None:
    """One mail with a plain-text body and an HTML alternative, through Django's mail API (the
    mailer EMAIL_URL configures), from DEFAULT_FROM_EMAIL."""
    from django.core.mail import EmailMultiAlternatives

    message = EmailMultiAlternatives(subject=subject, body=text, to=[to], headers=headers or {})
    message.attach_alternative(html, "text/html")
    message.send()
