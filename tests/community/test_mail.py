"""Mail a newcomer can use: it comes from Mutua, and on the embedded default the console prints a
verification link that can be copied as printed."""

import io

import pytest
from django.core.mail import EmailMessage

from community.console_mail import ReadableConsoleBackend
from tests.factories import PASSWORD

LINK = "http://127.0.0.1:8000/accounts/confirm-email/MTA:1vQ=b9Zk:aVeryLongSignedTokenThatWouldBeCutAcrossTwoLinesByQuotedPrintable/"


def test_the_console_prints_a_link_whole_on_one_line():
    stream = io.StringIO()
    message = EmailMessage("[Mutua] Please confirm", f"To confirm it, open this link:\n\n{LINK}\n", to=["ada@example.org"])
    ReadableConsoleBackend(stream=stream).send_messages([message])
    printed = stream.getvalue()
    assert LINK in printed.splitlines()
    assert "Subject: [Mutua] Please confirm" in printed and "To: ada@example.org" in printed


def test_the_sign_up_mail_comes_from_mutua_and_carries_its_link(client, db, mailoutbox):
    client.post(
        "/accounts/signup/",
        {"email": "zelda@example.org", "username": "zelda-quist", "password1": PASSWORD, "password2": PASSWORD},
    )
    [mail] = mailoutbox
    assert mail.subject.startswith("[Mutua] ")
    assert mail.body.startswith("Hello from Mutua")
    assert "@zelda-quist" in mail.body and "/accounts/confirm-email/" in mail.body


@pytest.mark.parametrize("url", ["", "consolemail://"])
def test_the_embedded_default_and_consolemail_use_the_readable_console(url):
    from community.mail import mailers_from_url

    assert mailers_from_url(url)["default"]["BACKEND"] == "community.console_mail.ReadableConsoleBackend"
