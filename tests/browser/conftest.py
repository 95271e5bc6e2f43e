"""Browser tests: Playwright's sync API driving Debian's chromium against pytest-django's
live server. The live server runs in a thread of this process, so the SMS codes the console
sender logs can be read from the log records. Every test builds its rows in fixtures,
before the browser starts, and reads nothing from the database itself."""

import logging
import re
import shutil
from contextlib import ExitStack

import pytest
from playwright.sync_api import sync_playwright

from tests import factories

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def new_context(live_server, monkeypatch):
    """Open a browser context (its own cookies and locale) whose relative URLs go to the
    live server.

    Chromium starts at the first call, inside the test, and stops when the test ends.
    While Playwright runs, this thread has a running asyncio loop, and Django then hands
    the thread fresh database connections (asgiref's context-local storage) and refuses
    database work unless DJANGO_ALLOW_ASYNC_UNSAFE is set. Starting late and stopping early
    keeps the test's rows, the flush after it and the other tests on their usual
    connections; the variable is set only for the browser tests."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with ExitStack() as stack:
        started = {}

        def open_context(*, locale: str = "zh-CN", width: int = 1280, height: int = 900):
            if "browser" not in started:
                playwright = stack.enter_context(sync_playwright())
                started["browser"] = playwright.chromium.launch(
                    executable_path=shutil.which("chromium") or "/usr/bin/chromium",
                    headless=True,
                    args=CHROMIUM_ARGS,
                )
                stack.callback(started["browser"].close)
            context = started["browser"].new_context(
                base_url=live_server.url,
                locale=locale,
                viewport={"width": width, "height": height},
            )
            context.set_default_timeout(15_000)
            stack.callback(context.close)
            return context

        yield open_context


@pytest.fixture
def browser_db(django_db_serialized_rollback, transactional_db):
    """The live server sees committed rows only. Each test starts from the migrated
    database (built-in space kinds included), which the flush after a transactional
    test would otherwise leave empty for the next one."""


@pytest.fixture
def district_with_spaces(browser_db):
    tree = factories.district_tree()
    factories.SpaceFactory(
        center=tree.xianlin_center, name="创客空间", name_en="Maker Space", capacity=30
    )
    factories.SpaceFactory(
        center=tree.xianlin_center, name="老年食堂", name_en="Elderly Canteen", capacity=None
    )
    return tree


MESSAGE = re.compile(r"^SMS to (?P<mobile>\S+): (?P<text>.*)$", re.DOTALL)
CODE = re.compile(r"(?<!\d)\d{6}(?!\d)")


@pytest.fixture
def sms_codes(caplog):
    """Read the sign-in code the console sender logged for a mobile number."""
    caplog.set_level(logging.INFO, logger="dangqun.sms")

    def latest_code(mobile: str) -> str:
        for record in reversed(caplog.records):
            message = MESSAGE.match(record.getMessage())
            if record.name != "dangqun.sms" or not message or message["mobile"] != mobile:
                continue
            found = CODE.search(message["text"])
            assert found, f"no 6-digit code in the message: {message['text']!r}"
            return found.group(0)
        raise AssertionError(f"no SMS to {mobile} was logged")

    return latest_code
