"""Django for the web tests: settings from safeguard.web.settings with a throw-away data folder and key,
the test database (SQLite in memory, or PostgreSQL's test_<name> when DATABASE_URL is set) created once
for the session. Skipped, with the reason, where the `web` extra is not installed."""

from __future__ import annotations

import os
import tempfile

import pytest

pytest.importorskip("django", reason="the web tests need the web extra: pip install -e '.[web]'")

_DATA = tempfile.mkdtemp(prefix="safeguard-web-test-")
os.environ["SAFEGUARD_DATA_DIR"] = _DATA
os.makedirs(os.path.join(_DATA, "static"), exist_ok=True)  # WhiteNoise warns when STATIC_ROOT is missing
os.environ.setdefault("SAFEGUARD_SECRET_KEY", "test-secret-key-not-for-production-0123456789abcdef")
os.environ["DJANGO_SETTINGS_MODULE"] = "safeguard.web.settings"
os.environ.pop("SAFEGUARD_KEY", None)  # the key file path is exercised: created in the temp folder

import django  # noqa: E402

django.setup()


@pytest.fixture(scope="session", autouse=True)
def django_test_database():
    from django.test.utils import (
        setup_databases,
        setup_test_environment,
        teardown_databases,
        teardown_test_environment,
    )

    setup_test_environment()
    old = setup_databases(verbosity=0, interactive=False)
    yield
    teardown_databases(old, verbosity=0)
    teardown_test_environment()
