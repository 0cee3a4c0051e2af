#!/usr/bin/env bash
# Start the whole shared profile locally for testing (issue 5), in one command:
#   a mock OIDC provider (oidc-provider-mock), N Streamlit replicas with login required, nginx in front,
#   and deploy/replica_watchdog.py taking frozen/dead replicas out of rotation.
# Prints the URL to open, and stops everything it started on Ctrl-C / SIGTERM.
#
#   deploy/start-shared.sh          start (stopping a previous run of this script first), stay in the foreground
#   deploy/start-shared.sh stop     stop a run left in the background (e.g. by CI: `deploy/start-shared.sh &`)
#
# It installs nothing. Needs: nginx (Debian: apt-get install -y nginx) and, in the venv,
# pip install "streamlit[auth]" oidc-provider-mock. Environment (all optional):
#   VENV=.venv                         the virtualenv with streamlit, Authlib and oidc-provider-mock (relative
#                                      paths are taken from the directory the script is started in)
#   CRISIS_MONITOR_RUN_DIR=/tmp/crisis-monitor-shared   pid files, logs, generated configs (recreated each run)
#   PUBLIC_PORT=8080  REPLICA_PORTS="8501 8502"  OIDC_PORT=9400
#   CRISIS_MONITOR_COOKIE_SECRET       shared cookie secret (default: a fresh random one per run)
#   CRISIS_MONITOR_ALLOWED_DOMAINS     e-mail domain allow-list passed to the replicas (e.g. example.org)
#   NGINX=nginx
#   WATCHDOG_TIMEOUT=1                 seconds the watchdog waits for a replica's /_stcore/health (see README)
#   WATCHDOG_BUSY_GRACE=20             seconds a replica busy with work (using CPU) may leave health unanswered
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEPLOY="$ROOT/deploy"
# Paths given relative to the caller's directory (VENV=.venv, as the README writes it) are made absolute here,
# once, before anything changes directory: the replicas run with `env -C` in the run directory.
absolute() { case "$1" in /*) printf '%s\n' "$1" ;; *) printf '%s\n' "$PWD/$1" ;; esac; }
VENV="$(absolute "${VENV:-$ROOT/.venv}")"
RUN_DIR="$(absolute "${CRISIS_MONITOR_RUN_DIR:-/tmp/crisis-monitor-shared}")"
PUBLIC_HOST=127.0.0.1
PUBLIC_PORT="${PUBLIC_PORT:-8080}"
REPLICA_PORTS="${REPLICA_PORTS:-8501 8502}"
OIDC_PORT="${OIDC_PORT:-9400}"
NGINX="${NGINX:-nginx}"
PIDS_FILE="$RUN_DIR/pids"

log() { printf '[start-shared] %s\n' "$*" >&2; }

OWNER_FILE="${RUN_DIR}.owner"   # pid of the start-shared.sh that owns RUN_DIR (outside it: RUN_DIR is recreated)

# Stop a previous run: first its start-shared.sh (whose trap stops its own processes), then, in case it was
# killed hard, every process it recorded in its pid file (only those, by id).
stop_previous() {
  local pid owner=""
  [ -f "$OWNER_FILE" ] && owner="$(cat "$OWNER_FILE")"
  if [ -n "$owner" ] && [ "$owner" != "$$" ] && kill -0 "$owner" 2>/dev/null \
    && grep -q "start-shared" "/proc/$owner/cmdline" 2>/dev/null; then
    kill -TERM "$owner" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$owner" 2>/dev/null || break; sleep 0.1; done
  fi
  [ -f "$PIDS_FILE" ] || return 0
  while read -r pid; do
    [ -n "$pid" ] || continue
    kill -CONT "$pid" 2>/dev/null || true   # a replica frozen by a fault test must be able to exit
    kill -TERM "$pid" 2>/dev/null || true
  done <"$PIDS_FILE"
  for _ in $(seq 1 50); do
    local alive=0
    while read -r pid; do
      [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && alive=1
    done <"$PIDS_FILE"
    [ "$alive" = 0 ] && break
    sleep 0.2
  done
  while read -r pid; do
    [ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null || true
  done <"$PIDS_FILE"
  rm -f "$PIDS_FILE"
  if [ "$owner" = "$$" ] || [ "${1:-}" = "all" ]; then rm -f "$OWNER_FILE"; fi
}

if [ "${1:-}" = "stop" ]; then
  stop_previous all
  log "stopped"
  exit 0
fi

# --- prerequisites (installs nothing) -------------------------------------------------------------------------
[ -x "$VENV/bin/python" ] || { log "no virtualenv at $VENV (set VENV=...; ./dev.sh run creates .venv)"; exit 1; }
command -v "$NGINX" >/dev/null || { log "nginx not found: apt-get install -y nginx"; exit 1; }
"$VENV/bin/python" -c 'import authlib' 2>/dev/null \
  || { log "Authlib missing: $VENV/bin/pip install \"streamlit[auth]\""; exit 1; }
[ -x "$VENV/bin/oidc-provider-mock" ] \
  || { log "oidc-provider-mock missing: $VENV/bin/pip install oidc-provider-mock"; exit 1; }

stop_previous
for port in "$PUBLIC_PORT" $REPLICA_PORTS "$OIDC_PORT"; do
  if "$VENV/bin/python" - "$port" <<'PY'
import socket, sys
s = socket.socket()
sys.exit(0 if s.connect_ex(("127.0.0.1", int(sys.argv[1]))) == 0 else 1)
PY
  then
    log "port $port is already in use; free it or choose other ports (PUBLIC_PORT, REPLICA_PORTS, OIDC_PORT)"
    exit 1
  fi
done

rm -rf "$RUN_DIR"
mkdir -p "$RUN_DIR/app/.streamlit" "$RUN_DIR/tmp"
chmod 700 "$RUN_DIR"
: >"$PIDS_FILE"
echo "$$" >"$OWNER_FILE"

PIDS=()
cleanup() {
  trap - INT TERM EXIT
  # Only the run that owns RUN_DIR stops its processes (a newer run may have taken over).
  if [ "$(cat "$OWNER_FILE" 2>/dev/null)" = "$$" ]; then
    log "stopping"
    stop_previous
  fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

start_bg() { # name, then the command; records the pid
  local name="$1"; shift
  "$@" >"$RUN_DIR/$name.log" 2>&1 &
  PIDS+=("$!")
  echo "$!" >>"$PIDS_FILE"
}

wait_http() { # url, seconds
  local url="$1" deadline=$((SECONDS + $2))
  until "$VENV/bin/python" - "$url" <<'PY'
import sys, urllib.request
try:
    urllib.request.urlopen(sys.argv[1], timeout=2)
except Exception:
    sys.exit(1)
PY
  do
    [ "$SECONDS" -lt "$deadline" ] || { log "timed out waiting for $url"; return 1; }
    sleep 0.5
  done
}

secret() { "$VENV/bin/python" -c 'import secrets; print(secrets.token_hex(32))'; }
COOKIE_SECRET="${CRISIS_MONITOR_COOKIE_SECRET:-$(secret)}"
CLIENT_SECRET="$(secret)"
PUBLIC_URL="http://$PUBLIC_HOST:$PUBLIC_PORT"
ISSUER="http://127.0.0.1:$OIDC_PORT"

# --- 1. the mock OIDC provider (test only: it signs in anyone who types a name) ---------------------------------
start_bg oidc "$VENV/bin/oidc-provider-mock" --host 127.0.0.1 --port "$OIDC_PORT" --require-nonce true \
  --user-claims '{"sub": "alice@example.org", "email": "alice@example.org", "email_verified": true, "name": "Alice Analyst"}' \
  --user-claims '{"sub": "mallory@outsider.test", "email": "mallory@outsider.test", "email_verified": true, "name": "Mallory Outsider"}'
wait_http "$ISSUER/.well-known/openid-configuration" 30

# --- 2. the replicas: one working directory with the shared config and generated secrets -----------------------
cp "$DEPLOY/streamlit/config.toml" "$RUN_DIR/app/.streamlit/config.toml"
umask 077
cat >"$RUN_DIR/app/.streamlit/secrets.toml" <<EOF
# Generated by deploy/start-shared.sh for the local mock provider. Do not reuse.
[auth]
redirect_uri = "$PUBLIC_URL/oauth2callback"
cookie_secret = "$COOKIE_SECRET"
client_id = "crisis-monitor"
client_secret = "$CLIENT_SECRET"
server_metadata_url = "$ISSUER/.well-known/openid-configuration"
EOF
umask 022

# --- 2b. the login gate's verifier (nginx auth_request; reads the same secrets.toml) -----------------------------
start_bg auth-gate env CRISIS_MONITOR_ALLOWED_DOMAINS="${CRISIS_MONITOR_ALLOWED_DOMAINS:-}" \
  "$VENV/bin/python" -u "$DEPLOY/auth_gate.py" --secrets "$RUN_DIR/app/.streamlit/secrets.toml" \
  --listen 127.0.0.1:0 --port-file "$RUN_DIR/auth-gate.port"

ENTRY="$ROOT/dashboard/serve.py"  # dashboard/app.py, warmed at start; its require_login() admits only signed-in users in the shared profile

REPLICAS=()
for port in $REPLICA_PORTS; do
  REPLICAS+=("127.0.0.1:$port")
  start_bg "replica-$port" env -C "$RUN_DIR/app" \
    CRISIS_MONITOR_PROFILE=shared \
    CRISIS_MONITOR_ALLOWED_DOMAINS="${CRISIS_MONITOR_ALLOWED_DOMAINS:-}" \
    STREAMLIT_SERVER_COOKIE_SECRET="$COOKIE_SECRET" \
    STREAMLIT_SERVER_PORT="$port" \
    STREAMLIT_SERVER_ADDRESS=127.0.0.1 \
    "$VENV/bin/streamlit" run "$ENTRY"
done
for replica in "${REPLICAS[@]}"; do wait_http "http://$replica/_stcore/health" 90; done
for _ in $(seq 1 100); do [ -s "$RUN_DIR/auth-gate.port" ] && break; sleep 0.1; done
[ -s "$RUN_DIR/auth-gate.port" ] || { log "the login gate did not start (see $RUN_DIR/auth-gate.log)"; exit 1; }
AUTH_GATE="127.0.0.1:$(cat "$RUN_DIR/auth-gate.port")"

# --- 3. nginx with our own config, pid file and logs ---------------------------------------------------------
mkdir -p "$RUN_DIR/tmp"/{body,proxy,fastcgi,uwsgi,scgi}
if [ "$(id -u)" = 0 ]; then chown -R nobody "$RUN_DIR/tmp"; chmod 711 "$RUN_DIR"; fi
sed -e "s|@RUN_DIR@|$RUN_DIR|g" -e "s|@LISTEN@|$PUBLIC_HOST:$PUBLIC_PORT|g" \
  -e "s|@SERVER_NAMES@|127.0.0.1 localhost|g" -e "s|@AUTH_GATE@|$AUTH_GATE|g" "$DEPLOY/nginx.conf" >"$RUN_DIR/nginx.conf"
WATCHDOG_ARGS=(--upstream-file "$RUN_DIR/upstream.conf" --nginx-pid "$RUN_DIR/nginx.pid")
for replica in "${REPLICAS[@]}"; do WATCHDOG_ARGS+=(--replica "$replica"); done
"$VENV/bin/python" "$DEPLOY/replica_watchdog.py" "${WATCHDOG_ARGS[@]}" --once
NGINX_ARGS=(-p "$RUN_DIR" -e "$RUN_DIR/nginx-error.log" -c "$RUN_DIR/nginx.conf")
"$NGINX" "${NGINX_ARGS[@]}" -t -q
start_bg nginx "$NGINX" "${NGINX_ARGS[@]}" -g "daemon off;"
wait_http "$PUBLIC_URL/_stcore/health" 30

# --- 4. the watchdog -----------------------------------------------------------------------------------------
start_bg watchdog "$VENV/bin/python" -u "$DEPLOY/replica_watchdog.py" "${WATCHDOG_ARGS[@]}" \
  --timeout "${WATCHDOG_TIMEOUT:-1}" --busy-grace "${WATCHDOG_BUSY_GRACE:-20}"

log "entry point: ${ENTRY#"$ROOT"/}; logs and generated configs: $RUN_DIR"
log "mock provider: $ISSUER (predefined users alice@example.org, mallory@outsider.test)"
echo "READY: open $PUBLIC_URL/   (Ctrl-C stops everything)"

# Stay in the foreground until interrupted (sleep in the background so Ctrl-C is handled at once).
while true; do
  sleep 1 &
  wait $! || true
done
