"""Fault test of the shared stack (issue 5): kill a replica, restart it, freeze a replica, with users on them.

A script, not a test. It starts the shared stack itself (`deploy/start-shared.sh`, two replicas, free ports, a
private run directory), signs Alice in with a real Chromium (Playwright) and `--users` more users at the
protocol level (see deploy/loadtest.py, whose helpers it uses), opens Alice's page on /timeline and one
WebSocket session per user (first run done), then:

0. **self-recovery**: the replica holding Alice's untouched tab is killed `--kills` times (restarted in between),
   then frozen `--freezes` times (SIGSTOP, SIGCONT in between); measured each time: seconds until a new WebSocket
   of the tab receives a frame of the rerun elsewhere (dashboard/reconnect.py) and until the view is finished
   (script done, nothing stale, the chart drawn), reported as p50/p95.
1. **kill**: SIGKILL to the replica holding Alice's page. Measured: for every protocol session, the time from the
   kill until a filter change (Theater) gives a finished rerun, on the same socket if its replica survived, else
   after reconnecting through nginx (sessions whose socket closed are "affected"); for the browser page, the time
   until a filter change (the search box, retried every 8 s like a person would) shows a finished rerun, then that
   its CSV download arrives, and which replica served it; whether the watchdog marked the dead replica down (it
   should not: nginx's passive checks handle a replica where nothing listens, without a reload).
2. **restart**: the killed replica is started again with the exact command line, environment and working
   directory it had (read from /proc before the kill), its pid appended to the stack's pid file so
   `start-shared.sh` still stops it. Measured: time until it answers /_stcore/health; then Alice's download must
   arrive from the replica holding her session (her route cookie), not from the restarted one.
2b. **second failover** (`--second-failovers` times): kill the other replica A, restart it, then kill the one
   holding the tab (B), so A restarted seconds ago is the only one left; the tab's view, its first download, the
   /media statuses and every 502 in nginx's log since the kill (it was "502 no live upstreams" before issue 14).
3. **freeze**: SIGSTOP to the replica holding Alice. Measured: time until the watchdog marks it `down`, until
   each protocol session on it (and Alice's page) gets a finished rerun elsewhere; then SIGCONT and the time
   until it is back in rotation.

    .venv/bin/python deploy/faulttest.py [--users 8] [--timeout 30] [--kills 5] [--freezes 10] [--second-failovers 5]

It only talks to 127.0.0.1 and only signals the replica processes of the stack it started.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import secrets
import signal
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from loadtest import (
    THEATER_LABEL,
    USER_COOKIE,
    XSRF_COOKIE,
    Stack,
    connect,
    http_ok,
    read_run,
    rerun_msg,
    sign_in,
    wait_idle,
)
from streamlit.proto.WidgetStates_pb2 import WidgetState

from tests.e2e.support import (  # importable: loadtest put the root on sys.path
    CHROMIUM,
    CHROMIUM_ARGS,
    RENDERED_JS,
    ProcessSnapshot,
    SocketWatch,
    free_port,
    upstream_down,
)

REPORT: list[str] = []


def report(line: str) -> None:
    REPORT.append(line)
    print(line, flush=True)


# --- protocol users ------------------------------------------------------------------------------------------


@dataclass
class User:
    """A signed-in protocol-level session kept open across the faults."""

    name: str
    cookie: str
    stack: Stack
    xsrf: str
    ws: Any = None
    widget_id: str = ""
    options: list[str] = field(default_factory=list)
    flips: int = 0
    cut_reason: str = ""

    async def open(self, timeout: float) -> None:
        header = f"{USER_COOKIE}={self.cookie}; {XSRF_COOKIE}={self.xsrf}"
        self.ws = await connect(self.stack.ws_url, self.stack.public_url, header, self.xsrf, timeout)
        await self.ws.send(rerun_msg())
        first = await read_run(self.ws, time.monotonic() + timeout)
        if not first.finished or THEATER_LABEL not in first.multiselects:
            raise RuntimeError(f"{self.name}: first run failed {first.errors}")
        self.widget_id, self.options = first.multiselects[THEATER_LABEL]

    async def rerun(self, timeout: float) -> None:
        """A Theater change on the open socket; raises if it does not finish (closed socket, timeout, error)."""
        self.flips += 1
        state = WidgetState(id=self.widget_id)
        state.string_array_value.data.append(self.options[self.flips % len(self.options)])
        await self.ws.send(rerun_msg(widgets=[state]))
        outcome = await read_run(self.ws, time.monotonic() + timeout)
        if not outcome.finished or outcome.errors:
            raise RuntimeError(f"rerun failed: {outcome.errors}")

    async def close(self) -> None:
        if self.ws is not None:
            with contextlib.suppress(Exception):
                await self.ws.close()
            self.ws = None

    async def keep_working(self, since: float, timeout: float, attempt_timeout: float) -> tuple[bool, float | None]:
        """After a fault: a rerun on the open socket, else reconnect (retrying) and rerun.

        Returns (affected, seconds from the fault to a finished rerun, or None if it never came)."""
        affected = False
        deadline = since + timeout
        try:
            await self.rerun(attempt_timeout)
            return affected, time.monotonic() - since
        except Exception as error:  # noqa: BLE001 - the socket's replica is gone or frozen
            affected = True
            self.cut_reason = f"{type(error).__name__}: {error}"[:80]
        await self.close()
        while time.monotonic() < deadline:
            try:
                await self.open(attempt_timeout)
                await self.rerun(attempt_timeout)
                return affected, time.monotonic() - since
            except Exception:  # noqa: BLE001 - retry until the deadline, like the frontend does
                await self.close()
                await asyncio.sleep(0.5)
        return affected, None


# --- helpers -------------------------------------------------------------------------------------------------


async def wait_for(predicate: Any, timeout: float, interval: float = 0.1) -> float | None:
    """Seconds until predicate() is true, or None after the timeout."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if predicate():
            return time.monotonic() - started
        await asyncio.sleep(interval)
    return None


