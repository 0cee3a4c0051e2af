"""Load test of the shared stack (issue 5): many sessions through nginx, with one and with two replicas.

A script, not a test. It starts the whole shared stack itself (`deploy/start-shared.sh`, on free ports and a
private run directory), once with one replica and once with two, and for each N in `--sizes`:

* opens N sessions at the protocol level, concurrently (asyncio): each opens the app's WebSocket
  `ws://127.0.0.1:PORT/_stcore/stream` through nginx with a signed-in user's cookies, the XSRF token in the
  WebSocket subprotocol header (as Streamlit's frontend does), sends a `rerun_script` BackMsg and waits for the
  `script_finished` ForwardMsg (time to a finished first run, handshake included), then sets the sidebar's
  Theater multiselect (widget id and option label taken from the first run's deltas, value sent as a
  `string_array_value` like the frontend does) and waits for the next `script_finished` (time to a finished
  rerun), then makes one HTTP request through the login gate with its cookie (`/_cm/session`, must be 200:
  "gated GET under load"). Errors: exceptions, exception elements in the deltas, closed sockets, timeouts
  (`--timeout`, 120 s), a gated request refused;
* before each row, on the idle stack, measures the login gate's cost per request: 400 sequential keep-alive GETs
  of the same nginx-made answer behind the gate (`/_cm/session`) and without it (`/_cm/open`), p50 and p95;
* reads each replica's VmRSS (/proc/PID/status) before the sessions open and once all have finished (still
  open), so "MB per extra session" is (after - before) summed over replicas / N;
* in the N=50 two-replica run, also drives `--browsers` (default 2) real Chromium pages (Playwright) that load
  /timeline, change a filter and click "Download these events (CSV)"; the download only arrives if nginx sends
  it to the replica holding that page's session (affinity).

Login: one real browser login (Playwright, "Log in" -> mock provider -> alice@example.org). That cookie alone
would put every protocol session on one replica (nginx hashes on the login cookie), so each protocol session
gets its own user too, signed in at the protocol level before the timed phase: an anonymous WebSocket session
presses the "Log in" button (a trigger widget state), the server answers with an `auth_redirect`, and an HTTP
client follows it through the mock provider (posting `sub=loadNNN@example.org`) back to `/oauth2callback`. A fixed
cookie secret makes those cookies valid in both stacks. `--single-user` uses Alice's cookie for every session.

    .venv/bin/python deploy/loadtest.py [--sizes 10,50,100,200] [--replicas 1,2] [--timeout 120] [--ramp 0]

`--ramp S` lets the N sessions arrive evenly over S seconds instead of at the same instant (people opening the
meeting's link one after another); each session's times count from its own arrival.

It only talks to 127.0.0.1. It prints a table; paste it into deploy/README.md ("Load and fault tests").
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import platform
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.e2e.support import CHROMIUM, CHROMIUM_ARGS, free_port, replica_port_of  # noqa: E402  (shared)

ROOT = Path(__file__).resolve().parent.parent
# The virtualenv whose streamlit, Authlib and oidc-provider-mock the stack runs: this interpreter's, by default.
VENV = Path(os.environ.get("VENV", str(Path(sys.executable).parent.parent)))
USER_COOKIE = "_streamlit_user"
XSRF_COOKIE = "_streamlit_xsrf"
THEATER_LABEL = "Theater"


# --- the stack ------------------------------------------------------------------------------------------------


@dataclass
class Stack:
    """One run of deploy/start-shared.sh in its own process group."""

    replicas: int
    public_port: int
    oidc_port: int
    cookie_secret: str
    run_dir: Path
    replica_ports: list[int] = field(default_factory=list)
    process: subprocess.Popen[str] | None = None
    watchdog_timeout: float | None = None

    @property
    def public_url(self) -> str:
        return f"http://127.0.0.1:{self.public_port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.public_port}/_stcore/stream"

    def start(self, timeout: float = 120.0) -> float:
        self.replica_ports = [free_port() for _ in range(self.replicas)]
        env = dict(os.environ)
        env.update(
            VENV=str(VENV),
            PUBLIC_PORT=str(self.public_port),
            OIDC_PORT=str(self.oidc_port),
            REPLICA_PORTS=" ".join(str(port) for port in self.replica_ports),
            CRISIS_MONITOR_RUN_DIR=str(self.run_dir),
            CRISIS_MONITOR_COOKIE_SECRET=self.cookie_secret,
        )
        if self.watchdog_timeout is not None:
            env["WATCHDOG_TIMEOUT"] = str(self.watchdog_timeout)
        started = time.monotonic()
        self.process = subprocess.Popen(  # noqa: S603 - fixed command
            ["/bin/bash", str(ROOT / "deploy" / "start-shared.sh")],  # noqa: S607
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            start_new_session=True,
        )
        assert self.process.stdout is not None  # noqa: S101 - set by PIPE
        deadline = started + timeout
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()
            if not line:
                break
            if line.startswith("READY"):
                return time.monotonic() - started
        self.stop()
        raise RuntimeError(f"the stack did not print READY within {timeout:.0f} s (logs in {self.run_dir})")

    def stop(self) -> None:
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        self.process = None

    def replica_pids(self) -> dict[int, int]:
        """Replica port -> pid, from the stack's pids file (each replica's environment names its port)."""
        result: dict[int, int] = {}
        pids_file = self.run_dir / "pids"
        for line in pids_file.read_text(encoding="utf-8").split():
            pid = int(line)
            port = replica_port_of(pid)
            if port is not None and port in self.replica_ports:
                result[port] = pid
        return result


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text(encoding="utf-8").splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def http_ok(url: str, timeout: float = 2.0) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - loopback http
            return bool(response.status == 200)
    except OSError:
        return False


# --- browser -------------------------------------------------------------------------------------------------


async def browser_login(playwright: Any, public_url: str) -> list[dict[str, Any]]:
    """One real login in Chromium; returns the context's cookies (login cookie and XSRF cookie)."""
    browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    try:
        context = await browser.new_context()
        page = await context.new_page()
        await page.goto(public_url + "/", timeout=60_000)
        await page.get_by_role("button", name="Log in").click(timeout=60_000)
        await page.get_by_role("button", name="alice@example.org").click(timeout=30_000)
        await page.get_by_text("People killed").first.wait_for(timeout=90_000)
        cookies: list[dict[str, Any]] = list(await context.cookies())
        return cookies
    finally:
        await browser.close()


