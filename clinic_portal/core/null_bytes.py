"""The one place that deals with NUL characters in what people send.

PostgreSQL cannot store or compare a NUL (``\\x00``) in text, so a NUL in any search box was a
500. No person types one; they come from fuzzers and broken clients. This middleware removes them
from every query-string and form value (and their names) before any view sees them, so nothing
else in the portal has to think about it, and the rest of what was sent is kept.
"""

from __future__ import annotations

from django.http import QueryDict

NUL = "\x00"


def _without_nul(data: QueryDict) -> QueryDict:
    if not any(NUL in key or any(NUL in v for v in data.getlist(key)) for key in data):
        return data
    cleaned = QueryDict(mutable=True, encoding=data.encoding)
    for key in data:
        cleaned.setlist(key.replace(NUL, ""), [v.replace(NUL, "") for v in data.getlist(key)])
    cleaned._mutable = False
    return cleaned


class StripNullBytesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.GET = _without_nul(request.GET)
        if request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            request.POST = _without_nul(request.POST)
        return self.get_response(request)