def access_lines(stack: Stack) -> list[str]:
    return (stack.run_dir / "nginx-access.log").read_text(encoding="utf-8", errors="replace").splitlines()


def upstream_port(line: str) -> int | None:
    if "upstream=" not in line:
        return None
    address = line.split("upstream=", 1)[1].split()[0].split(",")[-1].strip()
    try:
        return int(address.rsplit(":", 1)[1])
    except (IndexError, ValueError):
        return None


class Page:
    """Alice's real browser tab on /timeline."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.filters = 0
        self.last_failure = ""

    async def change_filter(self, timeout_ms: int) -> float:
        """Type a new search term; seconds until the URL carries it and the run has finished."""
        self.filters += 1
        term = ["a", "e", "o", "i", "r", "n"][self.filters % 6]
        started = time.monotonic()
        search = self.page.get_by_label("Search titles and summaries")
        await search.fill(term, timeout=timeout_ms)
        await search.press("Enter", timeout=timeout_ms)
        await self.page.wait_for_url(f"**q={term}**", timeout=timeout_ms)
        await wait_idle(self.page, timeout_ms)
        await self.page.get_by_role("button", name="Download these events (CSV)").wait_for(timeout=timeout_ms)
        return time.monotonic() - started

    async def download(self, timeout_ms: int) -> tuple[bool, str]:
        try:
            button = self.page.get_by_role("button", name="Download these events (CSV)")
            async with self.page.expect_download(timeout=timeout_ms) as info:
                await button.click(timeout=timeout_ms)
            download = await info.value
            path = await download.path()
            size = Path(path).stat().st_size if path else 0
            return size > 0, f"{download.suggested_filename} {size} B"
        except Exception as error:  # noqa: BLE001 - reported
            return False, f"{type(error).__name__}: {error}"[:200]


async def users_after_fault(users: list[User], since: float, timeout: float) -> None:
    results = await asyncio.gather(*(user.keep_working(since, timeout, 8.0) for user in users))
    affected = [(user.name, seconds) for user, (hit, seconds) in zip(users, results, strict=True) if hit]
    spared = [(user.name, seconds) for user, (hit, seconds) in zip(users, results, strict=True) if not hit]

    def fmt(items: list[tuple[str, float | None]]) -> str:
        return ", ".join(f"{seconds:.1f} s" if seconds is not None else "NEVER" for _, seconds in items) or "none"

    report(f"  protocol sessions whose socket was cut ({len(affected)}): finished rerun after {fmt(affected)}")
    report(f"  protocol sessions on the other replica ({len(spared)}): finished rerun after {fmt(spared)}")
    reasons = sorted({user.cut_reason for user, (hit, _) in zip(users, results, strict=True) if hit})
    if reasons:
        report(f"  why their open socket failed: {reasons}")


async def page_after_fault(page: Page, since: float, timeout_ms: int, label: str) -> None:
    """Like a user: change a filter; if nothing happens within 8 s, try again (a keystroke sent while the tab was
    reconnecting is lost); until it works or `timeout_ms` has passed. Then download."""
    attempts, deadline = 0, since + timeout_ms / 1000
    while time.monotonic() < deadline:
        attempts += 1
        try:
            await page.change_filter(8_000)
        except Exception as error:  # noqa: BLE001 - reported below if it never works
            with contextlib.suppress(Exception):
                status = await page.page.locator('[data-testid="stStatusWidget"]').all_inner_texts()
                page.last_failure = f"{type(error).__name__}; url {page.page.url}; status widget {status}"
            continue
        report(
            f"  browser page ({label}): filter change finished {time.monotonic() - since:.1f} s after the fault "
            f"(attempt {attempts})"
        )
        ok, detail = await page.download(30_000)
        report(f"  browser page download afterwards: {'OK' if ok else 'FAILED'} ({detail})")
        return
    report(f"  browser page ({label}): NO filter change worked within {timeout_ms / 1000:.0f} s, {attempts} attempts")
    report(f"    last failure: {page.last_failure}"[:400])


def page_replica(stack: Stack, skip: int) -> int | None:
    """The replica that answered the page's last document request (GET /timeline...)."""
    ports = [upstream_port(line) for line in access_lines(stack)[skip:] if '"GET /timeline' in line]
    return next((port for port in reversed(ports) if port is not None), None)


