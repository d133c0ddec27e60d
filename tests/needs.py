"""What a test needs beyond Python: a database server or a program.

Outside CI a test whose server or program is missing is skipped, and the skip names what
provides it (``tools/services.sh`` starts the servers, Debian's packages hold the
programs). In CI (``CI=true``) the same test fails instead: ``.ci/run`` installs and starts
everything, so a skip there would hide a missing install step.
"""

from __future__ import annotations

import functools
import os
import shutil
from collections.abc import Callable

import pytest

PG_URL = "postgresql://postgres@127.0.0.1:5432/test"
MARIADB = {"host": "127.0.0.1", "port": 3306, "user": "root"}
SERVICES = "run tools/services.sh, which installs and starts it"


@functools.cache
def _postgresql_answers() -> bool:
    try:
        import psycopg

        psycopg.connect(PG_URL, connect_timeout=3).close()
    except Exception:
        return False
    return True


@functools.cache
def _mariadb_answers() -> bool:
    try:
        import pymysql

        pymysql.connect(**MARIADB, connect_timeout=3).close()  # type: ignore[arg-type]
    except Exception:
        return False
    return True


def _program(name: str) -> Callable[[], bool]:
    return lambda: shutil.which(name) is not None


#: name -> (what it is, whether it is there, what provides it)
_NEEDS: dict[str, tuple[str, Callable[[], bool], str]] = {
    "postgresql": (
        "PostgreSQL on 127.0.0.1:5432 (user postgres, database test)",
        _postgresql_answers,
        SERVICES,
    ),
    "mariadb": ("MariaDB on 127.0.0.1:3306 (user root, database test)", _mariadb_answers, SERVICES),
    "psql": ("the psql client", _program("psql"), "apt-get install postgresql-client"),
    "mariadb-client": ("the mariadb client", _program("mariadb"), "apt-get install mariadb-client"),
    "sqlite3": ("the sqlite3 shell", _program("sqlite3"), "apt-get install sqlite3"),
    "parallel": ("GNU parallel", _program("parallel"), "apt-get install parallel"),
    "chromium": (
        "Debian's Chromium (/usr/bin/chromium) and Playwright",
        lambda: os.path.exists("/usr/bin/chromium") and _importable("playwright"),
        "run tools/browser.sh (and install the test extra, which has Playwright)",
    ),
}


def _importable(name: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(name) is not None


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def require(*names: str) -> None:
    """Skip the running test (fail it in CI) unless every named server or program is there."""
    for name in names:
        what, present, provider = _NEEDS[name]
        if not present():
            message = f"needs {what}: {provider}"
            if in_ci():
                pytest.fail(f"{message} (CI must provide it)", pytrace=False)
            pytest.skip(message)
