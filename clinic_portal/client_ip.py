"""The client's IP address, resolved once per request, for everything that needs it.

django-axes (lockout per email and address), the audit log and any rate limit use this one
answer. Behind ``CLINIC_TRUSTED_PROXIES`` reverse proxies, the address is read from
``X-Forwarded-For`` counting from the right, so entries the client wrote itself are never
believed; with no trusted proxy, only the socket's address (``REMOTE_ADDR``) counts. The parsing
is django-ipware's; entries that are not IP addresses are ignored, and a header that yields
nothing falls back to the socket's address.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest
from ipware import get_client_ip

_CACHE_ATTRIBUTE = "_clinic_client_ip"


def _valid(address: str | None) -> str | None:
    try:
        return str(ipaddress.ip_address((address or "").strip()))
    except ValueError:
        return None


def _resolve(request: HttpRequest) -> str | None:
    socket_address = _valid(request.META.get("REMOTE_ADDR"))
    proxies = settings.CLINIC_TRUSTED_PROXIES
    if proxies == 0:
        return socket_address
    # The nearest proxy is REMOTE_ADDR; the others appended their peers to X-Forwarded-For, so
    # the client is the entry (proxies - 1) places from the right.
    address, _routable = get_client_ip(
        request,
        proxy_order="left-most",
        proxy_count=proxies - 1,
        request_header_order=["HTTP_X_FORWARDED_FOR"],
        strict=False,
    )
    return _valid(address) or socket_address


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address as a valid IP string, or None when there is none to be had."""
    if request is None:
        return None
    if not hasattr(request, _CACHE_ATTRIBUTE):
        setattr(request, _CACHE_ATTRIBUTE, _resolve(request))
    return getattr(request, _CACHE_ATTRIBUTE)


def client_ip_for_axes(request: HttpRequest) -> str | None:
    """django-axes' ``AXES_CLIENT_IP_CALLABLE``."""
    return client_ip(request)