@dataclass
class BrowserResult:
    ok: bool
    seconds: float
    detail: str


async def browser_session(playwright: Any, public_url: str, cookies: list[dict[str, Any]], tag: str) -> BrowserResult:
    """Load /timeline, change the text filter, download the CSV export; ok if the file arrives with rows."""
    started = time.monotonic()
    browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    try:
        context = await browser.new_context(accept_downloads=True)
        await context.add_cookies(cookies)
        page = await context.new_page()
        await page.goto(public_url + "/timeline", timeout=120_000)
        button = page.get_by_role("button", name="Download these events (CSV)")
        await button.wait_for(timeout=120_000)
        search = page.get_by_label("Search titles and summaries")
        await search.fill("a")
        await search.press("Enter")
        await page.wait_for_url("**q=a**", timeout=120_000)
        await wait_idle(page, 120_000)
        async with page.expect_download(timeout=120_000) as download_info:
            await button.click()
        download = await download_info.value
        path = await download.path()
        size = Path(path).stat().st_size if path else 0
        lines = Path(path).read_text(encoding="utf-8").count("\n") if path else 0
        ok = size > 0 and lines > 1
        return BrowserResult(ok, time.monotonic() - started, f"{tag}: {download.suggested_filename} {size} B")
    except Exception as error:  # noqa: BLE001 - reported as an error of this session
        return BrowserResult(False, time.monotonic() - started, f"{tag}: {type(error).__name__}: {error}"[:300])
    finally:
        await browser.close()


async def wait_idle(page: Any, timeout_ms: int) -> None:
    """Until Streamlit's 'running' status widget is gone (a finished script run)."""
    await page.wait_for_timeout(300)
    await page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=timeout_ms
    )


# --- protocol-level sessions ---------------------------------------------------------------------------------


def rerun_msg(query_string: str = "", page_name: str = "", widgets: Sequence[WidgetState] = ()) -> bytes:
    msg = BackMsg()
    msg.rerun_script.query_string = query_string
    msg.rerun_script.page_name = page_name
    msg.rerun_script.page_script_hash = ""
    msg.rerun_script.widget_states.widgets.extend(widgets)
    return bytes(msg.SerializeToString())


