"""Remember, in the visitor's own browser only, how far the record reached at their last visit to a page.

"Since my last visit" must work without the server keeping anything about a viewer (the shared deployment stores
nothing per person). This invisible component reads the date it stored at the previous visit from the browser's
localStorage, reports it once, and stores the record's current end for next time. Constant code; the only value
passed in is an ISO date the server formats.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

LAST_VISIT_KEY = "last_visit_memory"
STORAGE_KEY = "crisis-monitor:record-end-at-last-visit"
_REMEMBERED = "_last_visit_record_end"

_JS = """
export default function (component) {
  const { setStateValue, data } = component;
  if (window.__cmLastVisitRead) return;
  window.__cmLastVisitRead = true;
  let previous = null;
  try {
    previous = window.localStorage.getItem("%s");
    if (data && /^\\d{4}-\\d{2}-\\d{2}$/.test(data.current)) window.localStorage.setItem("%s", data.current);
  } catch (error) {
    previous = null;  // storage disabled: behave as a first visit
  }
  if (previous && /^\\d{4}-\\d{2}-\\d{2}$/.test(previous)) setStateValue("previous", previous);
}
""" % (STORAGE_KEY, STORAGE_KEY)  # noqa: UP031 - JS braces make f-strings unreadable here


def _ignore() -> None:
    """The state change itself carries the value."""


def previous_record_end(current: dt.date) -> dt.date | None:
    """The record's end the visitor saw last time (None on a first visit); remembers `current` for next time."""
    component = st.components.v2.component("crisis_monitor_last_visit", js=_JS)
    result = component(
        key=LAST_VISIT_KEY,
        data={"current": current.isoformat()},
        default={"previous": None},
        on_previous_change=_ignore,
    )
    value = getattr(result, "previous", None)
    if isinstance(value, str):
        st.session_state[_REMEMBERED] = value  # kept when the visitor leaves the page and comes back
    remembered = st.session_state.get(_REMEMBERED)
    try:
        return dt.date.fromisoformat(remembered) if isinstance(remembered, str) else None
    except ValueError:
        return None
