"""Widget state mirrored in the URL, so any view can be shared as a link.

Session state is the one source of truth. On a session's first run each key is seeded
from the URL (bad values are dropped or clamped, with a note the sidebar shows); on every
run the URL is rewritten from session state, holding only values that differ from their
defaults and only the keys the current page owns. Values in the URL are stable ids, never
display labels, so links survive relabelling and translation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection
from typing import Any

import streamlit as st

from dashboard.i18n import t

MAX_VALUES = 50
MAX_VALUE_LENGTH = 200
_SEEDED = "_url_seeded"
_NOTES = "_url_notes"


def _note(text: str) -> None:
    notes: list[str] = st.session_state.setdefault(_NOTES, [])
    if text not in notes:
        notes.append(text)


def add_note(text: str) -> None:
    """A visible note about a value that was changed (the sidebar shows it with the link's other notes)."""
    _note(text)


def url_notes() -> list[str]:
    """What was ignored or clamped from the link that opened this session."""
    return list(st.session_state.get(_NOTES, []))


def _raw_values(key: str) -> list[str]:
    values = st.query_params.get_all(key)
    if len(values) > MAX_VALUES:
        _note(t("'{key}': only the first {n} values were read", key=key, n=MAX_VALUES))
    return [value[:MAX_VALUE_LENGTH] for value in values[:MAX_VALUES]]


def reseed(*keys: str) -> None:
    """Let the next run read `keys` from the URL again, as on a session's first run (a new view was applied)."""
    seeded: set[str] = st.session_state.get(_SEEDED, set())
    seeded.difference_update(keys)


def _seed(key: str, parse: Callable[[list[str]], Any]) -> None:
    """Copy the URL's value for `key` into session state once per session, before its widget exists."""
    seeded: set[str] = st.session_state.setdefault(_SEEDED, set())
    if key in seeded:
        return
    seeded.add(key)
    raw = _raw_values(key)
    if not raw:
        return
    value = parse(raw)
    if value is not None:
        st.session_state[key] = value


def seed_choices(key: str, allowed: Collection[str], *, multiple: bool = True) -> None:
    """Seed a multiselect (or a single choice) from ids in the URL; unknown ids are dropped with a note."""
    known = set(allowed)

    def parse(raw: list[str]) -> Any:
        values = [v for part in raw for v in part.split(",") if v]
        good = list(dict.fromkeys(v for v in values if v in known))
        bad = [v for v in values if v not in known]
        if bad:
            _note(
                t(
                    "'{key}': ignored unknown value(s) {values}",
                    key=key,
                    values=", ".join(repr(b[:40]) for b in bad[:5]),
                )
            )
        if multiple:
            return good
        return good[0] if good else None

    _seed(key, parse)


def seed_date(key: str, *, lowest: dt.date, highest: dt.date) -> None:
    """Seed a date from ISO text in the URL, clamped to the data's range."""

    def parse(raw: list[str]) -> dt.date | None:
        try:
            value = dt.date.fromisoformat(raw[0])
        except ValueError:
            _note(t("'{key}': ignored {value} (not a YYYY-MM-DD date)", key=key, value=repr(raw[0][:40])))
            return None
        clamped = min(max(value, lowest), highest)
        if clamped != value:
            _note(
                t(
                    "'{key}': {value} is outside the data ({lowest} to {highest}); using {clamped}",
                    key=key,
                    value=value,
                    lowest=lowest,
                    highest=highest,
                    clamped=clamped,
                )
            )
        return clamped

    _seed(key, parse)


def seed_flag(key: str) -> None:
    """Seed an on/off switch: `1` in the URL turns it on; anything else is ignored with a note."""

    def parse(raw: list[str]) -> bool | None:
        if raw[0] == "1":
            return True
        _note(t("'{key}': ignored {value} (only 1 switches it on)", key=key, value=repr(raw[0][:40])))
        return None

    _seed(key, parse)


def seed_text(key: str, *, max_length: int) -> None:
    def parse(raw: list[str]) -> str:
        if len(raw[0]) > max_length:
            _note(t("'{key}': text cut to {n} characters", key=key, n=max_length))
        return raw[0][:max_length]

    _seed(key, parse)


def publish(values: dict[str, str | list[str] | None], *, keep: set[str]) -> None:
    """Rewrite the URL: `values` (None or empty drops a key), plus any existing key in `keep`."""
    current = {key: st.query_params.get_all(key) for key in st.query_params}
    wanted: dict[str, list[str]] = {key: vals for key, vals in current.items() if key in keep and key not in values}
    for key, value in values.items():
        if value is None or value == "" or value == []:
            continue
        wanted[key] = [value] if isinstance(value, str) else list(value)
    if wanted != current:
        st.query_params.from_dict(wanted)


def publish_one(key: str, value: str | list[str] | None) -> None:
    """Set or drop a single key (used by pages for their own widgets)."""
    if value is None or value == "" or value == []:
        if key in st.query_params:
            del st.query_params[key]
    elif st.query_params.get_all(key) != ([value] if isinstance(value, str) else list(value)):
        st.query_params[key] = value


def apply_new_selection(chart_event: Any, target_key: str, *, join: str | None = None) -> None:
    """Copy a newly clicked chart point's `customdata` into the widget `target_key`.

    Only a selection that changed since the last run is applied, so picking another value in the
    target widget afterwards is not overridden by the chart's lingering selection. Call this
    before the target widget is drawn.
    """
    try:
        points = chart_event["selection"]["points"]
    except (KeyError, TypeError):
        points = []
    custom = points[0].get("customdata") if points else None
    picked = None
    if custom:
        picked = join.join(str(part) for part in custom) if join else str(custom[0])
    marker = f"_applied_{target_key}"
    if picked != st.session_state.get(marker):
        st.session_state[marker] = picked
        if picked is not None:
            st.session_state[target_key] = picked
