"""Rebuild the page by itself after its WebSocket reconnects to a server that does not know the session.

Streamlit's frontend asks for a script run after a reconnect only when a run was in progress: it assumes the
server resumed its session. After a failover to another replica, or when the laptop server was restarted, the
server is a process that has never seen the session: the tab keeps showing the old page, nothing runs, and its
download button points at a file the new process does not have (measured: 3 of 15 open tabs recovered after a
replica was killed; a restarted laptop server: no message, download failed).

This invisible component listens for the frontend's own connection messages, which it posts to its window
(`WEBSOCKET_DISCONNECTED`, then `WEBSOCKET_CONNECTED`), and after a reconnect sends one trigger. A trigger makes
the frontend request an ordinary rerun carrying the page, the URL and every widget's state, so the new process
rebuilds the same view (session_state is lost in a failover; the URL and widgets carry the view). On a resumed
session the extra rerun is harmless: same view, cached data.
"""

from __future__ import annotations

import streamlit as st

RECONNECT_KEY = "reconnect_rerun"

# Trusted, constant code (no data is ever interpolated). The frontend posts its connection messages with
# `stCommVersion: 1` to its own window when it is not embedded (to the parent, echoed to itself, when it is).
_JS = """
export default function (component) {
  const { setTriggerValue } = component;
  let disconnected = false;
  const onMessage = (event) => {
    const message = event.data;
    if (event.source !== window || !message || message.stCommVersion !== 1) return;
    if (message.type === "WEBSOCKET_DISCONNECTED") disconnected = true;
    if (message.type === "WEBSOCKET_CONNECTED" && disconnected) {
      disconnected = false;
      setTriggerValue("reconnected", Date.now());
    }
  };
  window.addEventListener("message", onMessage);
  return () => window.removeEventListener("message", onMessage);
}
"""


def _ignore() -> None:
    """The trigger's only job is the rerun it causes."""


def rerun_after_reconnect() -> None:
    """Mount the listener (call once per run; hidden by the app's CSS via its key class)."""
    component = st.components.v2.component("crisis_monitor_reconnect_rerun", js=_JS)
    component(key=RECONNECT_KEY, on_reconnected_change=_ignore)
