"""deploy/replica_watchdog.py: the routing file it writes, and how it tells a busy replica from a frozen one."""

from __future__ import annotations

import importlib.util
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from tests.e2e.support import ROOT, free_port

_spec = importlib.util.spec_from_file_location("replica_watchdog", ROOT / "deploy" / "replica_watchdog.py")
assert _spec and _spec.loader
watchdog: ModuleType = importlib.util.module_from_spec(_spec)
sys.modules["replica_watchdog"] = watchdog  # dataclasses look their module up by name
_spec.loader.exec_module(watchdog)

A, B = "127.0.0.1:8501", "127.0.0.1:8502"
PARAMS = "max_fails=2 fail_timeout=10s"


def server_lines(text: str, address: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip().startswith(f"server {address} ")]


def test_all_healthy_nothing_is_down_and_every_replica_has_a_pool_and_a_route() -> None:
    text = watchdog.upstream_text([watchdog.Replica(A), watchdog.Replica(B)], PARAMS)
    assert " down;" not in text
    route_a = watchdog.route_name(A)
    assert route_a == "r127_0_0_1_8501"
    assert f"upstream crisis_monitor_{route_a} {{" in text
    assert f"    {route_a} crisis_monitor_{route_a};" in text  # cookie -> pool
    assert f'    "~127\\.0\\.0\\.1:8501$" {route_a};' in text  # answering replica -> cookie value
    # each replica: once in the hashed pool, once first in its own pool, once as the other pool's backup
    assert server_lines(text, A) == [f"server {A} {PARAMS};", f"server {A} {PARAMS};", f"server {A} {PARAMS} backup;"]


def test_an_unhealthy_replica_is_down_in_every_pool_but_never_all_of_them() -> None:
    text = watchdog.upstream_text([watchdog.Replica(A, healthy=False), watchdog.Replica(B)], PARAMS)
    assert all(line.endswith(" down;") for line in server_lines(text, A))
    assert not any(line.endswith(" down;") for line in server_lines(text, B))
    failing = [watchdog.Replica(A, healthy=False), watchdog.Replica(B, healthy=False)]
    assert " down;" not in watchdog.upstream_text(failing, PARAMS)


def test_failed_probes_take_a_replica_out_busy_ones_only_after_the_grace_and_successes_bring_it_back() -> None:
    replica = watchdog.Replica(A)
    ok, busy, failed = watchdog.OK, watchdog.BUSY, watchdog.FAILED
    assert not watchdog.step([replica], {A: failed}, 2, 2, 20.0, now=0.0)
    assert watchdog.step([replica], {A: failed}, 2, 2, 20.0, now=1.0) and not replica.healthy
    assert not watchdog.step([replica], {A: ok}, 2, 2, 20.0, now=2.0)
    assert watchdog.step([replica], {A: ok}, 2, 2, 20.0, now=3.0) and replica.healthy
    for second in range(20):  # busy for 19 s: stays in rotation
        assert not watchdog.step([replica], {A: busy}, 2, 2, 20.0, now=10.0 + second)
    assert watchdog.step([replica], {A: busy}, 2, 2, 20.0, now=30.0) and not replica.healthy


def test_a_dead_replica_is_left_to_nginx_and_needs_no_reload() -> None:
    replica = watchdog.Replica(A)
    for second in range(5):
        assert not watchdog.step([replica], {A: watchdog.DEAD}, 2, 2, 20.0, now=float(second))
    assert replica.healthy


def test_judge_calls_an_unanswered_probe_busy_only_when_the_process_used_cpu_meanwhile() -> None:
    assert watchdog.judge(watchdog.OK, None, None) == watchdog.OK
    assert watchdog.judge(watchdog.FAILED, 100, 180) == watchdog.BUSY
    assert watchdog.judge(watchdog.FAILED, 100, 100) == watchdog.FAILED
    assert watchdog.judge(watchdog.FAILED, None, None) == watchdog.FAILED  # not a local process: probes alone
    assert watchdog.judge(watchdog.DEAD, None, None) == watchdog.DEAD


# A replica stand-in: listens, never answers, and either burns CPU (busy) or sleeps.
_STANDIN = """
import socket, sys, time
server = socket.socket(); server.bind(("127.0.0.1", int(sys.argv[1]))); server.listen(64)
print("listening", flush=True)
while True:
    if sys.argv[2] == "busy":
        sum(range(100_000))
    else:
        time.sleep(1)
"""


