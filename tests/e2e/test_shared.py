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
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from data.filters import Filters
from data.frames import events_frame
from data.loading import load_dataset
from tests.e2e.conftest import _require_browser, screenshot
from tests.e2e.support import (
    ROOT,
    ProcessSnapshot,
    SocketWatch,
    download_csv_rows,
    free_port,
    replica_pids,
    upstream_down,
    wait_healthy,
    wait_rendered,
)

pytestmark = pytest.mark.browser

# Text that only the dataset can put on a page or in a websocket message.
DATASET_MARKERS = ["People killed", "Latest events", "Maduro", "strike-2025"]
DOWNLOAD = "Download these events (CSV)"


@dataclass(frozen=True)
class SharedStack:
    url: str
    run_dir: Path


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SharedStack]:
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
            yield SharedStack(url, run_dir)
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


def test_anonymous_visitor_gets_the_login_page_and_no_data(browser, shared: SharedStack) -> None:  # noqa: ANN001
    context = browser.new_context()
    page = context.new_page()
    frames = _record_frames(page)
    page.goto(f"{shared.url}/timeline?theater=caribbean")
    page.get_by_role("button", name="Log in").wait_for(timeout=60_000)
    page.wait_for_timeout(1500)
    body = page.inner_text("body")
    assert [m for m in DATASET_MARKERS if m in body] == []
    sent = b"".join(frames)
    assert frames and [m for m in DATASET_MARKERS if m.encode() in sent] == []
    screenshot(page, "shared-anonymous")
    context.close()


def test_login_shows_the_app_and_the_user_and_logout_ends_it(browser, shared: SharedStack) -> None:  # noqa: ANN001
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    _log_in(page, shared.url)
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


def test_a_deep_link_opened_signed_out_lands_on_its_view_after_login(browser, shared: SharedStack) -> None:  # noqa: ANN001
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.goto(f"{shared.url}/casualties?theater=caribbean&from=2025-10-01")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("button", name="alice@example.org").click()  # the mock provider's sign-in page
    page.wait_for_url("**/casualties?**", timeout=60_000)
    wait_rendered(page, charts=4)
    assert parse_qs(urlparse(page.url).query) == {"theater": ["caribbean"], "from": ["2025-10-01"]}
    assert page.locator("h1", has_text="Casualties").count() == 1
    theater = page.locator('[data-testid="stMultiSelect"]', has_text="Theater")
    assert "Caribbean" in theater.inner_text()
    assert not [c for c in context.cookies() if c["name"] == "cm_next"]  # followed once, then forgotten
    # a later visit to the bare root stays there
    page.goto(shared.url)
    page.get_by_text("People killed").first.wait_for(timeout=60_000)
    assert urlparse(page.url).path == "/" and not urlparse(page.url).query
    context.close()


def test_only_our_own_page_paths_are_followed_after_login(shared: SharedStack) -> None:
    """A planted cm_next cookie cannot send a signed-in user elsewhere (nginx only follows our page paths)."""
    for planted, followed in [
        ("/timeline?theater=caribbean", "/timeline?theater=caribbean"),
        ("//evil.example/x", None),
        ("https://evil.example/", None),
        ("/elsewhere", None),
        ("/timeline|/elsewhere", None),
    ]:
        request = urllib.request.Request(  # noqa: S310 - localhost
            f"{shared.url}/", headers={"Cookie": f"_streamlit_user=anything; cm_next={planted}"}
        )
        opener = urllib.request.build_opener(_NoRedirect())
        try:
            with opener.open(request, timeout=10) as response:
                location = None if response.status == 200 else response.headers.get("Location")
        except urllib.error.HTTPError as error:
            location = error.headers.get("Location")
        assert location == followed, planted


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN201
        return None


def test_a_forged_auth_cookie_is_rejected(browser, shared: SharedStack) -> None:  # noqa: ANN001
    context = browser.new_context()
    host = shared.url.split("//")[1].split(":")[0]
    context.add_cookies([{"name": "_streamlit_user", "value": "forged.garbage.value", "domain": host, "path": "/"}])
    page = context.new_page()
    frames = _record_frames(page)
    page.goto(shared.url)
    page.get_by_role("button", name="Log in").wait_for(timeout=60_000)
    page.wait_for_timeout(1000)
    assert "People killed" not in page.inner_text("body")
    assert [m for m in DATASET_MARKERS if m.encode() in b"".join(frames)] == []
    context.close()


