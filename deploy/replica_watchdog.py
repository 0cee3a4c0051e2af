"""Active health checks for open-source nginx: take a replica that stops answering out of rotation.

nginx (open source) only notices a dead replica when a request to it fails, and a *frozen* replica (SIGSTOP,
a hung event loop) accepts connections and then says nothing, so its users wait for timeouts. This script polls
each replica's `/_stcore/health` every `--interval` seconds; after `--fail-after` consecutive failures it
rewrites the upstream file with that replica marked `down` and reloads nginx (SIGHUP to the pid in
`--nginx-pid`); after `--recover-after` consecutive successes it puts the replica back. It never marks every
replica down (nginx would then answer 502 to everyone): if all fail, all stay in rotation.

Busy is not frozen. Under a burst of sessions a replica's health answer can take seconds (measured: 100 sessions
on 2 replicas, 1 s probe timeout: healthy replicas taken out, and the reload cut every user). When the replica
runs on this machine (its listening socket is found in /proc), a failed probe of a process whose CPU time grew
while the probe waited counts as *busy*: it is taken out only after `--busy-grace` seconds of that. A stopped
(SIGSTOP) or deadlocked process uses no CPU and is taken out after `--fail-after` probes, within seconds.
A replica on another machine is judged by its probes alone.

Dead is not frozen either. A replica where nothing listens (connection refused: killed, crashed, restarting) is
left as it is: nginx's passive checks (`max_fails`, `proxy_next_upstream error`) already send its requests to
the others at no cost, and it is back as soon as it listens again. Reloading nginx for it would only cut every
user's WebSocket (nginx closes an old worker's connections after `worker_shutdown_timeout`), so the watchdog
reloads only for frozen, long-busy and recovering replicas.

    python deploy/replica_watchdog.py --upstream-file RUN/upstream.conf --nginx-pid RUN/nginx.pid \
        --replica 127.0.0.1:8501 --replica 127.0.0.1:8502

(Not called `watchdog.py`: that would shadow the `watchdog` package Streamlit depends on.)
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import os
import re
import signal
import socket
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
    busy_since: float | None = None
    pid: int | None = None


OK, BUSY, FAILED, DEAD = "ok", "busy", "failed", "dead"
STOPPED = "stopped"  # a local process in state T (SIGSTOP, a debugger): frozen for certain, out at the first sight


def route_name(address: str) -> str:
    """The route cookie's value for a replica: stable for its address, safe in a cookie and an nginx name."""
    return "r" + "".join(ch if ch.isalnum() else "_" for ch in address)


def upstream_text(replicas: list[Replica], params: str) -> str:
    """The routing file nginx includes: pools, the route-cookie map, unhealthy replicas marked down.

    - `crisis_monitor`: every replica, hashed on the login cookie; where a browser without a route goes.
    - one pool per replica, `crisis_monitor_<route>`: that replica, the others as backups; where a browser whose
      session lives on that replica goes (its route cookie says so), so its downloads and media reach the
      process that holds them, also after a failover and after the old replica comes back.
    - `$cm_pool` picks the pool from the `cm_route` cookie; `$cm_served_route` names the replica that answered
      (nginx.conf sets it as the route cookie on the WebSocket handshake, where a session is made).
    Never marks every replica down: nginx would then answer 502 to everyone.
    """
    all_down = not any(replica.healthy for replica in replicas)

    def server(replica: Replica, backup: bool = False) -> str:
        words = ["server", replica.address, *params.split()]
        words += ["backup"] if backup else []
        words += [] if replica.healthy or all_down else ["down"]
        return "    " + " ".join(words) + ";"

    lines = ["# Written by deploy/replica_watchdog.py; rewritten on every health change.", ""]
    lines += ["upstream crisis_monitor {", "    hash $cm_affinity consistent;"]
    lines += [server(replica) for replica in replicas]
    lines += ["    keepalive 16;", "}", ""]
    for replica in replicas:
        lines.append(f"upstream crisis_monitor_{route_name(replica.address)} {{")
        lines.append(server(replica))
        lines += [server(other, backup=True) for other in replicas if other is not replica]
        lines += ["    keepalive 8;", "}", ""]
    lines += ["map $cookie_cm_route $cm_pool {", "    default crisis_monitor;"]
    lines += [f"    {route_name(r.address)} crisis_monitor_{route_name(r.address)};" for r in replicas]
    lines += ["}", "", "map $upstream_addr $cm_served_route {", '    default "";']
    lines += [f'    "~{re.escape(r.address)}$" {route_name(r.address)};' for r in replicas]
    lines += ["}"]
    return "\n".join(lines) + "\n"