@dataclass
class RunOutcome:
    finished: bool
    errors: list[str] = field(default_factory=list)
    multiselects: dict[str, tuple[str, list[str]]] = field(default_factory=dict)  # label -> (id, options)
    buttons: dict[str, str] = field(default_factory=dict)  # label -> id
    auth_redirect: str | None = None


async def read_run(ws: Any, deadline: float, stop_on_redirect: bool = False) -> RunOutcome:
    """Read ForwardMsgs until a successful `script_finished` (or an auth redirect, or the deadline)."""
    outcome = RunOutcome(finished=False)
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            outcome.errors.append("timeout")
            return outcome
        try:
            data = await asyncio.wait_for(ws.recv(), timeout=remaining)
        except TimeoutError:
            outcome.errors.append("timeout")
            return outcome
        if isinstance(data, str):
            continue
        msg = ForwardMsg()
        msg.ParseFromString(data)
        kind = msg.WhichOneof("type")
        if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            element = msg.delta.new_element
            which = element.WhichOneof("type")
            if which == "exception":
                outcome.errors.append(f"exception element: {element.exception.type} {element.exception.message[:80]}")
            elif which == "multiselect":
                outcome.multiselects[element.multiselect.label] = (
                    element.multiselect.id,
                    list(element.multiselect.options),
                )
            elif which == "button":
                outcome.buttons[element.button.label] = element.button.id
        elif kind == "auth_redirect":
            outcome.auth_redirect = msg.auth_redirect.url
            if stop_on_redirect:
                outcome.finished = True
                return outcome
        elif kind == "script_finished":
            status = msg.script_finished
            if status == ForwardMsg.FINISHED_SUCCESSFULLY:
                outcome.finished = True
                return outcome
            if status == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                outcome.errors.append("script finished with compile error")
                return outcome
            # FINISHED_EARLY_FOR_RERUN: a rerun follows; keep reading.


def connect(ws_url: str, origin: str, cookie_header: str, xsrf: str, open_timeout: float) -> Any:
    return websockets.connect(
        ws_url,
        origin=origin,  # type: ignore[arg-type]
        additional_headers={"Cookie": cookie_header},
        subprotocols=["streamlit", xsrf],  # type: ignore[list-item]
        max_size=None,
        open_timeout=open_timeout,
        ping_interval=None,
        compression=None,
    )


async def protocol_login(public_url: str, xsrf: str, user: str, timeout: float) -> str:
    """Sign `user` in at the protocol level (Log in button -> auth_redirect -> mock provider); the login cookie."""
    ws_url = public_url.replace("http://", "ws://") + "/_stcore/stream"
    deadline = time.monotonic() + timeout
    async with connect(ws_url, public_url, f"{XSRF_COOKIE}={xsrf}", xsrf, timeout) as ws:
        await ws.send(rerun_msg())
        first = await read_run(ws, deadline)
        if "Log in" not in first.buttons:
            raise RuntimeError(f"no Log in button on the anonymous page ({first.errors})")
        state = WidgetState(id=first.buttons["Log in"], trigger_value=True)
        await ws.send(rerun_msg(widgets=[state]))
        second = await read_run(ws, deadline, stop_on_redirect=True)
        if not second.auth_redirect:
            raise RuntimeError(f"no auth_redirect after Log in ({second.errors})")
    async with httpx.AsyncClient(base_url=public_url, follow_redirects=True, timeout=timeout) as client:
        client.cookies.set(XSRF_COOKIE, xsrf, domain="127.0.0.1")
        form = await client.get(second.auth_redirect)
        form.raise_for_status()
        done = await client.post(str(form.url), data={"sub": user})
        done.raise_for_status()
        cookie = client.cookies.get(USER_COOKIE)
        if not cookie:
            raise RuntimeError(f"no {USER_COOKIE} cookie after the provider round trip (ended at {done.url})")
        return str(cookie)


@dataclass
class SessionResult:
    first: float | None = None
    rerun: float | None = None
    gated: float | None = None
    errors: list[str] = field(default_factory=list)


GATED, OPEN = "/_cm/session", "/_cm/open"  # nginx's own 1x1 GIF, behind the login gate and not (nginx.conf)


