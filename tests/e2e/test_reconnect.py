"""An open tab whose server process is replaced rebuilds its view by itself (dashboard/reconnect.py).

The same thing happens to a tab after a failover to another replica (tests/e2e/test_shared.py) and after an
analyst restarts `streamlit run`: the new process has never seen the session. Without the reconnect trigger the
tab keeps the old page, no script runs, and its download fails (checked by removing the trigger).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from data.filters import Filters
from data.frames import events_frame
from data.loading import load_dataset
from tests.e2e.conftest import _require_browser
from tests.e2e.support import ROOT, free_port, streamlit_server, wait_rendered

pytestmark = pytest.mark.browser


def download_rows(page, timeout_ms: int) -> list[dict[str, str]]:  # noqa: ANN001
    """Click the Timeline's CSV download and parse what arrives."""
    with page.expect_download(timeout=timeout_ms) as download:
        page.get_by_role("button", name="Download these events (CSV)").click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def test_an_open_tab_rebuilds_its_view_on_a_restarted_server(browser) -> None:  # noqa: ANN001
    _require_browser()
    expected = Filters(theaters=("caribbean",)).apply(events_frame(load_dataset()))
    port = free_port()
    context = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True)
    page = context.new_page()
    frames_per_socket: list[int] = []

    def count_frames(socket) -> None:  # noqa: ANN001
        frames_per_socket.append(0)
        index = len(frames_per_socket) - 1
        socket.on("framereceived", lambda _payload: frames_per_socket.__setitem__(index, frames_per_socket[index] + 1))

    page.on("websocket", count_frames)
    with streamlit_server(ROOT / "dashboard" / "app.py", port=port) as (url, process):
        page.goto(f"{url}/timeline?theater=caribbean")
        wait_rendered(page, charts=1)
        assert len(download_rows(page, 30_000)) == len(expected)
        page.evaluate("window.sameDocument = true")  # gone if the page were reloaded
        process.kill()
        process.wait()
    with streamlit_server(ROOT / "dashboard" / "app.py", port=port):
        # No click, no reload: the tab reconnects and the new process runs the page (it only sends messages then)
        deadline = 90_000
        while deadline > 0 and not (len(frames_per_socket) > 1 and frames_per_socket[-1] > 0):
            page.wait_for_timeout(250)
            deadline -= 250
        assert len(frames_per_socket) > 1, "the tab never reconnected"
        assert frames_per_socket[-1] > 0, "the tab reconnected but no script ran on the new process"
        wait_rendered(page, charts=1)
        # and the download, registered by that run, comes from the new process
        rows = download_rows(page, 30_000)
        assert len(rows) == len(expected)
        assert {row["id"] for row in rows} == set(expected["id"])
        assert page.evaluate("window.sameDocument === true")
        assert "theater=caribbean" in page.url
        assert page.locator('[data-testid="stException"]').count() == 0
    context.close()