def probe(address: str, timeout: float) -> str:
    """OK if the replica answers its health endpoint with 200 within the timeout, DEAD if nothing listens
    (connection refused), else FAILED (no answer in time, an error status)."""
    url = f"http://{address}/_stcore/health"
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - fixed http scheme, loopback
            return OK if response.status == 200 else FAILED
    except urllib.error.URLError as error:
        return DEAD if isinstance(error.reason, ConnectionRefusedError) else FAILED
    except ConnectionRefusedError:
        return DEAD
    except (OSError, ValueError):
        return FAILED


def write_atomically(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def children(pid: int) -> set[int]:
    """Pids of the processes whose parent is `pid` (nginx's workers, for its master)."""
    found = set()
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                stat = (proc / "stat").read_text(encoding="ascii")
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.add(int(proc.name))
    return found


def switched(old_workers: set[int]) -> bool:
    """Whether every worker from before a reload has stopped taking new connections (or is gone)."""
    for pid in old_workers:
        try:
            title = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if b"shutting down" not in title:
            return False
    return True


def stop_old_workers(pid_file: Path) -> list[int]:
    """The fallback without ptrace rights: end nginx's old workers (retitled "shutting down" by the reload) at
    once, which drops every WebSocket they hold — the frozen replica's users and, alas, the healthy ones too (they
    reconnect to their own session). Returns the pids signalled."""
    try:
        master = int(pid_file.read_text(encoding="utf-8").strip())
    except (OSError, ValueError):
        return []
    stopped = []
    for pid in sorted(children(master)):
        with contextlib.suppress(OSError):
            if b"shutting down" in Path(f"/proc/{pid}/cmdline").read_bytes():
                os.kill(pid, signal.SIGTERM)
                stopped.append(pid)
    return stopped


def reload_nginx(pid_file: Path, wait: float = 0.0) -> bool:
    """SIGHUP to nginx's master; with `wait`, return once its old workers no longer accept connections (nginx
    retitles them "worker process is shutting down" once the new ones run), or after `wait` seconds."""
    try:
        pid = int(pid_file.read_text(encoding="utf-8").strip())
        old_workers = children(pid) if wait else set()
        os.kill(pid, signal.SIGHUP)
    except (OSError, ValueError) as error:
        print(f"watchdog: could not reload nginx ({error})", file=sys.stderr, flush=True)
        return False
    deadline = time.monotonic() + wait
    while old_workers and not switched(old_workers) and time.monotonic() < deadline:
        time.sleep(0.02)
    return True


def listening_pid(port: int) -> int | None:
    """The pid of the local process listening on this TCP port (same user or root), else None."""
    inodes: set[str] = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            rows = Path(table).read_text(encoding="ascii").splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            fields = row.split()
            if len(fields) > 9 and fields[3] == "0A" and int(fields[1].rsplit(":", 1)[1], 16) == port:
                inodes.add(fields[9])
    if not inodes:
        return None
    targets = {f"socket:[{inode}]" for inode in inodes}
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if any(os.readlink(fd) in targets for fd in (proc / "fd").iterdir()):
                return int(proc.name)
        except OSError:
            continue
    return None


def cpu_ticks(pid: int) -> int | None:
    """utime + stime of a process, in clock ticks; None if it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii")
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def replica_ticks(replica: Replica) -> int | None:
    """CPU ticks of the local process behind a replica (found once, again after a restart), else None."""
    if replica.pid is None or cpu_ticks(replica.pid) is None:
        host, port = replica.address.rsplit(":", 1)
        replica.pid = listening_pid(int(port)) if host in {"127.0.0.1", "localhost", "::1", "[::1]"} else None
    return cpu_ticks(replica.pid) if replica.pid is not None else None


def process_state(pid: int | None) -> str | None:
    """The one-letter state of a process (/proc/PID/stat: R, S, D, T stopped, t traced, Z...), None if unknown."""
    if pid is None:
        return None
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii")
    except OSError:
        return None
    return stat.rsplit(")", 1)[1].split()[0]


def judge(probed: str, ticks_before: int | None, ticks_after: int | None) -> str:
    """The probe's result, except that an unanswered probe of a process that used CPU meanwhile is BUSY."""
    if probed == FAILED and ticks_before is not None and ticks_after is not None and ticks_after > ticks_before:
        return BUSY
    return probed


def probe_all(replicas: list[Replica], timeout: float) -> dict[str, str]:
    results = {}
    for replica in replicas:
        before = replica_ticks(replica)
        if before is not None and process_state(replica.pid) in {"T", "t"}:
            results[replica.address] = STOPPED  # stopped (SIGSTOP) or held by a debugger: no need to wait
            continue
        probed = probe(replica.address, timeout)
        results[replica.address] = judge(probed, before, replica_ticks(replica) if before is not None else None)
    return results


SYS_PIDFD_GETFD = 438  # the same number on every Linux architecture (syscalls added after 5.1 are unified)


def established_inodes(port: int) -> set[str]:
    """Socket inodes of the established TCP connections with `port` at either end (on this host: both ends of
    each loopback connection to a replica, the replica's and nginx's)."""
    inodes: set[str] = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            rows = Path(table).read_text(encoding="ascii").splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            fields = row.split()
            if len(fields) > 9 and fields[3] == "01":
                local, remote = (int(fields[i].rsplit(":", 1)[1], 16) for i in (1, 2))
                if port in (local, remote):
                    inodes.add(fields[9])
    return inodes


def close_connections(port: int, pids: list[int]) -> int:
    """Shut down every established connection to a frozen local replica's port held by these processes (the
    replica itself and nginx's workers). Returns how many sockets were shut down.

    A stopped process cannot close its sockets, and nginx keeps a tunnel open as long as neither end closes it:
    its users would wait for a day-long read timeout. A connection nginx opened just before the freeze was noticed
    is not even accepted yet: it waits in the replica's listen queue, and only nginx's end can be closed. The
    watchdog takes a copy of each such socket (pidfd_getfd, Linux 5.6+; needs the right to ptrace the process:
    root, or CAP_SYS_PTRACE) and shuts it down. nginx sees the connection close: a tunnel ends (the tab
    reconnects at once, to a healthy replica), a handshake still waiting moves on to the next replica. The
    replica's listening socket is left alone, so a replica that is continued later serves again.
    """
    targets = {f"socket:[{inode}]" for inode in established_inodes(port)}
    if not targets:
        return 0
    libc = ctypes.CDLL(None, use_errno=True)
    closed = 0
    for pid in pids:
        try:
            pidfd = os.pidfd_open(pid)
        except OSError:
            continue  # gone
        try:
            for entry in Path(f"/proc/{pid}/fd").iterdir():
                try:
                    if os.readlink(entry) not in targets:
                        continue
                except OSError:
                    continue
                fd = libc.syscall(SYS_PIDFD_GETFD, pidfd, int(entry.name), 0)
                if fd < 0:
                    raise OSError(ctypes.get_errno(), f"pidfd_getfd: {os.strerror(ctypes.get_errno())}")
                with socket.socket(fileno=fd) as copy, contextlib.suppress(OSError):
                    copy.shutdown(socket.SHUT_RDWR)
                    closed += 1
        finally:
            os.close(pidfd)
    return closed


def step(
    replicas: list[Replica],
    results: dict[str, str],
    fail_after: int,
    recover_after: int,
    busy_grace: float,
    now: float,
) -> bool:
    """Apply one round of probe results (OK/BUSY/FAILED/STOPPED/DEAD); return whether any replica changed state.

    DEAD changes nothing: nothing listens, so nginx's own passive checks already send every request elsewhere
    (connection refused costs no wait), and a reload for it would cut every user's WebSocket for nothing.
    """
    changed = False
    for replica in replicas:
        result = results[replica.address]
        if result == DEAD:
            replica.successes = 0
            replica.busy_since = None
            continue
        if result == OK:
            replica.failures = 0
            replica.busy_since = None
            replica.successes += 1
            if not replica.healthy and replica.successes >= recover_after:
                replica.healthy = True
                changed = True
            continue
        replica.successes = 0
        if result == BUSY:
            replica.busy_since = now if replica.busy_since is None else replica.busy_since
            down = now - replica.busy_since >= busy_grace
        else:
            replica.failures += 1
            down = replica.failures >= fail_after or result == STOPPED
        if replica.healthy and down:
            replica.healthy = False
            changed = True
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--upstream-file", type=Path, required=True)
    parser.add_argument("--nginx-pid", type=Path, required=True)
    parser.add_argument("--replica", action="append", required=True, help="host:port, repeatable")
    # nginx's passive checks off (max_fails=0): nginx never takes a replica out by itself, it only moves each
    # request that fails to connect on to the next replica (proxy_next_upstream), which costs a refused connect
    # on loopback. With max_fails=1 fail_timeout=3s, a replica restarted a few seconds before the other one died
    # could still be marked failed in a pool, and the first request after that failover found "no live
    # upstreams" (502). Out of rotation is now only what this watchdog marks `down`, never all of them.
    parser.add_argument("--server-params", default="max_fails=0")
    parser.add_argument("--interval", type=float, default=0.5)
    parser.add_argument(
        "--reload-wait", type=float, default=3.0, help="at most this long for nginx's reload before cutting a frozen"
    )
    parser.add_argument("--timeout", type=float, default=1.0)
    parser.add_argument("--fail-after", type=int, default=2)
    parser.add_argument("--recover-after", type=int, default=2)
    parser.add_argument(
        "--busy-grace", type=float, default=20.0, help="seconds a busy (CPU-using) local replica may not answer"
    )
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
        results = probe_all(replicas, args.timeout)
        was_healthy = {replica.address for replica in replicas if replica.healthy}
        if step(replicas, results, args.fail_after, args.recover_after, args.busy_grace, time.monotonic()):
            states = ", ".join(f"{r.address} {'up' if r.healthy else 'DOWN'} ({results[r.address]})" for r in replicas)
            text = upstream_text(replicas, args.server_params)
            # Reload only when the file changes: a reload makes nginx drop *every* open WebSocket within
            # worker_shutdown_timeout, and when all replicas fail at once (e.g. all busy under load, or the
            # only one) the file stays all-up, so a reload would only cut every user off (measured by
            # deploy/loadtest.py: 50 sessions on one replica, all cut after 7.5 s).
            if text != written:
                write_atomically(args.upstream_file, text)
                written = text
                frozen = [
                    r
                    for r in replicas
                    if r.address in was_healthy and not r.healthy and results[r.address] in {FAILED, STOPPED} and r.pid
                ]
                # Before cutting a frozen replica's users, nginx's new workers (without it) must be the ones that
                # accept their reconnects: wait for the old workers to stop accepting.
                reloaded = reload_nginx(args.nginx_pid, wait=args.reload_wait if frozen else 0.0)
                print(f"watchdog: {time.strftime('%H:%M:%S')} {states} (nginx reloaded: {reloaded})", flush=True)
                for replica in frozen:
                    try:
                        workers = sorted(children(int(args.nginx_pid.read_text(encoding="utf-8").strip())))
                        count = close_connections(int(replica.address.rsplit(":", 1)[1]), [replica.pid or 0, *workers])
                        print(f"watchdog: closed {count} connections of frozen {replica.address}", flush=True)
                    except (OSError, ValueError) as error:
                        print(f"watchdog: could not close frozen {replica.address}'s connections ({error})", flush=True)
                        stopped = stop_old_workers(args.nginx_pid)
                        print(f"watchdog: instead ended nginx's old workers {stopped}", flush=True)
            else:
                print(f"watchdog: {time.strftime('%H:%M:%S')} {states} (upstream unchanged, no reload)", flush=True)
        time.sleep(max(0.0, args.interval - (time.monotonic() - started)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
