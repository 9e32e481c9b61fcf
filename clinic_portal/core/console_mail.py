"""The development mailer (``EMAIL_URL=console:``): each email printed as a person reads it.

Django's console backend prints the raw MIME message, where quoted-printable encoding breaks
long links across lines (``=\\n``) and turns ``=`` into ``=3D``, so a link cannot be clicked.
This one prints the headers that matter and the decoded text.
"""

from __future__ import annotations

from django.core.mail.backends.console import EmailBackend as DjangoConsoleBackend


class EmailBackend(DjangoConsoleBackend):
    def write_message(self, message):
        mime = message.message()
        body = mime.get_body(preferencelist=("plain", "html"))
        text = body.get_content() if body is not None else str(message.body)
        self.stream.write(
            f"── Email ──────────────────────────────────────────────────────────\n"
            f"From:    {mime['From']}\n"
            f"To:      {mime['To']}\n"
            f"Subject: {mime['Subject']}\n\n"
            f"{text.rstrip()}\n"
            f"───────────────────────────────────────────────────────────────────\n"
        )