def test_direct_requests_without_login_get_no_data(shared: SharedStack) -> None:
    for path in ["/", "/timeline", "/casualties?theater=caribbean", "/_stcore/health"]:
        try:
            with urllib.request.urlopen(f"{shared.url}{path}", timeout=10) as response:  # noqa: S310 - localhost
                text = response.read().decode(errors="replace")
        except urllib.error.HTTPError as error:
            text = error.read().decode(errors="replace")
        assert [m for m in DATASET_MARKERS if m in text] == [], path
    # media files (downloads) are served only by id from a live session; a guessed one is refused
    with pytest.raises(urllib.error.HTTPError):
        urllib.request.urlopen(f"{shared.url}/media/0123456789abcdef.csv", timeout=10)  # noqa: S310


def _route_port(context) -> int:  # noqa: ANN001
    """The replica holding this browser's session, from nginx's route cookie (r127_0_0_1_<port>)."""
    route = next(c["value"] for c in context.cookies() if c["name"] == "cm_route")
    return int(route.rsplit("_", 1)[1])


def _wait_until(predicate, timeout_s: float) -> float | None:  # noqa: ANN001
    started = time.monotonic()
    while time.monotonic() - started < timeout_s:
        if predicate():
            return time.monotonic() - started
        time.sleep(0.1)
    return None


# Last in the module: it kills, restarts and freezes the stack's replicas.
def test_a_users_tab_survives_a_killed_a_restarted_and_a_frozen_replica(browser, shared: SharedStack) -> None:  # noqa: ANN001
    expected = set(Filters(theaters=("caribbean",)).apply(events_frame(load_dataset()))["id"])
    context = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True)
    page = context.new_page()
    sockets = SocketWatch(page)
    _log_in(page, shared.url)
    page.goto(f"{shared.url}/timeline?theater=caribbean")
    wait_rendered(page, charts=1)
    assert {row["id"] for row in download_csv_rows(page, DOWNLOAD, 30_000)} == expected
    home = _route_port(context)
    pids = replica_pids(shared.run_dir)
    assert len(pids) == 2 and home in pids
    (other,) = set(pids) - {home}

    # 1. Kill the replica holding her session: the tab reconnects to the other one and runs the page there.
    killed = ProcessSnapshot.of(pids[home])
    before = len(sockets.frames)
    os.kill(pids[home], signal.SIGKILL)
    recovered = sockets.wait_for_run_on_new_socket(page, before, 60_000)
    assert recovered is not None, "the tab did not get a script run on the surviving replica"
    wait_rendered(page, charts=1)
    assert _route_port(context) == other
    assert {row["id"] for row in download_csv_rows(page, DOWNLOAD, 30_000)} == expected
    # Nothing listens there: nginx's passive checks route around it; the watchdog leaves it (no reload, nobody cut).
    assert not upstream_down(shared.run_dir, home)
    print(f"kill: tab ran again on the other replica after {recovered:.1f} s")

    # 2. Restart it. New sessions go there again, her downloads still reach the replica that holds her session.
    killed.start_in(shared.run_dir, f"replica-{home}.restarted.log")
    wait_healthy(f"http://127.0.0.1:{home}", timeout=90)
    page.wait_for_timeout(4_000)  # past nginx's fail_timeout (3 s): it tries the restarted replica again
    login = [c for c in context.cookies() if c["name"] == "_streamlit_user"]
    newcomer = browser.new_context(viewport={"width": 1400, "height": 900})
    newcomer.add_cookies(login)  # the same user in a new browser: no route yet, so the hash decides
    newcomer_page = newcomer.new_page()
    newcomer_page.goto(f"{shared.url}/timeline")
    wait_rendered(newcomer_page, charts=1)
    assert _route_port(newcomer) == home, "the restarted replica gets no new sessions"
    newcomer.close()
    assert _route_port(context) == other
    assert {row["id"] for row in download_csv_rows(page, DOWNLOAD, 30_000)} == expected

    # 3. Freeze the replica she is on now: the watchdog routes around it and her tab runs on the other one.
    frozen_port = _route_port(context)
    frozen_pid = replica_pids(shared.run_dir)[frozen_port]
    before = len(sockets.frames)
    os.kill(frozen_pid, signal.SIGSTOP)
    try:
        recovered = sockets.wait_for_run_on_new_socket(page, before, 40_000)
        assert recovered is not None, "the tab hung on the frozen replica"
        assert recovered < 15, f"routing around a frozen replica took {recovered:.1f} s"
        assert upstream_down(shared.run_dir, frozen_port)
        wait_rendered(page, charts=1)
        assert _route_port(context) != frozen_port
        assert {row["id"] for row in download_csv_rows(page, DOWNLOAD, 30_000)} == expected
        print(f"freeze: tab ran again on the other replica after {recovered:.1f} s")
    finally:
        os.kill(frozen_pid, signal.SIGCONT)
    assert _wait_until(lambda: not upstream_down(shared.run_dir, frozen_port), 30) is not None
    screenshot(page, "shared-after-failover")
    context.close()
