"""Typed readers for environment variables.

Every setting comes from the environment through these helpers. A bad value stops the process at
start-up with a message naming the variable, instead of surfacing later as odd behaviour.
"""

from __future__ import annotations

import os
import zoneinfo
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from urllib.parse import parse_qs, unquote, urlsplit


class ConfigError(ValueError):
    """An environment variable holds a value the portal cannot use."""


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _raw(name: str, environ: Mapping[str, str] | None) -> str | None:
    return (os.environ if environ is None else environ).get(name)


def env_str(name: str, default: str = "", *, environ: Mapping[str, str] | None = None) -> str:
    value = _raw(name, environ)
    return default if value is None else value.strip()


def env_bool(name: str, default: bool = False, *, environ: Mapping[str, str] | None = None) -> bool:
    value = _raw(name, environ)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ConfigError(f"{name} must be one of true/false/1/0/yes/no/on/off, not {value!r}.")


def env_int(
    name: str,
    default: int,
    *,
    minimum: int | None = None,
    maximum: int | None = None,
    environ: Mapping[str, str] | None = None,
) -> int:
    value = _raw(name, environ)
    if value is None or value.strip() == "":
        number = default
    else:
        try:
            number = int(value.strip())
        except ValueError:
            raise ConfigError(f"{name} must be a whole number, not {value!r}.") from None
    if minimum is not None and number < minimum:
        raise ConfigError(f"{name} must be at least {minimum}, not {number}.")
    if maximum is not None and number > maximum:
        raise ConfigError(f"{name} must be at most {maximum}, not {number}.")
    return number


def env_decimal(
    name: str,
    default: str,
    *,
    minimum: str,
    maximum: str,
    environ: Mapping[str, str] | None = None,
) -> Decimal:
    """A decimal number such as a temperature threshold, kept exact (no binary float)."""
    value = _raw(name, environ)
    text = default if value is None or value.strip() == "" else value.strip()
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ConfigError(f"{name} must be a number such as {default}, not {value!r}.") from None
    if not number.is_finite() or not Decimal(minimum) <= number <= Decimal(maximum):
        raise ConfigError(f"{name} must be between {minimum} and {maximum}, not {text}.")
    return number


def env_list(
    name: str, default: Sequence[str] = (), *, environ: Mapping[str, str] | None = None
) -> list[str]:
    value = _raw(name, environ)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def env_choice(
    name: str, default: str, choices: Sequence[str], *, environ: Mapping[str, str] | None = None
) -> str:
    value = env_str(name, default, environ=environ)
    if value not in choices:
        raise ConfigError(f"{name} must be one of {', '.join(choices)}, not {value!r}.")
    return value


def env_time_zone(name: str, default: str, *, environ: Mapping[str, str] | None = None) -> str:
    value = env_str(name, default, environ=environ)
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"{name} must be an IANA time zone such as Europe/London, not {value!r}."
        ) from None
    return value


def env_month_day(
    name: str, default: str, *, environ: Mapping[str, str] | None = None
) -> tuple[int, int]:
    """A calendar day written MM-DD, e.g. 10-01 for the first of October."""
    value = env_str(name, default, environ=environ)
    try:
        month_text, day_text = value.split("-")
        month, day = int(month_text), int(day_text)
    except ValueError:
        raise ConfigError(f"{name} must look like MM-DD, not {value!r}.") from None
    days_in_month = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
    if not (1 <= month <= 12 and 1 <= day <= days_in_month[month - 1]) or (month, day) == (2, 29):
        raise ConfigError(f"{name} must be a real calendar day (not 29 February), not {value!r}.")
    return month, day


def env_hour_minute(
    name: str, default: str, *, environ: Mapping[str, str] | None = None
) -> tuple[int, int]:
    """A clock time written HH:MM in the clinic's time zone."""
    value = env_str(name, default, environ=environ)
    try:
        hour_text, minute_text = value.split(":")
        hour, minute = int(hour_text), int(minute_text)
    except ValueError:
        raise ConfigError(f"{name} must look like HH:MM, not {value!r}.") from None
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        raise ConfigError(f"{name} must be a time between 00:00 and 23:59, not {value!r}.")
    return hour, minute


def env_url(
    name: str, default: str, *, schemes: Sequence[str], environ: Mapping[str, str] | None = None
) -> str:
    value = env_str(name, default, environ=environ)
    scheme = urlsplit(value).scheme
    if scheme not in schemes:
        raise ConfigError(f"{name} must start with one of {', '.join(schemes)}://, not {value!r}.")
    return value


_EMAIL_BACKENDS = {
    "console": "clinic_portal.core.console_mail.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
    "dummy": "django.core.mail.backends.dummy.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "smtps": "django.core.mail.backends.smtp.EmailBackend",
    "submission": "django.core.mail.backends.smtp.EmailBackend",
}


def parse_email_url(name: str, value: str) -> dict:
    """Turn an ``EMAIL_URL`` into one Django 6.1 ``MAILERS`` entry.

    ``smtp://user:pass@host:587`` uses STARTTLS (submission), ``smtps://…:465`` implicit TLS,
    ``console:``, ``locmem:`` and ``dummy:`` select the local backends. Passwords may be
    percent-encoded.
    """
    parts = urlsplit(value)
    scheme = parts.scheme
    if scheme not in _EMAIL_BACKENDS:
        raise ConfigError(
            f"{name} must start with one of {', '.join(sorted(_EMAIL_BACKENDS))}:, not {value!r}."
        )
    entry: dict = {"BACKEND": _EMAIL_BACKENDS[scheme]}
    if scheme in {"console", "locmem", "dummy"}:
        return entry
    if not parts.hostname:
        raise ConfigError(f"{name} needs a host, for example smtp://user:pass@mail.example:587.")
    try:
        port = parts.port
    except ValueError:
        raise ConfigError(f"{name} has an invalid port in {value!r}.") from None
    query = parse_qs(parts.query)
    options: dict = {
        "host": parts.hostname,
        "port": port or (465 if scheme == "smtps" else 587),
        "timeout": int(query.get("timeout", ["10"])[0]),
    }
    if parts.username:
        options["username"] = unquote(parts.username)
        options["password"] = unquote(parts.password or "")
    if scheme == "smtps":
        options["use_ssl"] = True
    elif query.get("tls", ["true"])[0].lower() in _TRUE:
        options["use_tls"] = True
    entry["OPTIONS"] = options
    return entry
