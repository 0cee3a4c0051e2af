"""Start the real app and drive Debian's Chromium with Playwright (shared by tests and benchmarks)."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

CHROMIUM = os.environ.get("CRISIS_MONITOR_CHROMIUM", "/usr/bin/chromium")
# Flags that keep headless Chromium quiet on a machine with no internet.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_healthy(url: str, timeout: float = 60.0) -> float:
    """Poll Streamlit's health endpoint; return the seconds it took."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        with (
            contextlib.suppress(OSError),
            urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response,  # noqa: S310 - localhost only
        ):
            if response.status == 200:
                return time.perf_counter() - started
        time.sleep(0.1)
    raise TimeoutError(f"{url} did not become healthy in {timeout} s")


@contextlib.contextmanager
def streamlit_server(
    script: Path, *, env: dict[str, str] | None = None, port: int | None = None, extra_args: list[str] | None = None
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """Run `streamlit run script` on a free localhost port; yield its base URL and process."""
    port = port or free_port()
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(script),
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        *(extra_args or []),
    ]
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            command, cwd=ROOT, env={**os.environ, **(env or {})}, stdout=log, stderr=subprocess.STDOUT
        )
        try:
            try:
                wait_healthy(url)
            except TimeoutError:
                log.seek(0)
                output = log.read().decode(errors="replace")[-3000:]
                raise TimeoutError(f"server did not start:\n{output}") from None
            yield url, process
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


RENDERED_JS = """
(expectedCharts) => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (document.querySelector('[data-testid="stSkeleton"], [data-stale="true"]')) return false;
  const charts = document.querySelectorAll('[data-testid="stPlotlyChart"]');
  if (charts.length < expectedCharts) return false;
  for (const chart of charts) {
    const svg = chart.querySelector('.main-svg');
    if (!svg || svg.getBoundingClientRect().height === 0) return false;
  }
  return true;
}
"""


def wait_rendered(page: Any, *, charts: int = 0, timeout_ms: int = 60_000, polling: str | int = 50) -> None:
    """Wait until the script finished, nothing is stale or loading, and every chart is drawn.

    Benchmarks pass polling="raf" to check on every animation frame.
    """
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout_ms)
    page.wait_for_function(RENDERED_JS, arg=charts, timeout=timeout_ms, polling=polling)
