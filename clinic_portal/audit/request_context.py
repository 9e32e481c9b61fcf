"""The request being served and the reads it has gathered, for the audit helper.

Set by ``middleware.RequestContextMiddleware`` for the length of a request, and read by
``audit`` so that services need not pass the request along. Outside a request (tasks, commands)
both are ``None`` and reads are written at once.
"""

from __future__ import annotations

from contextvars import ContextVar

from django.http import HttpRequest

current_request: ContextVar[HttpRequest | None] = ContextVar("current_request", default=None)
pending_reads: ContextVar[list | None] = ContextVar("pending_reads", default=None)