async def gated_get(client: httpx.AsyncClient, user_cookie: str) -> float:
    """One request through the login gate with this user's cookie; seconds; raises unless nginx lets it through."""
    started = time.monotonic()
    response = await client.get(GATED, headers={"Cookie": f"{USER_COOKIE}={user_cookie}"})
    if response.status_code != 200:
        raise RuntimeError(f"login gate refused a signed-in session: {response.status_code}")
    return time.monotonic() - started


def gate_cost(public_url: str, user_cookie: str, requests: int = 400) -> tuple[float, float, float, float]:
    """The gate's cost per request on an idle stack: sequential keep-alive GETs of the same nginx-made answer,
    behind the gate (with a valid cookie: nginx asks deploy/auth_gate.py first) and not. Returns p50 and p95 of
    each, in milliseconds: (gated p50, gated p95, open p50, open p95)."""
    gated: list[float] = []
    opened: list[float] = []
    with httpx.Client(base_url=public_url, timeout=10) as client:
        if client.get(GATED).status_code != 401:
            raise RuntimeError("the login gate let an anonymous request through")
        headers = {"Cookie": f"{USER_COOKIE}={user_cookie}"}
        for i in range(requests):
            for path, times in ((GATED, gated), (OPEN, opened)) if i % 2 else ((OPEN, opened), (GATED, gated)):
                started = time.perf_counter()
                response = client.get(path, headers=headers)
                times.append((time.perf_counter() - started) * 1000)
                if response.status_code != 200:
                    raise RuntimeError(f"{path}: {response.status_code}")
    return pct(gated, 0.5), pct(gated, 0.95), pct(opened, 0.5), pct(opened, 0.95)


async def protocol_session(
    ws_url: str,
    origin: str,
    user_cookie: str,
    xsrf: str,
    timeout: float,
    hold: asyncio.Event,
    progress: list[int],
    delay: float = 0.0,
    client: httpx.AsyncClient | None = None,
) -> SessionResult:
    """One user: first run, then a Theater change; counts itself in `progress`, keeps the socket open until `hold`.

    `delay`: seconds to wait before arriving (a ramp); its times count from its own arrival."""
    result = SessionResult()
    cookie_header = f"{USER_COOKIE}={user_cookie}; {XSRF_COOKIE}={xsrf}"
    await asyncio.sleep(delay)
    started = time.monotonic()
    deadline = started + timeout
    counted = False
    try:
        async with connect(ws_url, origin, cookie_header, xsrf, timeout) as ws:
            await ws.send(rerun_msg())
            first = await read_run(ws, deadline)
            result.errors += first.errors
            if not first.finished:
                return result
            result.first = time.monotonic() - started
            if THEATER_LABEL not in first.multiselects:
                result.errors.append("no Theater multiselect in the first run (not signed in?)")
                return result
            widget_id, options = first.multiselects[THEATER_LABEL]
            choice = next((option for option in options if "aribbean" in option), options[0])
            state = WidgetState(id=widget_id)
            state.string_array_value.data.append(choice)
            sent = time.monotonic()
            await ws.send(rerun_msg(widgets=[state]))
            second = await read_run(ws, sent + timeout)
            result.errors += second.errors
            if second.finished:
                result.rerun = time.monotonic() - sent
            if client is not None:  # a download-like request: through the login gate, with this user's cookie
                result.gated = await gated_get(client, user_cookie)
            progress[0] += 1
            counted = True
            await hold.wait()
    except Exception as error:  # noqa: BLE001 - counted as this session's error
        result.errors.append(f"{type(error).__name__}: {error}"[:200])
    finally:
        if not counted:
            progress[0] += 1
    return result


# --- one measurement -----------------------------------------------------------------------------------------


