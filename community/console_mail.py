"""The console mailer of the embedded default, readable: the headers a person needs and the plain
text as written. Django's own prints the MIME source, where quoted-printable cuts a verification
link across lines with a trailing `=`, so a newcomer who copies it gets a broken address."""

from django.core.mail.backends.console import EmailBackend


class ReadableConsoleBackend(EmailBackend):
    def write_message(self, message):
        for header, value in (("From", message.from_email), ("To", ", ".join(message.to)), ("Subject", message.subject)):
            self.stream.write(f"{header}: {value}\n")
        self.stream.write(f"\n{message.body}\n")
        self.stream.write("-" * 79 + "\n")
