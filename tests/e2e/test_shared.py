"""The shared profile end to end: nginx, two replicas with login, a real local OIDC provider (oidc-provider-mock).

Starts `deploy/start-shared.sh` on free ports and drives it in Chromium. Needs nginx; without it these tests skip
on a laptop with a hint and fail under CI.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.conftest import _require_browser, screenshot
from tests.e2e.support import ROOT, free_port, wait_healthy

pytestmark = pytest.mark.browser

# Text that only the dataset can put on a page or in a websocket message.
DATASET_MARKERS = ["People killed", "Latest events", "Maduro", "strike-2025"]


@pytest.fixture(scope="module")
def shared_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    _require_browser()
    if not shutil.which("nginx") and not Path("/usr/sbin/nginx").exists():
        message = "nginx not found: install it with `sudo apt-get install -y nginx`."
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    public, oidc = free_port(), free_port()
    replicas = f"{free_port()} {free_port()}"
    run_dir = tmp_path_factory.mktemp("shared") / "run"
    env = {
        **os.environ,
        "VENV": str(Path(sys.executable).parent.parent),
        "PUBLIC_PORT": str(public),
        "OIDC_PORT": str(oidc),
        "REPLICA_PORTS": replicas,
        "CRISIS_MONITOR_RUN_DIR": str(run_dir),
        "PATH": os.environ.get("PATH", "") + ":/usr/sbin",
    }
    log = tmp_path_factory.mktemp("shared-log") / "start.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            ["bash", str(ROOT / "deploy" / "start-shared.sh")],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        url = f"http://127.0.0.1:{public}"
        try:
            wait_healthy(url, timeout=120)
            yield url
        except TimeoutError:
            pytest.fail(f"shared stack did not start:\n{log.read_text(errors='replace')[-3000:]}")
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


def _record_frames(page) -> list[bytes]:  # noqa: ANN001
    frames: list[bytes] = []
    page.on(
        "websocket",
        lambda ws: ws.on("framereceived", lambda p: frames.append(p if isinstance(p, bytes) else p.encode())),
    )
    return frames


def _log_in(page, url: str, user: str = "alice@example.org") -> None:  # noqa: ANN001
    page.goto(url)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("button", name=user).click()  # the mock provider's sign-in page
    page.get_by_text("People killed").first.wait_for(timeout=60_000)


def test_anonymous_visitor_gets_the_login_page_and_no_data(browser, shared_url: str) -> None:  # noqa: ANN001
    context = browser.new_context()
    page = context.new_page()
    frames = _record_frames(page)
    page.goto(f"{shared_url}/timeline?theater=caribbean")
    page.get_by_role("button", name="Log in").wait_for(timeout=60_000)
    page.wait_for_timeout(1500)
    body = page.inner_text("body")
    assert [m for m in DATASET_MARKERS if m in body] == []
    sent = b"".join(frames)
    assert frames and [m for m in DATASET_MARKERS if m.encode() in sent] == []
    screenshot(page, "shared-anonymous")
    context.close()


def test_login_shows_the_app_and_the_user_and_logout_ends_it(browser, shared_url: str) -> None:  # noqa: ANN001
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    _log_in(page, shared_url)
    page.get_by_text("Signed in as Alice Analyst").wait_for(timeout=30_000)
    cookie = next(c for c in context.cookies() if c["name"] == "_streamlit_user")
    assert cookie["httpOnly"]
    screenshot(page, "shared-logged-in")
    page.get_by_role("button", name="Log out").click()
    page.get_by_role("button", name="End session").click()  # the provider's end-session page
    page.get_by_role("button", name="Log in").wait_for(timeout=60_000)
    assert "People killed" not in page.inner_text("body")
    assert not [c for c in context.cookies() if c["name"] == "_streamlit_user"]
    context.close()


def test_a_forged_auth_cookie_is_rejected(browser, shared_url: str) -> None:  # noqa: ANN001
    context = browser.new_context()
    host = shared_url.split("//")[1].split(":")[0]
    context.add_cookies([{"name": "_streamlit_user", "value": "forged.garbage.value", "domain": host, "path": "/"}])
    page = context.new_page()
    frames = _record_frames(page)
    page.goto(shared_url)
    page.get_by_role("button", name="Log in").wait_for(timeout=60_000)
    page.wait_for_timeout(1000)
    assert "People killed" not in page.inner_text("body")
    assert [m for m in DATASET_MARKERS if m.encode() in b"".join(frames)] == []
    context.close()


def test_direct_requests_without_login_get_no_data(shared_url: str) -> None:
    for path in ["/", "/timeline", "/casualties?theater=caribbean", "/_stcore/health"]:
        try:
            with urllib.request.urlopen(f"{shared_url}{path}", timeout=10) as response:  # noqa: S310 - localhost
                text = response.read().decode(errors="replace")
        except urllib.error.HTTPError as error:
            text = error.read().decode(errors="replace")
        assert [m for m in DATASET_MARKERS if m in text] == [], path
    # media files (downloads) are served only by id from a live session; a guessed one is refused
    with pytest.raises(urllib.error.HTTPError):
        urllib.request.urlopen(f"{shared_url}/media/0123456789abcdef.csv", timeout=10)  # noqa: S310
