"""Active health checks for open-source nginx: take a replica that stops answering out of rotation.

nginx (open source) only notices a dead replica when a request to it fails, and a *frozen* replica (SIGSTOP,
a hung event loop) accepts connections and then says nothing, so its users wait for timeouts. This script polls
each replica's `/_stcore/health` every `--interval` seconds; after `--fail-after` consecutive failures it
rewrites the upstream file with that replica marked `down` and reloads nginx (SIGHUP to the pid in
`--nginx-pid`); after `--recover-after` consecutive successes it puts the replica back. It never marks every
replica down (nginx would then answer 502 to everyone): if all fail, all stay in rotation.

    python deploy/replica_watchdog.py --upstream-file RUN/upstream.conf --nginx-pid RUN/nginx.pid \
        --replica 127.0.0.1:8501 --replica 127.0.0.1:8502

(Not called `watchdog.py`: that would shadow the `watchdog` package Streamlit depends on.)
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Replica:
    address: str
    healthy: bool = True
    failures: int = 0
    successes: int = 0


def upstream_text(replicas: list[Replica], params: str) -> str:
    """The upstream file: one server line per replica, unhealthy ones marked down (never all of them)."""
    all_down = not any(replica.healthy for replica in replicas)
    lines = ["# Written by deploy/replica_watchdog.py; rewritten on every health change."]
    for replica in replicas:
        down = "" if replica.healthy or all_down else " down"
        lines.append(f"server {replica.address} {params}{down};".replace("  ", " "))
    return "\n".join(lines) + "\n"


def probe(address: str, timeout: float) -> bool:
    """Whether the replica answers its health endpoint with 200 within the timeout."""
    url = f"http://{address}/_stcore/health"
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - fixed http scheme, loopback
            return bool(response.status == 200)
    except (OSError, urllib.error.URLError, ValueError):
        return False


def write_atomically(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def reload_nginx(pid_file: Path) -> bool:
    try:
        pid = int(pid_file.read_text(encoding="utf-8").strip())
        os.kill(pid, signal.SIGHUP)
    except (OSError, ValueError) as error:
        print(f"watchdog: could not reload nginx ({error})", file=sys.stderr, flush=True)
        return False
    return True


def step(replicas: list[Replica], results: dict[str, bool], fail_after: int, recover_after: int) -> bool:
    """Apply one round of probe results; return whether any replica changed state."""
    changed = False
    for replica in replicas:
        if results[replica.address]:
            replica.failures = 0
            replica.successes += 1
            if not replica.healthy and replica.successes >= recover_after:
                replica.healthy = True
                changed = True
        else:
            replica.successes = 0
            replica.failures += 1
            if replica.healthy and replica.failures >= fail_after:
                replica.healthy = False
                changed = True
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--upstream-file", type=Path, required=True)
    parser.add_argument("--nginx-pid", type=Path, required=True)
    parser.add_argument("--replica", action="append", required=True, help="host:port, repeatable")
    parser.add_argument("--server-params", default="max_fails=2 fail_timeout=10s")
    parser.add_argument("--interval", type=float, default=1.0)
    parser.add_argument("--timeout", type=float, default=1.0)
    parser.add_argument("--fail-after", type=int, default=2)
    parser.add_argument("--recover-after", type=int, default=2)
    parser.add_argument("--once", action="store_true", help="write the upstream file for all-healthy and exit")
    args = parser.parse_args(argv)

    replicas = [Replica(address) for address in args.replica]
    written = upstream_text(replicas, args.server_params)
    write_atomically(args.upstream_file, written)
    if args.once:
        return 0
    stop = False

    def _stop(_signum: int, _frame: object) -> None:
        nonlocal stop
        stop = True

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    print(f"watchdog: polling {', '.join(args.replica)} every {args.interval:g}s", flush=True)
    while not stop:
        started = time.monotonic()
        results = {replica.address: probe(replica.address, args.timeout) for replica in replicas}
        if step(replicas, results, args.fail_after, args.recover_after):
            states = ", ".join(f"{r.address} {'up' if r.healthy else 'DOWN'}" for r in replicas)
            text = upstream_text(replicas, args.server_params)
            # Reload only when the file changes: a reload makes nginx drop *every* open WebSocket within
            # worker_shutdown_timeout, and when all replicas fail at once (e.g. all busy under load, or the
            # only one) the file stays all-up, so a reload would only cut every user off (measured by
            # deploy/loadtest.py: 50 sessions on one replica, all cut after 7.5 s).
            if text != written:
                write_atomically(args.upstream_file, text)
                written = text
                reloaded = reload_nginx(args.nginx_pid)
                print(f"watchdog: {time.strftime('%H:%M:%S')} {states} (nginx reloaded: {reloaded})", flush=True)
            else:
                print(f"watchdog: {time.strftime('%H:%M:%S')} {states} (upstream unchanged, no reload)", flush=True)
        time.sleep(max(0.0, args.interval - (time.monotonic() - started)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
