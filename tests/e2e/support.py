"""Start the real app and drive Debian's Chromium with Playwright (shared by tests and benchmarks)."""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import io
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


# --- replica processes of a shared stack (deploy/start-shared.sh), for fault tests and scripts -----------------


def replica_port_of(pid: int) -> int | None:
    """The port a replica process serves (start-shared.sh gives each its STREAMLIT_SERVER_PORT)."""
    try:
        environ = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    except OSError:
        return None
    for entry in environ:
        if entry.startswith(b"STREAMLIT_SERVER_PORT="):
            return int(entry.split(b"=", 1)[1])
    return None


def replica_pids(run_dir: Path) -> dict[int, int]:
    """Port -> pid of the live replicas of the stack in run_dir (from its pids file)."""
    result: dict[int, int] = {}
    for line in (run_dir / "pids").read_text(encoding="utf-8").split():
        port = replica_port_of(int(line))
        if port is not None:
            result[port] = int(line)
    return result


@dataclasses.dataclass
class ProcessSnapshot:
    """What it takes to start a process again alike: command line, environment, working directory."""

    argv: list[str]
    env: dict[str, str]
    cwd: str

    @classmethod
    def of(cls, pid: int) -> ProcessSnapshot:
        argv = [part.decode() for part in Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0") if part]
        env: dict[str, str] = {}
        for entry in Path(f"/proc/{pid}/environ").read_bytes().split(b"\0"):
            if b"=" in entry:
                key, value = entry.split(b"=", 1)
                env[key.decode()] = value.decode()
        return cls(argv, env, os.readlink(f"/proc/{pid}/cwd"))

    def start_in(self, run_dir: Path, log_name: str) -> int:
        """Start it again as part of the stack in run_dir (its pid joins the pids file, so the stack stops it).

        Started through a shell that exits at once: the process is nobody's child here, as the original was.
        """
        launcher = subprocess.run(  # noqa: S603 - the process's own recorded command line
            ["/bin/sh", "-c", 'setsid "$@" >>"$LOG" 2>&1 </dev/null & echo $!', "sh", *self.argv],  # noqa: S607
            env={**self.env, "LOG": str(run_dir / log_name)},
            cwd=self.cwd,
            capture_output=True,
            text=True,
            check=True,
        )
        pid = int(launcher.stdout.strip())
        with (run_dir / "pids").open("a", encoding="utf-8") as pids:
            pids.write(f"{pid}\n")
        return pid


def upstream_down(run_dir: Path, port: int) -> bool:
    """Whether the watchdog has marked the replica on this port down in the stack's routing file."""
    text = (run_dir / "upstream.conf").read_text(encoding="utf-8")
    return any(f"127.0.0.1:{port} " in line and line.rstrip(";").endswith(" down") for line in text.splitlines())


# --- a page's WebSockets and downloads -----------------------------------------------------------------------


class SocketWatch:
    """Counts the frames each WebSocket of a page receives.

    Streamlit's server sends nothing on a fresh socket until a script runs, so frames on a new socket mean the
    page was run again by the process behind it (after a reconnect).
    """

    def __init__(self, page: Any) -> None:
        self.frames: list[int] = []
        page.on("websocket", self._opened)

    def _opened(self, socket: Any) -> None:
        self.frames.append(0)
        index = len(self.frames) - 1

        def received(_payload: object) -> None:
            self.frames[index] += 1

        socket.on("framereceived", received)

    def ran_on_new_socket(self, sockets_before: int) -> bool:
        """Whether a socket opened after the first `sockets_before` has received a frame."""
        return any(count > 0 for count in self.frames[sockets_before:])

    def wait_for_run_on_new_socket(self, page: Any, sockets_before: int, timeout_ms: int) -> float | None:
        """Seconds until a socket opened after `sockets_before` sockets has received a frame, else None."""
        started = time.monotonic()
        while (time.monotonic() - started) * 1000 < timeout_ms:
            if self.ran_on_new_socket(sockets_before):
                return time.monotonic() - started
            page.wait_for_timeout(100)  # lets Playwright deliver events meanwhile
        return None


def download_csv_rows(page: Any, button: str, timeout_ms: int) -> list[dict[str, str]]:
    """Click a download button and parse the CSV that arrives (the table after its provenance block)."""
    from data.export import CSV_PROVENANCE_LINES

    with page.expect_download(timeout=timeout_ms) as download:
        page.get_by_role("button", name=button).click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    if text.startswith("citation,"):
        text = "\n".join(text.split("\n")[CSV_PROVENANCE_LINES:])
    return list(csv.DictReader(io.StringIO(text)))