def download_upstreams(stack: Stack, skip: int) -> list[str]:
    """Requests other than the WebSocket, health, static files and page loads since `skip` (the download)."""
    out = []
    for line in access_lines(stack)[skip:]:
        request = line.split('"')[1] if line.count('"') >= 2 else line
        if any(part in request for part in ("/_stcore/stream", "/_stcore/health", "/static/", "GET /timeline")):
            continue
        out.append(f"{request.split(' ')[1][:60]} -> {upstream_port(line)}")
    return out


async def route_port(context: Any) -> int:
    """The replica holding the browser's session, from nginx's route cookie (r127_0_0_1_<port>)."""
    route = next(c["value"] for c in await context.cookies() if c["name"] == "cm_route")
    return int(route.rsplit("_", 1)[1])


async def recovered_view(
    page: Any, watch: SocketWatch, before: int, since: float, timeout: float
) -> tuple[float | None, float | None]:
    """After a fault at `since`: seconds until a new socket of the untouched tab got a frame (the first frame of
    its rerun elsewhere) and until the view is finished again (script done, nothing stale, its chart drawn)."""
    frame = await wait_for(lambda: watch.ran_on_new_socket(before), timeout)
    if frame is None:
        return None, None
    frame = time.monotonic() - since
    try:
        await page.wait_for_function(RENDERED_JS, arg=1, timeout=timeout * 1000, polling=50)
    except Exception:  # noqa: BLE001 - reported as never finished
        return frame, None
    return frame, time.monotonic() - since