@pytest.fixture
def standin() -> Iterator[tuple[str, subprocess.Popen[str]]]:
    port = free_port()
    process = subprocess.Popen([sys.executable, "-c", _STANDIN, str(port), "busy"], stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None and process.stdout.readline().strip() == "listening"
    yield f"127.0.0.1:{port}", process
    process.kill()
    process.wait()
    process.stdout.close()


def test_a_real_busy_process_is_busy_and_the_same_process_stopped_is_stopped(standin) -> None:  # noqa: ANN001
    address, process = standin
    replica = watchdog.Replica(address)
    assert watchdog.probe_all([replica], timeout=0.5) == {address: watchdog.BUSY}
    assert replica.pid == process.pid  # found from its listening socket
    os.kill(process.pid, signal.SIGSTOP)
    try:
        time.sleep(0.05)
        assert watchdog.probe_all([replica], timeout=0.5) == {address: watchdog.STOPPED}
    finally:
        os.kill(process.pid, signal.SIGCONT)
    process.kill()
    process.wait()
    assert watchdog.probe_all([replica], timeout=0.5) == {address: watchdog.DEAD}  # connection refused


def test_the_routing_file_is_valid_nginx(tmp_path: Path) -> None:
    nginx = next((p for p in ("/usr/sbin/nginx", "/usr/bin/nginx") if Path(p).exists()), None)
    if nginx is None:
        if os.environ.get("CI"):
            pytest.fail("nginx not found: apt-get install -y nginx")
        pytest.skip("nginx not found: apt-get install -y nginx")
    run = tmp_path / "run"
    (run / "tmp").mkdir(parents=True)
    watchdog.write_atomically(
        run / "upstream.conf", watchdog.upstream_text([watchdog.Replica(A, healthy=False), watchdog.Replica(B)], PARAMS)
    )
    template = (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    config = (
        template.replace("@RUN_DIR@", str(run))
        .replace("@LISTEN@", f"127.0.0.1:{free_port()}")
        .replace("@SERVER_NAMES@", "127.0.0.1 localhost")
        .replace("@AUTH_GATE@", f"127.0.0.1:{free_port()}")
    )
    (run / "nginx.conf").write_text(config, encoding="utf-8")
    check = subprocess.run(
        [nginx, "-t", "-q", "-p", str(run), "-e", str(run / "error.log"), "-c", str(run / "nginx.conf")],
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stderr


def test_a_stopped_replica_is_failed_at_once_and_its_accepted_connections_are_closed_for_it(standin) -> None:  # noqa: ANN001
    address, process = standin
    host, port = address.rsplit(":", 1)
    client = socket.create_connection((host, int(port)), timeout=5)  # accepted by the kernel (backlog)
    replica = watchdog.Replica(address)
    os.kill(process.pid, signal.SIGSTOP)
    try:
        time.sleep(0.05)
        started = time.monotonic()
        assert watchdog.probe_all([replica], timeout=2.0) == {address: watchdog.STOPPED}
        assert time.monotonic() - started < 1.0  # judged by its state (T), not by waiting for the timeout
        assert watchdog.process_state(process.pid) == "T"
        # never accept()ed, so not the process's own; the client's end (here: this test's) is closed instead
        assert watchdog.close_connections(int(port), [process.pid]) == 0
        assert watchdog.close_connections(int(port), [os.getpid()]) == 1
        client.settimeout(2)
        assert client.recv(1) == b""
    finally:
        os.kill(process.pid, signal.SIGCONT)
    client.close()


_ACCEPTING = """
import socket, sys, time
server = socket.socket(); server.bind(("127.0.0.1", int(sys.argv[1]))); server.listen(8)
print("listening", flush=True)
conn, _ = server.accept()
print("accepted", flush=True)
while True:
    time.sleep(1)
"""


def test_close_connections_shuts_a_frozen_process_accepted_socket_so_the_peer_sees_it_close() -> None:
    port = free_port()
    process = subprocess.Popen([sys.executable, "-c", _ACCEPTING, str(port)], stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None and process.stdout.readline().strip() == "listening"
        client = socket.create_connection(("127.0.0.1", port), timeout=5)
        assert process.stdout.readline().strip() == "accepted"
        os.kill(process.pid, signal.SIGSTOP)
        assert watchdog.close_connections(port, [process.pid]) == 1
        client.settimeout(2)
        assert client.recv(1) == b""  # end of stream: the frozen process's end was shut down
        client.close()
    finally:
        os.kill(process.pid, signal.SIGCONT)
        process.kill()
        process.wait()
        if process.stdout:
            process.stdout.close()


def test_children_and_the_reload_switch_are_read_from_proc() -> None:
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        assert child.pid in watchdog.children(os.getpid())
        assert not watchdog.switched({child.pid})  # still titled as before: not shutting down
    finally:
        child.kill()
        child.wait()
    assert watchdog.switched({child.pid})  # gone counts as switched


def test_a_stopped_replica_is_out_at_the_first_sight_a_failed_probe_needs_two() -> None:
    replica = watchdog.Replica(A)
    assert watchdog.step([replica], {A: watchdog.STOPPED}, 2, 2, 20.0, now=0.0) and not replica.healthy
