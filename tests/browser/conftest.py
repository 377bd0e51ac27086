"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

Never download a browser: CI installs `chromium fonts-noto-cjk` from Debian, and the tests
are skipped where /usr/bin/chromium is absent.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")

# Playwright's sync API keeps an event loop alive in the main thread for the whole session,
# so Django's async guard would refuse every ORM call made afterwards, here and in the tests
# that run later in the same process.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

requires_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="Debian's chromium is not installed (apt-get install chromium fonts-noto-cjk)"
)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            "--disable-sync",
            "--disable-quic",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # An office desktop in Hunan: a laptop screen, Chinese locale, Beijing time.
    return {
        **browser_context_args,
        "viewport": {"width": 1366, "height": 768},
        "locale": "zh-CN",
        "timezone_id": "Asia/Shanghai",
    }


@pytest.fixture
def page(page, live_server):
    """A page that fails its test on a broken static file, a server error or a console error."""
    problems: list[str] = []

    def on_response(response):
        # /favicon.ico too, which Chromium asks for by itself: the site answers it.
        if response.status >= 400:
            problems.append(f"{response.status} {response.url}")

    def on_console(message):
        if message.type == "error":
            problems.append(f"console {message.type}: {message.text}")

    page.on("response", on_response)
    page.on("console", on_console)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.set_default_timeout(10_000)
    page.problems = problems
    yield page
