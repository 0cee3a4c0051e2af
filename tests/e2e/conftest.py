"""Browser-tier fixtures: one real app server per test session and a headless Chromium.

On a laptop without Chromium these tests skip with a hint; under CI (`CI` set) they fail instead,
because a skipped browser test is not a passed one.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.support import CHROMIUM, CHROMIUM_ARGS, ROOT, streamlit_server

ARTIFACTS = ROOT / "test-artifacts"


def _require_browser() -> None:
    if Path(CHROMIUM).exists():
        return
    message = f"Chromium not found at {CHROMIUM}: install it with `sudo apt-get install -y chromium`."
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def app_url() -> Iterator[str]:
    _require_browser()
    with streamlit_server(ROOT / "dashboard" / "serve.py") as (url, _process):
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    _require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser) -> Iterator[object]:  # noqa: ANN001
    """A fresh page that records console errors and every request to a host other than localhost."""
    context = browser.new_context(viewport={"width": 1500, "height": 1000})
    page = context.new_page()
    page.console_errors = []
    page.foreign_requests = []
    page.failed_responses = []
    page.on("response", lambda response: page.failed_responses.append(response.url) if response.status >= 400 else None)
    page.on("console", lambda message: page.console_errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))

    def route(route_obj) -> None:  # noqa: ANN001
        url = route_obj.request.url
        host = url.split("/")[2] if "://" in url else ""
        if host.split(":")[0] in {"127.0.0.1", "localhost"} or url.startswith(("data:", "blob:")):
            route_obj.continue_()
        else:
            page.foreign_requests.append(url)
            route_obj.abort()

    context.route("**/*", route)
    yield page
    context.close()


# Streamlit's frontend probes its endpoints under the page's path first (e.g. /timeline/_stcore/health)
# and falls back to the root; those 404s are the framework's, and nothing else may fail.
_STREAMLIT_PROBE = re.compile(r"/[^/?]+/_stcore/(health|host-config)$")


def unexplained_errors(page) -> list[str]:  # noqa: ANN001
    """Console errors and failed responses, less Streamlit's own base-path probes."""
    failed = [url for url in page.failed_responses if not _STREAMLIT_PROBE.search(url)]
    probes = len(page.failed_responses) - len(failed)
    resource_errors = [e for e in page.console_errors if e.startswith("Failed to load resource")]
    other_errors = [e for e in page.console_errors if not e.startswith("Failed to load resource")]
    return failed + other_errors + resource_errors[probes:]


def screenshot(page, name: str) -> Path:  # noqa: ANN001
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
