"""An open tab whose server process is replaced rebuilds its view by itself (dashboard/reconnect.py).

The same thing happens to a tab after a failover to another replica (tests/e2e/test_shared.py) and after an
analyst restarts `streamlit run`: the new process has never seen the session. Without the reconnect trigger the
tab keeps the old page, no script runs, and its download fails (checked by removing the trigger).
"""

from __future__ import annotations

import pytest

from data.filters import Filters
from data.frames import events_frame
from data.loading import load_dataset
from tests.e2e.conftest import _require_browser
from tests.e2e.support import ROOT, SocketWatch, download_csv_rows, free_port, streamlit_server, wait_rendered

pytestmark = pytest.mark.browser

DOWNLOAD = "Download these events (CSV)"


def test_an_open_tab_rebuilds_its_view_on_a_restarted_server(browser) -> None:  # noqa: ANN001
    _require_browser()
    expected = set(Filters(theaters=("caribbean",)).apply(events_frame(load_dataset()))["id"])
    port = free_port()
    context = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True)
    page = context.new_page()
    sockets = SocketWatch(page)
    with streamlit_server(ROOT / "dashboard" / "app.py", port=port) as (url, process):
        page.goto(f"{url}/timeline?theater=caribbean")
        wait_rendered(page, charts=1)
        assert {row["id"] for row in download_csv_rows(page, DOWNLOAD, 30_000)} == expected
        page.evaluate("window.sameDocument = true")  # gone if the page were reloaded
        before = len(sockets.frames)
        process.kill()
        process.wait()
    with streamlit_server(ROOT / "dashboard" / "app.py", port=port):
        # No click, no reload: the tab reconnects and the new process runs the page for it.
        assert sockets.wait_for_run_on_new_socket(page, before, 90_000) is not None, "no script ran after reconnect"
        wait_rendered(page, charts=1)
        # the download registered by that run comes from the new process, with the same view
        assert {row["id"] for row in download_csv_rows(page, DOWNLOAD, 30_000)} == expected
        assert page.evaluate("window.sameDocument === true")
        assert "theater=caribbean" in page.url
        assert page.locator('[data-testid="stException"]').count() == 0
    context.close()
