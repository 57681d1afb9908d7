"""Playwright drives Debian's /usr/bin/chromium: Playwright's own browser download cannot work here.

Skipping when Chromium is missing, and failing on that skip under REQUIRE_BROWSER=1 or CI=true,
lives in tests/plugins/require_browser.py so it covers browser tests wherever they are.
"""

import os
from pathlib import Path

import pytest

from tests.plugins.require_browser import CHROMIUM

HERE = Path(__file__).resolve().parent
ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",  # CI runs as root, where Chromium's sandbox refuses to start
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # No calls home: the CI machine has no network beyond the package registries.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    # Browser tests run last (a stable sort keeps the rest in order): they are the slowest, and
    # Playwright's session-long event loop must not be alive while the other tests run (below).
    items.sort(key=lambda item: item.path.is_relative_to(HERE))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item, nextitem):
    """DJANGO_ALLOW_ASYNC_UNSAFE=true while a browser test runs, and only then.

    Playwright's sync API marks its asyncio loop as running in the test thread between calls,
    so Django refuses ORM calls there (SynchronousOnlyOperation) although nothing is concurrent.
    Set at import time instead, the variable leaks into every later test and into subprocesses:
    `dianjiao check --deploy` then fails with async.E001. The last browser test's protocol also
    covers the teardown of the session fixtures (Playwright, the test database).
    """
    if not item.path.is_relative_to(HERE):  # pytest calls this hook for every test
        return (yield)
    previous = os.environ.get(ASYNC_UNSAFE)
    os.environ[ASYNC_UNSAFE] = "true"
    try:
        return (yield)
    finally:
        if previous is None:
            os.environ.pop(ASYNC_UNSAFE, None)
        else:
            os.environ[ASYNC_UNSAFE] = previous


PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # The users are in Xinjiang on Chinese-language phones and PCs; Chromium's default en-US
    # would make Django's LocaleMiddleware answer in English.
    return {**browser_context_args, "locale": "zh-CN", "timezone_id": "Asia/Shanghai"}


@pytest.fixture
def phone_page(new_context):
    """A page the size of a common phone (390×844 CSS px), touch enabled."""
    return new_context(viewport=PHONE, has_touch=True, is_mobile=True).new_page()


@pytest.fixture
def desktop_page(new_context):
    return new_context(viewport=DESKTOP).new_page()
