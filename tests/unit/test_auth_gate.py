"""deploy/auth_gate.py: the proxy's login gate accepts exactly the cookies Streamlit itself accepts."""

from __future__ import annotations

import http.client
import importlib.util
import json
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from streamlit.web.server.starlette.starlette_app_utils import create_signed_value

from tests.e2e.support import ROOT

_spec = importlib.util.spec_from_file_location("auth_gate", ROOT / "deploy" / "auth_gate.py")
assert _spec and _spec.loader
auth_gate: ModuleType = importlib.util.module_from_spec(_spec)
sys.modules["auth_gate"] = auth_gate  # dataclasses look their module up by name
_spec.loader.exec_module(auth_gate)

SECRET = "s" * 64
ORIGIN = "http://127.0.0.1:8080"
CLAIMS = {"is_logged_in": True, "origin": ORIGIN, "email": "alice@example.org", "email_verified": True}


def cookie(claims: dict[str, object] = CLAIMS, secret: str = SECRET, name: str = "_streamlit_user") -> str:
    return create_signed_value(secret, name, json.dumps(claims)).decode()


def test_a_cookie_streamlit_signed_with_the_shared_secret_is_a_login() -> None:
    gate = auth_gate.Gate(SECRET, ORIGIN)
    assert gate.user(f"_streamlit_xsrf=2|a|b|1; _streamlit_user={cookie()}; cm_route=x") == CLAIMS


@pytest.mark.parametrize(
    "header",
    [
        "",
        "cm_route=r127_0_0_1_8501",  # a route cookie is no login
        "_streamlit_user=forged.garbage.value",
        f"_streamlit_user={cookie()[:-3]}abc",  # tampered signature
        f"_streamlit_user={cookie(secret='x' * 64)}",  # another (or a rotated) secret
        f"_streamlit_user={cookie(name='_streamlit_user_tokens')}",  # signed for another cookie name
        f"_streamlit_user={cookie({**CLAIMS, 'origin': 'http://evil.example'})}",
        f"_streamlit_user={cookie({**CLAIMS, 'is_logged_in': False})}",
        f"_streamlit_user={create_signed_value(SECRET, '_streamlit_user', 'not json').decode()}",
    ],
)
def test_anything_else_is_anonymous(header: str) -> None:
    assert auth_gate.Gate(SECRET, ORIGIN).user(header) is None


def test_rotating_the_secret_refuses_every_earlier_cookie() -> None:
    earlier = f"_streamlit_user={cookie()}"
    assert auth_gate.Gate(SECRET, ORIGIN).user(earlier) is not None
    assert auth_gate.Gate("r" * 64, ORIGIN).user(earlier) is None


def test_the_apps_domain_allow_list_applies() -> None:
    gate = auth_gate.Gate(SECRET, ORIGIN, frozenset({"example.org"}))
    assert gate.user(f"_streamlit_user={cookie()}") is not None
    outsider = {**CLAIMS, "email": "mallory@outsider.test"}
    assert gate.user(f"_streamlit_user={cookie(outsider)}") is None


def test_secret_and_origin_come_from_the_replicas_secrets_file(tmp_path: Path) -> None:
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(f'[auth]\nredirect_uri = "{ORIGIN}/oauth2callback"\ncookie_secret = "{SECRET}"\n')
    gate = auth_gate.Gate.from_secrets(secrets)
    assert (gate.cookie_secret, gate.origin) == (SECRET, ORIGIN)
    secrets.write_text("[auth]\n")
    with pytest.raises(SystemExit):
        auth_gate.Gate.from_secrets(secrets)


@pytest.fixture
def server() -> Iterator[int]:
    running = auth_gate.serve("127.0.0.1:0", auth_gate.Gate(SECRET, ORIGIN))
    thread = threading.Thread(target=running.serve_forever, daemon=True)
    thread.start()
    yield int(running.server_address[1])
    running.shutdown()
    running.server_close()


def test_over_http_204_for_a_login_401_otherwise_on_one_kept_alive_connection(server: int) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", server, timeout=5)
    statuses = []
    for header in (f"_streamlit_user={cookie()}", "_streamlit_user=forged", None):
        connection.request("GET", "/verify", headers={"Cookie": header} if header else {})
        response = connection.getresponse()
        response.read()
        statuses.append(response.status)
    connection.close()
    assert statuses == [204, 401, 401]