@dataclass
class Row:
    n: int
    replicas: int
    errors: int
    first: list[float]
    rerun: list[float]
    rss_before: dict[int, float]
    rss_after: dict[int, float]
    wall: float
    spread: str
    error_samples: list[str]
    browsers: list[BrowserResult]
    label: str = ""
    gated: list[float] = field(default_factory=list)
    gate_idle: tuple[float, float, float, float] | None = None

    @property
    def mb_per_session(self) -> float:
        return (sum(self.rss_after.values()) - sum(self.rss_before.values())) / self.n


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def stream_upstreams(access_log: Path, skip_lines: int) -> dict[str, int]:
    """Count /_stcore/stream requests per upstream in the nginx access log (logged when each socket closes)."""
    counts: dict[str, int] = {}
    lines = access_log.read_text(encoding="utf-8", errors="replace").splitlines()[skip_lines:]
    for line in lines:
        if "/_stcore/stream" in line and "upstream=" in line:
            upstream = line.split("upstream=", 1)[1].split()[0]
            counts[upstream] = counts.get(upstream, 0) + 1
    return counts


def log_lines(path: Path) -> int:
    return len(path.read_text(encoding="utf-8", errors="replace").splitlines()) if path.exists() else 0


async def measure(
    stack: Stack,
    n: int,
    cookies: list[str],
    xsrf: str,
    timeout: float,
    playwright: Any = None,
    browser_cookies: list[dict[str, Any]] | None = None,
    browsers: int = 0,
    ramp: float = 0.0,
) -> Row:
    pids = stack.replica_pids()
    await asyncio.sleep(2)  # let the replicas settle after the previous round
    before = {port: rss_mb(pid) for port, pid in pids.items()}
    access_log = stack.run_dir / "nginx-access.log"
    skip = log_lines(access_log)
    gate_idle = gate_cost(stack.public_url, cookies[0])
    hold = asyncio.Event()
    progress = [0]
    client = httpx.AsyncClient(base_url=stack.public_url, timeout=timeout, limits=httpx.Limits(max_connections=50))
    started = time.monotonic()
    tasks = [
        asyncio.create_task(
            protocol_session(
                stack.ws_url,
                stack.public_url,
                cookies[i % len(cookies)],
                xsrf,
                timeout,
                hold,
                progress,
                delay=ramp * i / n,
                client=client,
            )
        )
        for i in range(n)
    ]
    browser_tasks = [
        asyncio.create_task(browser_session(playwright, stack.public_url, browser_cookies or [], f"browser {i + 1}"))
        for i in range(browsers)
    ]
    # Every session has done its two runs (or failed) when it counts itself; bounded by two run timeouts.
    while progress[0] < n and time.monotonic() - started < 2 * timeout + 30 + ramp:
        await asyncio.sleep(0.2)
    wall = time.monotonic() - started
    browser_results = list(await asyncio.gather(*browser_tasks)) if browser_tasks else []
    after = {port: rss_mb(pid) for port, pid in pids.items()}
    hold.set()
    results = await asyncio.gather(*tasks)
    await client.aclose()
    await asyncio.sleep(1)
    spread = stream_upstreams(access_log, skip)
    errors = [error for result in results for error in result.errors]
    failed = sum(
        1 for result in results if result.errors or result.first is None or result.rerun is None or result.gated is None
    )
    failed += sum(1 for browser in browser_results if not browser.ok)
    return Row(
        n=n,
        replicas=stack.replicas,
        errors=failed,
        first=[r.first for r in results if r.first is not None],
        rerun=[r.rerun for r in results if r.rerun is not None],
        rss_before=before,
        rss_after=after,
        wall=wall,
        spread=" ".join(f"{up.rsplit(':', 1)[1]}:{count}" for up, count in sorted(spread.items())),
        error_samples=sorted(set(errors))[:5],
        browsers=browser_results,
        label=f"{n} over {ramp:g} s" if ramp else "",
        gated=[r.gated for r in results if r.gated is not None],
        gate_idle=gate_idle,
    )


