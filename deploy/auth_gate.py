"""The proxy's login gate: nginx `auth_request` asks this verifier whether a request carries a valid login.

Streamlit's login (`st.login`) ends with a signed cookie, `_streamlit_user`, which the app's WebSocket checks. The
app's HTTP routes do not: a download link (`/media/<id>.csv`) was served to anyone who had it. So nginx gates
every path except the few the login page and the OIDC flow need (deploy/nginx.conf), and for each gated request
makes a subrequest here first. This process answers 204 when the request's login cookie is valid, else 401.

Valid means what it means to Streamlit itself, checked with Streamlit's own code (no cryptography of ours): the
cookie (reassembled from its chunks if Streamlit split it) decodes with Streamlit's `decode_signed_value`
(itsdangerous, the shared cookie secret, the cookie's name as salt, at most Streamlit's maximum age); its JSON
says `is_logged_in`; its `origin` is the public origin of `redirect_uri` (Streamlit's WebSocket requires the same);
and, with `CRISIS_MONITOR_ALLOWED_DOMAINS`, its e-mail passes the app's allow-list (`dashboard.auth`).

The cookie secret and `redirect_uri` come from the replicas' secrets.toml (`[auth]`), so the gate and the app can
never disagree about them. Rotating the secret logs everyone out at the gate as in the app. The `cm_route`
cookie plays no part: it is a routing hint, never an authorisation.

    python deploy/auth_gate.py --secrets RUN/app/.streamlit/secrets.toml --listen 127.0.0.1:0 --port-file RUN/gate.port

It listens on loopback (port 0: a free port, written to `--port-file` for the start script to put into nginx's
config), HTTP/1.1 with keep-alive for nginx's upstream connections, one thread per connection. (Not a Unix
socket: nginx's workers may run as another user, who cannot reach a private run directory.)
"""

from __future__ import annotations

import argparse
import http.server
import json
import os
import signal
import socketserver
import sys
import threading
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from dashboard.auth import allowed_domains, email_admitted  # noqa: E402 - the app's own allow-list

USER_COOKIE = "_streamlit_user"


def _streamlit_decoder() -> tuple[Callable[[str, str, bytes], bytes | None], Callable[..., bytes | None]]:
    """Streamlit's own functions: the signed-value decoder its server uses, and its chunked-cookie reader."""
    from streamlit.auth_util import get_cookie_with_chunks
    from streamlit.web.server.starlette.starlette_app_utils import decode_signed_value

    return decode_signed_value, get_cookie_with_chunks


@dataclass(frozen=True)
class Gate:
    """Decides whether a Cookie header holds a valid Streamlit login."""

    cookie_secret: str
    origin: str
    domains: frozenset[str] = frozenset()

    @classmethod
    def from_secrets(cls, path: Path) -> Gate:
        auth = tomllib.loads(path.read_text(encoding="utf-8")).get("auth", {})
        secret, redirect = auth.get("cookie_secret"), auth.get("redirect_uri")
        if not isinstance(secret, str) or not secret or not isinstance(redirect, str):
            raise SystemExit(f"{path}: [auth] needs cookie_secret and redirect_uri")
        return cls(secret, origin_of(redirect), allowed_domains())

    def user(self, cookie_header: str) -> dict[str, object] | None:
        """The signed-in user's claims if the header's login cookie is valid, else None."""
        cookies = parse_cookies(cookie_header)
        if USER_COOKIE not in cookies:
            return None
        decode, with_chunks = _streamlit_decoder()

        def single(name: str) -> bytes | None:
            value = cookies.get(name)
            return None if value is None else decode(self.cookie_secret, name, value.encode("latin-1"))

        try:
            decoded = with_chunks(single, USER_COOKIE)
            payload = json.loads(decoded) if decoded else None
        except (ValueError, UnicodeError):
            return None
        if not isinstance(payload, dict) or payload.get("is_logged_in") is not True:
            return None
        if payload.get("origin") != self.origin:
            return None
        if not email_admitted(payload.get("email"), payload.get("email_verified"), self.domains):
            return None
        return payload


def origin_of(url: str) -> str:
    parsed = urlparse(url)
    return f"{parsed.scheme}://{parsed.netloc}"


def parse_cookies(header: str) -> dict[str, str]:
    """Cookie name -> value, parsed as Streamlit's server (Starlette) parses them."""
    from starlette.requests import cookie_parser

    return cookie_parser(header)


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: nginx reuses its connections to us
    server: _GateServer

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        # nginx sends the original request's headers with the subrequest; only the cookies matter here.
        user = self.server.gate.user(self.headers.get("Cookie", ""))
        self.send_response(204 if user is not None else 401)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's signature
        return  # nginx logs every request; nothing to add per subrequest


class _GateServer(socketserver.ThreadingMixIn, socketserver.TCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], gate: Gate) -> None:
        self.gate = gate
        super().__init__(address, _Handler)


def serve(listen: str, gate: Gate) -> _GateServer:
    """Bind to host:port (port 0: any free one); the caller runs serve_forever()."""
    host, port = listen.rsplit(":", 1)
    return _GateServer((host, int(port)), gate)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--secrets", type=Path, required=True, help="the replicas' secrets.toml ([auth])")
    parser.add_argument("--listen", default="127.0.0.1:0", help="host:port (port 0: a free port)")
    parser.add_argument("--port-file", type=Path, help="where to write the port bound (for the start script)")
    args = parser.parse_args(argv)
    gate = Gate.from_secrets(args.secrets)
    _streamlit_decoder()  # import Streamlit's code now, not on the first request
    server = serve(args.listen, gate)
    host, port = str(server.server_address[0]), int(server.server_address[1])
    if args.port_file:
        tmp = args.port_file.with_name(args.port_file.name + ".tmp")
        tmp.write_text(f"{port}\n", encoding="utf-8")
        os.replace(tmp, args.port_file)
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    print(f"auth gate: listening on {host}:{port} for origin {gate.origin}", flush=True)
    try:
        server.serve_forever()
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