def quantiles(values: list[float]) -> str:
    if not values:
        return "none"
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"p50 {ordered[len(ordered) // 2]:.2f} s, p95 {p95:.2f} s, max {ordered[-1]:.2f} s (n={len(ordered)})"


async def self_recovery(stack: Stack, page: Any, context: Any, watch: SocketWatch, kills: int, timeout: float) -> None:
    """Kill the replica holding the tab `kills` times (restarting it in between); nobody touches the tab."""
    frames: list[float] = []
    views: list[float] = []
    never = 0
    for _ in range(kills):
        home = await route_port(context)
        pid = stack.replica_pids()[home]
        snap = ProcessSnapshot.of(pid)
        before = len(watch.frames)
        killed_at = time.monotonic()
        os.kill(pid, signal.SIGKILL)
        frame, view = await recovered_view(page, watch, before, killed_at, timeout)
        frames += [frame] if frame is not None else []
        views += [view] if view is not None else []
        never += view is None
        snap.start_in(stack.run_dir, f"replica-{home}.restarted.log")
        await wait_for(lambda home=home: http_ok(f"http://127.0.0.1:{home}/_stcore/health", 1), 90, 0.25)
        await wait_for(lambda home=home: not upstream_down(stack.run_dir, home), 90)
        await asyncio.sleep(1)
    report(
        f"SELF-RECOVERY: {len(views)}/{kills} kills of the tab's replica: the untouched tab's first frame on the "
        f"other replica {quantiles(frames)}; view finished {quantiles(views)}"
        + (f"; {never} never finished within {timeout:.0f} s" if never else "")
    )


async def frozen_recovery(
    stack: Stack, page: Any, context: Any, watch: SocketWatch, freezes: int, timeout: float
) -> None:
    """SIGSTOP the replica holding the untouched tab `freezes` times (SIGCONT in between): time to a finished view."""
    frames: list[float] = []
    views: list[float] = []
    downs: list[float] = []
    never = 0
    for _ in range(freezes):
        home = await route_port(context)
        pid = stack.replica_pids()[home]
        before = len(watch.frames)
        frozen_at = time.monotonic()
        os.kill(pid, signal.SIGSTOP)
        try:
            down_task = asyncio.create_task(wait_for(lambda home=home: upstream_down(stack.run_dir, home), timeout))
            frame, view = await recovered_view(page, watch, before, frozen_at, timeout)
            down = await down_task
        finally:
            os.kill(pid, signal.SIGCONT)
        downs += [down] if down is not None else []
        frames += [frame] if frame is not None else []
        views += [view] if view is not None else []
        never += view is None
        await wait_for(lambda home=home: not upstream_down(stack.run_dir, home), 60)
        await asyncio.sleep(1)
    report(
        f"FROZEN-RECOVERY: {len(views)}/{freezes} freezes of the tab's replica: watchdog marked it down "
        f"{quantiles(downs)}; the untouched tab's first frame elsewhere {quantiles(frames)}; view finished "
        f"{quantiles(views)}" + (f"; {never} never finished within {timeout:.0f} s" if never else "")
    )


# --- the scenario ---------------------------------------------------------------------------------------------


