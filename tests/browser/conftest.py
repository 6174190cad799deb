"""Browser tests: Debian's chromium driven by Playwright (never a downloaded browser).

Without /usr/bin/chromium they skip locally and fail under CI=true (scripts/install-browser installs it).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.browser.live import CHROMIUM, LAUNCH_ARGS, live_console

IN_CI = os.environ.get("CI", "").lower() == "true"


@pytest.fixture(scope="package")
def browser():
    """One Chromium for the browser tests of this package; closed when they are done — Playwright's sync API
    keeps an event loop running in the main thread while it is open, which would break every later test that
    calls asyncio.run() (a crawl's dry run) or opens Playwright again."""
    if not Path(CHROMIUM).exists():
        reason = f"{CHROMIUM} is missing (run scripts/install-browser)"
        if IN_CI:
            pytest.fail(f"CI=true and {reason}", pytrace=False)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield b
        b.close()


@pytest.fixture
def console(tmp_path):
    with live_console(tmp_path) as (base, app):
        yield base, app


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(15000)
    yield pg
    context.close()
