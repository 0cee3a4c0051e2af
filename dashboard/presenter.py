"""Presenter mode ("meeting mode"): the view a room can read from a projector.

Switched on by `present=1` in the URL (kept in shared links like every other state) or by the visible toggle.
The sidebar is hidden — not removed: its widgets keep the filters, so leaving presenter mode returns to the same
view with the sidebar — and a compact line at the top says what the filters are. Type is large (our own constant
CSS; no dataset text is ever passed to st.html), and charts are re-laid out for the room (`for_the_room`).
"""

from __future__ import annotations

import streamlit as st

from components.style import PRESENTER_DEFAULT_SIZE, PRESENTER_FONT_SIZES
from dashboard.context import Loaded, actor_labels, current_filters, md_escape
from dashboard.i18n import N_, describe_filters, language_switch, t
from dashboard.url_state import seed_flag

KEY_PRESENT = "present"
KEY_TYPE_SIZE = "present_type"

TEXT = {
    "toggle": N_("Presenter mode"),
    "toggle_help": N_(
        "Large type, no sidebar, charts sized to the screen; for meetings and projectors. The URL keeps it (present=1)."
    ),
    "all": N_("All events"),
    "type": N_("Type size"),
    "theaters": N_("{count} theaters"),
    "categories": N_("{count} categories"),
    "actors": N_("{count} actors"),
}
SUMMARY_LIST_LIMIT = 3

# Readability for every page, presenter mode or not: no empty band above the page title (Streamlit reserves ~6 rem
# for its header; the top navigation sits in that header already).
_APP_CSS = (
    "<style>"
    "[data-testid='stMainBlockContainer'] { padding-top: 4.25rem; }"
    "[data-testid='stPlotlyChart'] .xtick text, [data-testid='stPlotlyChart'] .ytick text { font-weight: 500; }"
    "</style>"
)


def _presenter_css(size: int) -> str:
    """Constant CSS built from numbers only (the chosen type size)."""
    return (
        "<style>"
        "section[data-testid='stSidebar'], [data-testid='stSidebarCollapsedControl'], "
        "[data-testid='stExpandSidebarButton'], [data-testid='stMainMenu'], "
        "[data-testid='stToolbarActions'], [data-testid='stDecoration'] { display: none !important; }"
        # a page's segmented choice (lanes, colours) reads without its label; saves a line above the chart
        "[data-testid='stMain'] .stButtonGroup [data-testid='stWidgetLabel'] { display: none; }"
        # the page's own "Showing …" line repeats the presenter bar's filter summary
        ".stElementContainer:has(h1) + .stElementContainer:has([data-testid='stCaptionContainer']) "
        "{ display: none; }"
        "[data-testid='stMainBlockContainer'] { max-width: 100% !important; padding-left: 1.5rem; "
        "padding-right: 1.5rem; padding-bottom: 1rem; padding-top: 3.9rem; }"
        f"[data-testid='stMain'] {{ font-size: {size}px; }}"
        f"[data-testid='stMain'] :is(p, li, label, input, button) {{ font-size: {size}px; }}"
        f"[data-testid='stMain'] [data-testid='stCaptionContainer'] :is(p, span) {{ font-size: {size - 2}px; }}"
        f"[data-testid='stMain'] h1 {{ font-size: {round(size * 1.9)}px; padding: 0.1rem 0 0.2rem 0; }}"
        f"[data-testid='stMain'] h2 {{ font-size: {round(size * 1.5)}px; }}"
        f"[data-testid='stMain'] h3 {{ font-size: {round(size * 1.25)}px; }}"
        f"[data-testid='stMain'] [data-testid='stMetricValue'] :is(div, p) "
        f"{{ font-size: {max(48, size * 3)}px; line-height: 1.15; }}"
        f"[data-testid='stMetricLabel'] :is(p, div) {{ font-size: {size + 2}px; }}"
        f"[data-testid='stDataFrame'] {{ font-size: {size}px; }}"
        "</style>"
    )


def seed() -> None:
    """Read `present` from the URL once per session (call before `is_on`)."""
    seed_flag(KEY_PRESENT)


def is_on() -> bool:
    return bool(st.session_state.get(KEY_PRESENT))


_TYPE_CHOICE = "_present_type_choice"  # plain state: survives the runs in which the control is not drawn


def type_size() -> str:
    size = st.session_state.get(_TYPE_CHOICE)
    return size if isinstance(size, str) and size in PRESENTER_FONT_SIZES else PRESENTER_DEFAULT_SIZE


def _keep_type_size() -> None:
    st.session_state[_TYPE_CHOICE] = st.session_state.get(KEY_TYPE_SIZE) or PRESENTER_DEFAULT_SIZE


def apply_css() -> None:
    """The app's constant CSS, plus presenter mode's when it is on."""
    st.html(_APP_CSS + (_presenter_css(PRESENTER_FONT_SIZES[type_size()]) if is_on() else ""))


def toggle() -> bool:
    """The visible switch (the same key in the sidebar or in the presenter bar; drawn once per run)."""
    return st.toggle(t(TEXT["toggle"]), key=KEY_PRESENT, help=t(TEXT["toggle_help"]))


def type_size_control() -> None:
    st.session_state.setdefault(KEY_TYPE_SIZE, type_size())
    st.segmented_control(
        t(TEXT["type"]),
        options=list(PRESENTER_FONT_SIZES),
        format_func=lambda name: {"large": "A", "larger": "A+"}.get(name, name),
        key=KEY_TYPE_SIZE,
        on_change=_keep_type_size,
        label_visibility="collapsed",
    )


def filter_summary(loaded: Loaded) -> str:
    """One compact, readable line: 'Eastern Pacific · Strike · 01 Jan 2026 – latest'. Plain text (no Markdown)."""
    filters = current_filters(loaded)
    names = {actor_id: name for actor_id, name, _group in actor_labels(loaded)}
    shown = describe_filters(
        filters.start,
        filters.end,
        filters.categories,
        filters.theaters,
        [names.get(a, a) for a in filters.actors],
        filters.text,
        filters.strong_only,
        filters.known_on,
        list_limit=SUMMARY_LIST_LIMIT,
    )
    return shown


def bar(loaded: Loaded) -> None:
    """Presenter mode's top line: what the filters are, the type size, and the switch back."""
    with st.container(key="presenter_bar", horizontal=True, vertical_alignment="center", gap="medium"):
        st.markdown(f"**{md_escape(filter_summary(loaded))}**", width="stretch")
        language_switch()  # drawn here while the sidebar (its usual place) is hidden, so the choice is kept
        type_size_control()
        toggle()