def format_table(rows: list[Row]) -> str:
    head = (
        "| N | replicas | errors | first run p50 / p95 (s) | rerun p50 / p95 (s) | RSS per replica before → after (MB) "
        "| MB per extra session | sockets per replica | gated GET under load p50 / p95 (ms) "
        "| gate cost idle p50 / p95 (ms) | wall (s) |"
    )
    lines = [head, "|---|---|---|---|---|---|---|---|---|---|---|"]
    for row in rows:
        rss = ", ".join(f"{row.rss_before[p]:.0f} → {row.rss_after[p]:.0f}" for p in sorted(row.rss_before))
        gated = f"{pct(row.gated, 0.5) * 1000:.1f} / {pct(row.gated, 0.95) * 1000:.1f}" if row.gated else "-"
        cost = "-"
        if row.gate_idle:
            gated_p50, gated_p95, open_p50, open_p95 = row.gate_idle
            cost = f"+{gated_p50 - open_p50:.2f} / +{gated_p95 - open_p95:.2f} ({gated_p50:.2f} vs {open_p50:.2f})"
        lines.append(
            f"| {row.label or row.n} | {row.replicas} | {row.errors} "
            f"| {pct(row.first, 0.5):.2f} / {pct(row.first, 0.95):.2f} "
            f"| {pct(row.rerun, 0.5):.2f} / {pct(row.rerun, 0.95):.2f} | {rss} | {row.mb_per_session:.2f} "
            f"| {row.spread or '-'} | {gated} | {cost} | {row.wall:.1f} |"
        )
    return "\n".join(lines)


async def sign_in(
    playwright: Any, stack: Stack, users: int, single_user: bool
) -> tuple[list[dict[str, Any]], list[str], str]:
    """Alice in a real browser (her cookies, the XSRF token), and `users` login cookies for protocol sessions."""
    started = time.monotonic()
    alice = await browser_login(playwright, stack.public_url)
    names = {cookie["name"]: cookie["value"] for cookie in alice}
    xsrf = names.get(XSRF_COOKIE, "")
    if USER_COOKIE not in names or not xsrf:
        raise RuntimeError(f"browser login gave cookies {sorted(names)}")
    print(f"browser login OK in {time.monotonic() - started:.1f} s", flush=True)
    if single_user:
        return alice, [str(names[USER_COOKIE])], str(xsrf)
    started = time.monotonic()
    semaphore = asyncio.Semaphore(8)

    async def one(i: int) -> str:
        async with semaphore:
            return await protocol_login(stack.public_url, str(xsrf), f"load{i:03d}@example.org", 60)

    cookies = list(await asyncio.gather(*(one(i) for i in range(users))))
    print(f"{len(cookies)} users signed in at the protocol level in {time.monotonic() - started:.1f} s", flush=True)
    return alice, cookies, str(xsrf)


async def warm_up(stack: Stack, cookies: list[str], xsrf: str, timeout: float) -> None:
    """A few sessions (spread over the replicas by their cookies) so every replica has loaded the dataset."""
    hold = asyncio.Event()
    hold.set()
    progress = [0]
    results = await asyncio.gather(
        *(protocol_session(stack.ws_url, stack.public_url, c, xsrf, timeout, hold, progress) for c in cookies[:6])
    )
    problems = [error for result in results for error in result.errors]
    if problems:
        print(f"   warm-up errors: {sorted(set(problems))[:3]}", flush=True)


def merge(rows: list[Row]) -> Row:
    """Several sequential single sessions as one baseline row (their timings pooled)."""
    first = rows[0]
    return Row(
        n=1,
        replicas=first.replicas,
        errors=sum(row.errors for row in rows),
        first=[value for row in rows for value in row.first],
        rerun=[value for row in rows for value in row.rerun],
        rss_before=first.rss_before,
        rss_after=rows[-1].rss_after,
        wall=sum(row.wall for row in rows),
        spread="",
        error_samples=sorted({sample for row in rows for sample in row.error_samples})[:5],
        browsers=[],
        label=f"1 (x{len(rows)}, one after another)",
        gated=[value for row in rows for value in row.gated],
        gate_idle=first.gate_idle,
    )


