"""Keeps the current request reachable by the audit helper, so services need not pass it along,
and writes the request's read events in one INSERT.

Every ``audit.record_read`` during a request adds its events to ``pending_reads``; when the view
returns (or raises), they are inserted with a single INSERT (``audit.write_reads``) before the
response leaves this middleware, so each read is committed before the user sees the page. Outside a request
(tasks, commands, tests calling a view function directly) ``pending_reads`` is ``None`` and reads
are written at once.
"""

from __future__ import annotations

from django.http import HttpRequest

from clinic_portal.audit.audit import write_reads
from clinic_portal.audit.request_context import current_request, pending_reads


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        token = current_request.set(request)
        events: list = []
        batch = pending_reads.set(events)
        try:
            return self.get_response(request)
        finally:
            # Later reads (a streaming body, for instance) are written at once.
            pending_reads.reset(batch)
            try:
                write_reads(events)
            finally:
                current_request.reset(token)
