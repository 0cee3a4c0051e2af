"""The sidebar filter panel shared by every page; its values are mirrored in the URL."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from components.style import CATEGORY_LABELS, THEATER_LABELS
from dashboard.context import (
    FILTER_KEYS,
    KEY_ACTOR,
    KEY_CATEGORY,
    KEY_FROM,
    KEY_KNOWN,
    KEY_STRONG,
    KEY_TEXT,
    KEY_THEATER,
    KEY_TO,
    Loaded,
    actor_labels,
)
from dashboard.copy_link import copy_link
from dashboard.i18n import relabel_after_switch, t
from dashboard.url_state import add_note, seed_choices, seed_date, seed_flag, seed_text, url_notes
from data.filters import Filters
from data.schema import CATEGORIES, THEATERS

TEXT_LIMIT = 200


def _reset() -> None:
    for key in FILTER_KEYS:
        st.session_state.pop(key, None)


def render_filter_panel(loaded: Loaded, *, draw: bool = True) -> None:
    """Draw the filters; their values live in `st.session_state` (seeded from, and mirrored to, the URL).

    `draw=False` (presenter mode, whose sidebar is hidden): the values are seeded and kept but no widget is drawn —
    a room sees none of them, and a first step from a link then loads no date, multiselect or text field code.
    """
    actor_names = {actor_id: name for actor_id, name, _group in actor_labels(loaded)}
    first, last = loaded.first_date, loaded.last_date
    seed_date(KEY_FROM, lowest=first, highest=last)
    seed_date(KEY_TO, lowest=first, highest=last)
    seed_choices(KEY_CATEGORY, CATEGORIES)
    seed_choices(KEY_THEATER, THEATERS)
    seed_choices(KEY_ACTOR, list(actor_names))
    seed_text(KEY_TEXT, max_length=TEXT_LIMIT)
    known_first = pd.Timestamp(loaded.events["known_from"].min()).date()
    seed_date(KEY_KNOWN, lowest=known_first, highest=loaded.coverage_end)
    seed_flag(KEY_STRONG)
    # Defaults go through session state too, so the widgets have one source of value.
    st.session_state.setdefault(KEY_FROM, first)
    st.session_state.setdefault(KEY_TO, last)
    start, end = st.session_state.get(KEY_FROM), st.session_state.get(KEY_TO)
    if isinstance(start, dt.date) and isinstance(end, dt.date) and start > end:
        # A reversed range would show an empty record with every counter at zero: swap it, and say so.
        st.session_state[KEY_FROM], st.session_state[KEY_TO] = end, start
        add_note(
            t(
                "'{first}' {start} was after '{last}' {end}; the range was swapped",
                first=KEY_FROM,
                start=start,
                last=KEY_TO,
                end=end,
            )
        )
    st.session_state[_PANEL_DRAWN] = draw
    if not draw:
        # A value assigned in session state outlives a run that does not draw its widget (a widget's own state
        # would be dropped): leaving presenter mode draws the widgets again with these values.
        for key in FILTER_KEYS:
            if key in st.session_state:
                st.session_state[key] = st.session_state[key]
        show_url_notes(from_start=True)
        return
    with st.sidebar:
        st.header(t("Filters"))
        relabel_after_switch(KEY_CATEGORY, KEY_THEATER, KEY_ACTOR)  # chips in the new language after the switch
        st.date_input(t("From"), value=None, min_value=first, max_value=last, key=KEY_FROM, format="YYYY-MM-DD")
        st.date_input(t("To"), value=None, min_value=first, max_value=last, key=KEY_TO, format="YYYY-MM-DD")
        st.multiselect(
            t("Category"),
            options=list(CATEGORIES),
            format_func=lambda c: t(CATEGORY_LABELS.get(str(c), str(c))),
            key=KEY_CATEGORY,
            placeholder=t("All categories"),
        )
        st.multiselect(
            t("Theater"),
            options=list(THEATERS),
            format_func=lambda theater: t(THEATER_LABELS.get(str(theater), str(theater))),
            key=KEY_THEATER,
            placeholder=t("All theaters"),
        )
        st.multiselect(
            t("Actor"),
            options=list(actor_names),
            format_func=lambda a: actor_names.get(a, a),
            key=KEY_ACTOR,
            placeholder=t("All actors"),
        )
        st.text_input(
            t("Search titles and summaries"), key=KEY_TEXT, max_chars=TEXT_LIMIT, placeholder=t("e.g. survivor")
        )
        st.checkbox(
            t("Only records backed by tier 1–2 sources"),
            key=KEY_STRONG,
            help=t(
                "Tier 1: the authority's own words or the originating outlet's own page; tier 2: a faithful copy "
                "naming it. See Sources & method."
            ),
        )
        st.date_input(
            t("As known on"),
            value=None,
            min_value=known_first,
            max_value=loaded.coverage_end,
            key=KEY_KNOWN,
            format="YYYY-MM-DD",
            help=t(
                "Replay the record as it stood on this date: later reports hidden, later revisions undone. "
                "Empty: the record as known now."
            ),
        )
        st.button(t("Reset filters"), on_click=_reset, width="stretch", key="reset_filters")
        show_url_notes(from_start=True)
        st.caption(t("The URL holds these filters: copy it to share this exact view."))


_NOTES_SHOWN = "_url_notes_shown"
_PANEL_DRAWN = "_filter_panel_drawn"


def show_url_notes(*, from_start: bool = False) -> None:
    """Show every note about a bad URL value not yet shown on this run. The filter panel shows them all
    (`from_start`); called again after the page has run, it adds the notes of the page's own keys (an unknown
    event, a stance cell, a date out of range), which the page only seeds while it runs."""
    notes = url_notes()
    start = 0 if from_start else st.session_state.get(_NOTES_SHOWN, 0)
    # In the sidebar beside the filters; on the page when the filters are not drawn (presenter mode).
    where = st.sidebar if st.session_state.get(_PANEL_DRAWN, True) else st
    for note in notes[start:]:
        where.warning(t("From the link: {note}", note=note), icon="⚠️")
    st.session_state[_NOTES_SHOWN] = len(notes)


def share_link() -> None:
    """A visible "copy link to this view": the full address of this page with every filter and page key, and a
    button that puts it on the clipboard."""
    base = (st.context.url or "").split("?", 1)[0]
    pairs = [(key, value) for key in st.query_params for value in st.query_params.get_all(key)]
    link = f"{base}?{urlencode(pairs)}" if pairs else base
    with st.sidebar:
        st.markdown(t("**Link to this view**"))
        copy_link(link)


def filters_as_query(filters: Filters) -> dict[str, str | list[str] | None]:
    """The URL form of the filters: ids and ISO dates; defaults are left out."""
    return {
        KEY_FROM: filters.start.isoformat() if filters.start else None,
        KEY_TO: filters.end.isoformat() if filters.end else None,
        KEY_CATEGORY: list(filters.categories),
        KEY_THEATER: list(filters.theaters),
        KEY_ACTOR: list(filters.actors),
        KEY_TEXT: filters.text or None,
        KEY_KNOWN: filters.known_on.isoformat() if filters.known_on else None,
        KEY_STRONG: "1" if filters.strong_only else None,
    }
