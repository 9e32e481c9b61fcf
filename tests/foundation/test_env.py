import pytest

from clinic_portal.env import (
    ConfigError,
    env_bool,
    env_choice,
    env_hour_minute,
    env_int,
    env_list,
    env_month_day,
    env_time_zone,
    env_url,
    parse_email_url,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1", True),
        ("true", True),
        ("YES", True),
        ("on", True),
        ("0", False),
        ("off", False),
        ("", False),
    ],
)
def test_env_bool_reads_common_spellings(raw, expected):
    assert env_bool("FLAG", environ={"FLAG": raw}) is expected


def test_env_bool_uses_the_default_when_unset():
    assert env_bool("FLAG", True, environ={}) is True


@pytest.mark.parametrize("raw", ["maybe", "2", "tru"])
def test_env_bool_rejects_anything_else_naming_the_variable(raw):
    with pytest.raises(ConfigError, match="FLAG"):
        env_bool("FLAG", environ={"FLAG": raw})


def test_env_int_rejects_text_and_out_of_range_values():
    with pytest.raises(ConfigError, match="whole number"):
        env_int("N", 1, environ={"N": "seven"})
    with pytest.raises(ConfigError, match="at least 1"):
        env_int("N", 1, minimum=1, environ={"N": "0"})
    with pytest.raises(ConfigError, match="at most 10"):
        env_int("N", 1, maximum=10, environ={"N": "11"})
    assert env_int("N", 5, environ={"N": " 8 "}) == 8


def test_env_list_splits_on_commas_and_drops_blanks():
    assert env_list("HOSTS", environ={"HOSTS": "a.example, b.example,,"}) == [
        "a.example",
        "b.example",
    ]


def test_env_choice_rejects_unknown_values():
    with pytest.raises(ConfigError, match="strict, us_label"):
        env_choice("POLICY", "strict", ("strict", "us_label"), environ={"POLICY": "lenient"})


def test_env_time_zone_rejects_made_up_zones():
    assert env_time_zone("TZ", "UTC", environ={"TZ": "Europe/Oslo"}) == "Europe/Oslo"
    with pytest.raises(ConfigError, match="IANA"):
        env_time_zone("TZ", "UTC", environ={"TZ": "Mars/Olympus"})


@pytest.mark.parametrize("raw", ["13-01", "02-30", "02-29", "10/01", "october"])
def test_env_month_day_rejects_impossible_days(raw):
    with pytest.raises(ConfigError):
        env_month_day("DAY", "10-01", environ={"DAY": raw})


def test_env_month_day_reads_month_and_day():
    assert env_month_day("DAY", "10-01", environ={}) == (10, 1)


@pytest.mark.parametrize("raw", ["24:00", "6.30", "07:60"])
def test_env_hour_minute_rejects_bad_times(raw):
    with pytest.raises(ConfigError):
        env_hour_minute("AT", "06:30", environ={"AT": raw})


def test_env_url_insists_on_a_known_scheme():
    with pytest.raises(ConfigError, match="CELERY_BROKER_URL"):
        env_url(
            "CELERY_BROKER_URL", "", schemes=("redis",), environ={"CELERY_BROKER_URL": "amqp://x"}
        )


def test_email_url_becomes_a_mailers_entry_with_starttls():
    entry = parse_email_url("EMAIL_URL", "smtp://user%40clinic:p%2Fss@smtp.example:2525")
    assert entry == {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": "smtp.example",
            "port": 2525,
            "timeout": 10,
            "username": "user@clinic",
            "password": "p/ss",
            "use_tls": True,
        },
    }


def test_email_url_smtps_uses_implicit_tls_on_465():
    options = parse_email_url("EMAIL_URL", "smtps://smtp.example")["OPTIONS"]
    assert options["port"] == 465
    assert options["use_ssl"] is True
    assert "use_tls" not in options


def test_email_url_console_needs_no_host():
    assert parse_email_url("EMAIL_URL", "console:") == {
        "BACKEND": "clinic_portal.core.console_mail.EmailBackend"
    }


@pytest.mark.parametrize("raw", ["smtp://", "carrier-pigeon://x", "smtp://host:notaport"])
def test_email_url_rejects_unusable_values(raw):
    with pytest.raises(ConfigError, match="EMAIL_URL"):
        parse_email_url("EMAIL_URL", raw)


def test_env_decimal_reads_exact_numbers_and_refuses_the_rest():
    from decimal import Decimal

    from clinic_portal.env import env_decimal

    def read(value):
        return env_decimal("T", "38.0", minimum="37.0", maximum="40.0", environ={"T": value})

    assert read("") == Decimal("38.0")
    assert read("37.5") == Decimal("37.5")
    for bad in ("warm", "36.9", "40.1", "NaN"):
        with pytest.raises(ConfigError, match="T must be"):
            read(bad)
