"""A stand-in for the outside world's mail server: refuses the first N sends, then delivers
to Django's locmem outbox. Configured through MAILERS like any real backend."""

from __future__ import annotations

import smtplib

from django.core.mail.backends.locmem import EmailBackend as LocmemBackend

FAILURES_LEFT = {"count": 0}


class FlakySMTPBackend(LocmemBackend):
    def send_messages(self, messages):
        if FAILURES_LEFT["count"] > 0:
            FAILURES_LEFT["count"] -= 1
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)
