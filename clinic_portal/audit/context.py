"""What the audit helper knows of the request in progress: set by the middleware, read by
``audit.record`` and ``audit.record_read``. Its own module, so that the middleware may import the
helper and the helper this, one way."""

from __future__ import annotations

from contextvars import ContextVar

from django.http import HttpRequest

current_request: ContextVar[HttpRequest | None] = ContextVar("current_request", default=None)
pending_reads: ContextVar[list | None] = ContextVar("pending_reads", default=None)
