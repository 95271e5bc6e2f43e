import os
import shutil
from pathlib import Path

import pytest

from tests import factories


def pytest_collection_modifyitems(config, items):
    """Browser tests need Debian's chromium. On a machine without it they skip with one
    line; in CI (DANGQUN_REQUIRE_BROWSER=1) they run and a missing browser fails them."""
    without_browser = pytest.mark.skipif(
        os.environ.get("DANGQUN_REQUIRE_BROWSER") != "1" and not shutil.which("chromium"),
        reason="no chromium here (apt-get install chromium)",
    )
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(without_browser)


@pytest.fixture(autouse=True, scope="session")
def _static_root_exists():
    # WhiteNoise warns on every request when STATIC_ROOT is missing (no collectstatic here).
    from django.conf import settings

    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)


@pytest.fixture(autouse=True)
def _no_token_uses_left_over():
    # API token uses are written in batches (accounts.services.token_uses); one test's
    # pending uses must not be written into, or counted by, the next.
    from dangqun.accounts.services import token_uses

    token_uses.clear()
    yield
    token_uses.clear()


@pytest.fixture(autouse=True)
def _plain_static_files(settings, tmp_path):
    # The manifest storage needs collectstatic; tests read the app folders directly.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.MEDIA_ROOT = tmp_path / "media"
    # The production hasher is slow on purpose; tests check behaviour, not its cost.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_working_days():
    # The working-day calendar is cached per process; a rolled-back test's entered days
    # must not outlive it.
    from dangqun.workdays import selectors

    selectors.forget()
    yield
    selectors.forget()


@pytest.fixture(autouse=True)
def _default_language():
    # A request through the test client leaves its language active in this thread, and
    # places now name themselves in the active language: one test's English must not
    # rename the next test's streets.
    from django.conf import settings
    from django.utils import translation

    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def district(db):
    return factories.district_tree()


@pytest.fixture
def person(db):
    return factories.PersonFactory()


@pytest.fixture
def as_person(client):
    """Sign the test client in as a person (any staff role or none); returns the client."""

    def sign_in(person):
        client.force_login(person, backend="dangqun.accounts.backends.PersonBackend")
        return client

    return sign_in


@pytest.fixture
def sms_outbox(settings):
    """Messages the SMS sender sent during the test, as (mobile, text)."""
    settings.SMS_SENDER = "tests.factories.OutboxSender"
    factories.OutboxSender.outbox.clear()
    return factories.OutboxSender.outbox


@pytest.fixture
def english():
    """Messages in English, for tests that read a service's wording."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def race_db(django_db_serialized_rollback, transactional_db):
    """Committed rows that other connections (server threads, worker threads) can see.
    Each test starts from the migrated database, built-in rows included, which the flush
    after a transactional test would otherwise leave empty."""
