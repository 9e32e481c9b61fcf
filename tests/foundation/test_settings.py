import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _import_settings(**env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "EMAIL_", "CLINIC_"))
    }
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import clinic_portal.settings as s; print(s.MAILERS['default']['BACKEND'])",
        ],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_it_refuses_to_start_without_a_secret_key_when_debug_is_off():
    result = _import_settings(DJANGO_DEBUG="0")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is required" in result.stderr


def test_it_refuses_to_start_with_a_bad_boolean():
    result = _import_settings(DJANGO_DEBUG="perhaps")
    assert result.returncode != 0
    assert "DJANGO_DEBUG must be one of" in result.stderr


def test_production_defaults_to_smtp_and_debug_to_the_console():
    production = _import_settings(DJANGO_DEBUG="0", DJANGO_SECRET_KEY="x" * 60)
    assert production.stdout.strip() == "django.core.mail.backends.smtp.EmailBackend"
    debug = _import_settings(DJANGO_DEBUG="1")
    assert debug.stdout.strip() == "clinic_portal.core.console_mail.EmailBackend"


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("CLINIC_TIME_ZONE", "Nowhere/Special"),
        ("CLINIC_SCREENING_POLICY", "relaxed"),
        ("CLINIC_FLU_SEASON_START", "31-10"),
        ("CELERY_BROKER_URL", "ftp://broker"),
        ("EMAIL_URL", "telegram://x"),
    ],
)
def test_a_bad_clinic_setting_stops_start_up_with_its_name(variable, value):
    result = _import_settings(DJANGO_DEBUG="1", **{variable: value})
    assert result.returncode != 0
    assert variable in result.stderr


def test_the_var_folder_exists_for_beat_even_with_postgresql_and_redis(tmp_path):
    # A fresh clone run with DATABASE_URL and CELERY_BROKER_URL had no var/, so beat could not
    # open its schedule file and honcho stopped the whole `make run`.
    var = tmp_path / "var"
    result = _import_settings(
        DJANGO_DEBUG="1",
        CLINIC_VAR_DIR=str(var),
        DATABASE_URL="postgres://nobody@127.0.0.1:1/none",
        CELERY_BROKER_URL="redis://127.0.0.1:1/0",
    )
    assert result.returncode == 0, result.stderr
    assert var.is_dir()