async def run(args: argparse.Namespace) -> int:
    from playwright.async_api import async_playwright

    sizes = [int(size) for size in args.sizes.split(",") if size.strip()]
    replica_counts = [int(count) for count in args.replicas.split(",") if count.strip()]
    public_port, oidc_port = free_port(), free_port()
    cookie_secret = secrets.token_hex(32)  # fixed for this script's stacks: a login stays valid across restarts
    run_base = f"/tmp/cm-loadtest-{os.getpid()}"  # noqa: S108 - private, per run
    rows: list[Row] = []
    user_cookies: list[str] = []
    alice: list[dict[str, Any]] = []
    xsrf = ""
    print(
        f"# load test {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {os.cpu_count()} cores, "
        f"{platform.platform()}, python {platform.python_version()}",
        flush=True,
    )
    async with async_playwright() as playwright:
        for count in replica_counts:
            for n in [1, *sizes]:
                # A fresh stack per row: Streamlit keeps a closed session 120 s (disconnectedSessionTTL), so the
                # memory of one row's sessions would otherwise linger into the next.
                stack = Stack(count, public_port, oidc_port, cookie_secret, Path(f"{run_base}-{count}r"))
                stack.watchdog_timeout = args.watchdog_timeout
                ready = stack.start()
                try:
                    if not user_cookies:
                        print(f"stack with {count} replica(s) READY in {ready:.1f} s", flush=True)
                        alice, user_cookies, xsrf = await sign_in(playwright, stack, max(sizes + [6]), args.single_user)
                    await warm_up(stack, user_cookies, xsrf, args.timeout)
                    if n == 1:
                        singles = []
                        for i in range(args.baseline_runs):
                            one = await measure(stack, 1, user_cookies[i % len(user_cookies) :], xsrf, args.timeout)
                            singles.append(one)
                        row = merge(singles)
                    else:
                        browsers = args.browsers if (n == args.browsers_at and count == 2) else 0
                        row = await measure(
                            stack, n, user_cookies, xsrf, args.timeout, playwright, alice, browsers, args.ramp
                        )
                finally:
                    stack.stop()
                    changes = [
                        line.split("watchdog: ", 1)[1]
                        for line in (stack.run_dir / "watchdog.log").read_text(encoding="utf-8").splitlines()[1:]
                    ]
                rows.append(row)
                for change in changes:
                    print(f"   watchdog: {change}", flush=True)
                print(format_table([row]).splitlines()[-1], flush=True)
                for sample in row.error_samples:
                    print(f"   error: {sample}", flush=True)
                for browser in row.browsers:
                    state = "OK" if browser.ok else "FAILED"
                    print(f"   browser: {state} in {browser.seconds:.1f} s, {browser.detail}", flush=True)
    print()
    print(format_table(rows))
    baseline = {row.replicas: row for row in rows if row.n == 1}
    target = next((row for row in rows if row.n == 50 and row.replicas == 2), None)
    print(f"\narrival: {'all at the same instant' if not args.ramp else f'evenly over {args.ramp:g} s'}")
    base = baseline.get(2) or baseline.get(1)
    if target is not None and base is not None:
        ok_first = pct(target.first, 0.95) <= 3 * pct(base.first, 0.95)
        ok_rerun = pct(target.rerun, 0.95) <= 3 * pct(base.rerun, 0.95)
        verdict = {True: "met", False: "NOT met"}
        print(
            f"\ntargets at N=50, 2 replicas: errors {target.errors} (target 0) -> {verdict[target.errors == 0]}; "
            f"p95 first run {pct(target.first, 0.95):.2f} s vs 3 x {pct(base.first, 0.95):.2f} s -> "
            f"{verdict[ok_first]}; p95 rerun {pct(target.rerun, 0.95):.2f} s vs 3 x {pct(base.rerun, 0.95):.2f} s "
            f"-> {verdict[ok_rerun]}; {target.mb_per_session:.2f} MB per session (target <= 2) -> "
            f"{verdict[target.mb_per_session <= 2]}"
        )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--sizes", default="10,50,100,200", help="comma-separated session counts (N=1 always runs)")
    parser.add_argument("--replicas", default="1,2", help="comma-separated replica counts")
    parser.add_argument("--timeout", type=float, default=120.0, help="per-run timeout of a session, seconds")
    parser.add_argument("--browsers", type=int, default=2, help="real browser sessions in the N=50, 2-replica run")
    parser.add_argument("--browsers-at", type=int, default=50, help="the N whose 2-replica run adds the browsers")
    parser.add_argument("--baseline-runs", type=int, default=5, help="single sessions, one after another, for N=1")
    parser.add_argument("--watchdog-timeout", type=float, help="WATCHDOG_TIMEOUT for the stack (default: its 1 s)")
    parser.add_argument(
        "--ramp",
        type=float,
        default=0.0,
        help="seconds over which the N sessions arrive, evenly (default 0: all at the same instant)",
    )
    parser.add_argument("--single-user", action="store_true", help="every protocol session uses Alice's cookie")
    args = parser.parse_args(argv)
    return asyncio.run(run(args))


if __name__ == "__main__":
    sys.exit(main())