async def run(args: argparse.Namespace) -> int:
    from playwright.async_api import async_playwright

    stack = Stack(2, free_port(), free_port(), secrets.token_hex(32), Path(f"/tmp/cm-faulttest-{os.getpid()}"))  # noqa: S108
    stack.watchdog_timeout = args.watchdog_timeout
    ready = stack.start()
    report(f"watchdog timeout: {args.watchdog_timeout or 'default (1 s)'}")
    report(f"# fault test {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {os.cpu_count()} cores")
    report(f"stack READY in {ready:.1f} s, replicas {stack.replica_ports}")
    frozen: int | None = None
    users: list[User] = []
    try:
        async with async_playwright() as playwright:
            alice, cookies, xsrf = await sign_in(playwright, stack, args.users, False)
            users = [User(f"load{i:03d}", cookie, stack, xsrf) for i, cookie in enumerate(cookies)]
            browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            context = await browser.new_context(accept_downloads=True)
            await context.add_cookies(alice)  # type: ignore[arg-type]
            skip = len(access_lines(stack))
            page = Page(await context.new_page())
            await page.page.goto(stack.public_url + "/timeline", timeout=60_000)
            await page.page.get_by_role("button", name="Download these events (CSV)").wait_for(timeout=60_000)
            watch = SocketWatch(page.page)
            home = page_replica(stack, skip)
            if home is None:
                raise RuntimeError("could not tell which replica serves the page")
            report(f"Alice's page is on replica {home}")

            # 0. repeated kills and freezes, nobody touches the tab: does it finish its view elsewhere by itself?
            await self_recovery(stack, page.page, context, watch, args.kills, args.timeout)
            await frozen_recovery(stack, page.page, context, watch, args.freezes, args.timeout)
            home = await route_port(context)
            for user in users:  # opened now, so that phase 0's kills have not cut them already
                await user.open(args.timeout)
            report(f"{len(users)} protocol sessions open; the tab is on replica {home}")

            # 1. kill
            pids = stack.replica_pids()
            snap = ProcessSnapshot.of(pids[home])
            killed_at = time.monotonic()
            os.kill(pids[home], signal.SIGKILL)
            report(f"KILL replica {home} (pid {pids[home]}, SIGKILL)")
            await asyncio.gather(
                users_after_fault(users, killed_at, args.timeout),
                page_after_fault(page, killed_at, int(args.timeout * 1000), "was on the killed replica"),
            )
            report(
                f"  watchdog marked {home} down (a reload: everyone reconnects)"
                if upstream_down(stack.run_dir, home)
                else f"  watchdog left {home} in upstream.conf: nothing listens, nginx's passive checks route around it"
            )
            skip = len(access_lines(stack))
            ok, detail = await page.download(30_000)
            report(
                f"  download while {home} is dead: {'OK' if ok else 'FAILED'} ({detail}); "
                f"served by {download_upstreams(stack, skip)}"
            )

            # 2. restart
            restarted_at = time.monotonic()
            new_pid = snap.start_in(stack.run_dir, f"replica-{home}.restarted.log")
            healthy = await wait_for(lambda: http_ok(f"http://127.0.0.1:{home}/_stcore/health", 1), 90, 0.25)
            back = await wait_for(lambda: not upstream_down(stack.run_dir, home), 90)
            report(
                f"RESTART replica {home} as pid {new_pid} (same command, env and cwd): healthy after "
                f"{healthy if healthy is None else round(healthy, 1)} s; in upstream.conf (not down) after "
                f"{None if back is None else round(time.monotonic() - restarted_at, 1)} s"
            )
            await asyncio.sleep(4)  # nginx's worker_shutdown_timeout (3 s): the reload has cut and re-made sockets
            try:
                seconds = await page.change_filter(60_000)
                skip = len(access_lines(stack))
                ok, detail = await page.download(30_000)
                report(
                    f"  after it is back: page filter change {seconds:.1f} s; download {'OK' if ok else 'FAILED'} "
                    f"({detail}); served by {download_upstreams(stack, skip)} (restarted replica is {home}, "
                    f"her session on {await route_port(context)})"
                )
            except Exception as error:  # noqa: BLE001 - reported
                report(f"  after it is back: page FAILED: {type(error).__name__}: {error}"[:300])
            results = await asyncio.gather(*(user.keep_working(time.monotonic(), 30, 8.0) for user in users))
            report(
                "  protocol sessions after the restart: "
                + ", ".join("cut+reconnected" if hit else "same socket" for hit, _ in results)
                + f"; all finished a rerun: {all(seconds is not None for _, seconds in results)}"
            )

            # 2b. second failover: kill the replica the tab is on now, so the one restarted seconds ago is the only
            #     one left; then the first download (it met "502 no live upstreams" with nginx's passive checks on).
            for attempt in range(args.second_failovers):
                survivor = await route_port(context)
                pids = stack.replica_pids()
                (restarted,) = set(pids) - {survivor}
                snap_a = ProcessSnapshot.of(pids[restarted])
                os.kill(pids[restarted], signal.SIGKILL)  # kill A ...
                snap_a.start_in(stack.run_dir, f"replica-{restarted}.restarted.log")  # ... restart A ...
                await wait_for(lambda p=restarted: http_ok(f"http://127.0.0.1:{p}/_stcore/health", 1), 90, 0.25)
                await asyncio.sleep(1.5)
                snap_b = ProcessSnapshot.of(pids[survivor])
                skip = len(access_lines(stack))
                before = len(watch.frames)
                killed_at = time.monotonic()
                os.kill(pids[survivor], signal.SIGKILL)  # ... kill B ...
                frame, view = await recovered_view(page.page, watch, before, killed_at, args.timeout)
                ok, detail = await page.download(30_000)  # ... download
                media = [line for line in access_lines(stack)[skip:] if '"GET /media/' in line]
                statuses = [line.split('"')[2].split()[0] for line in media]
                bad = sum(1 for line in access_lines(stack)[skip:] if " 502 " in line)
                report(
                    f"SECOND FAILOVER {attempt + 1}: kill {restarted}, restart it, kill {survivor}: view finished "
                    f"{'never' if view is None else f'{view:.2f} s'}; first download {'OK' if ok else 'FAILED'} "
                    f"({detail}); /media statuses {statuses}; 502 responses since the kill: {bad}"
                )
                snap_b.start_in(stack.run_dir, f"replica-{survivor}.restarted.log")
                await wait_for(lambda p=survivor: http_ok(f"http://127.0.0.1:{p}/_stcore/health", 1), 90, 0.25)
                await asyncio.sleep(1)
            # the protocol sessions lost their sockets in these kills: reconnect them before the freeze
            for user in users:
                await user.close()
                await user.open(args.timeout)

            # 3. freeze
            skip = len(access_lines(stack))
            await page.page.reload(timeout=60_000)
            await page.page.get_by_role("button", name="Download these events (CSV)").wait_for(timeout=60_000)
            target = page_replica(stack, skip) or home
            pid = stack.replica_pids()[target]
            frozen_at = time.monotonic()
            os.kill(pid, signal.SIGSTOP)
            frozen = pid
            report(f"FREEZE replica {target} (pid {pid}, SIGSTOP), Alice's page on it")
            down_task = asyncio.create_task(wait_for(lambda: upstream_down(stack.run_dir, target), 60))
            await asyncio.gather(
                users_after_fault(users, frozen_at, args.timeout),
                page_after_fault(page, frozen_at, int(args.timeout * 1000), "was on the frozen replica"),
            )
            down = await down_task
            report(f"  watchdog marked {target} down {down:.1f} s after SIGSTOP" if down else "  NOT marked down")
            os.kill(pid, signal.SIGCONT)
            frozen = None
            back = await wait_for(lambda: not upstream_down(stack.run_dir, target), 60)
            report(f"SIGCONT: back in upstream.conf after {back:.1f} s" if back is not None else "SIGCONT: NOT back")
            await browser.close()
    finally:
        if frozen is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(frozen, signal.SIGCONT)
        for user in users:
            await user.close()
        stack.stop()
    print("\n".join(["", "summary:", *REPORT]))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--users", type=int, default=8, help="protocol-level sessions kept open")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds each user may take to recover")
    parser.add_argument("--kills", type=int, default=5, help="kills of the tab's replica for the self-recovery count")
    parser.add_argument("--freezes", type=int, default=10, help="freezes of the tab's replica (SIGSTOP, SIGCONT)")
    parser.add_argument("--second-failovers", type=int, default=5, help="kill A, restart A, kill B, download")
    parser.add_argument("--watchdog-timeout", type=float, help="WATCHDOG_TIMEOUT for the stack (default: its 1 s)")
    args = parser.parse_args(argv)
    return asyncio.run(run(args))


if __name__ == "__main__":
    sys.exit(main())
