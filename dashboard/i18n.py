"""The interface language of this session: chosen by the `lang` URL key or the switch, defaulting to the
browser's preferred language; every interface string goes through `t` (catalogs: data/locales, data.i18n).

URL values stay language-neutral ids, so a link works in either language; only labels are translated.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import streamlit as st

from data.i18n import (
    LANGUAGES,
    SOURCE_LANGUAGE,
    format_count,
    format_day,
    localise_message,
    localise_problem,
    pick_language,
    translate,
    translate_in,
)
from data.validation import Message, Problem

KEY_LANG = "lang"


def N_(message: str) -> str:  # noqa: N802 - gettext's conventional name
    """Mark a message for the catalog where it is defined (a table of texts); translate it where it is shown."""
    return message


def lang() -> str:
    """The session's language (set by `seed_language` on the first run)."""
    chosen = st.session_state.get(KEY_LANG)
    return chosen if chosen in LANGUAGES else SOURCE_LANGUAGE


def t(message: str, **values: object) -> str:
    """`message` (English, the catalog's id) in the session's language, placeholders filled."""
    return translate(lang(), message, **values)


def problem_text(problem: Problem) -> str:
    """A data problem (file, record, field, message) in the session's language; the CLI prints `str(problem)`."""
    return localise_problem(problem, lang())


def message_text(message: Message) -> str:
    """A data message (e.g. a curator warning) in the session's language; the CLI prints `str(message)`."""
    return localise_message(message, lang())


def day(value: dt.date, style: str = "short") -> str:
    return format_day(value, lang(), style)


def count(value: int | float) -> str:
    return format_count(value, lang())


def seed_language() -> None:
    """First run of a session: the URL's `lang` if valid (else a visible note), else the browser's preference."""
    from dashboard.url_state import seed_choices  # the URL layer notes bad values like for every other key

    seed_choices(KEY_LANG, list(LANGUAGES), multiple=False)
    if st.session_state.get(KEY_LANG) not in LANGUAGES:
        st.session_state[KEY_LANG] = pick_language(st.context.headers.get("Accept-Language"))


def language_switch() -> None:
    """English / Español, visible on every page; the choice is kept in the URL (`lang=es`)."""
    st.segmented_control(
        "Language",
        options=list(LANGUAGES),
        format_func=lambda code: LANGUAGES[code],
        key=KEY_LANG,
        label_visibility="collapsed",
        on_change=_keep_a_language,
    )


def _keep_a_language() -> None:
    """Clicking the selected option again would leave no language: keep English then."""
    if st.session_state.get(KEY_LANG) not in LANGUAGES:
        st.session_state[KEY_LANG] = SOURCE_LANGUAGE


_LABELLED_IN = "_labelled_in"


def relabel_after_switch(*keys: str) -> None:
    """Call before drawing keyed widgets whose option labels are translated (multiselect, selectbox + `format_func`).

    A keyed widget keeps its identity when its labels change, and Streamlit then leaves the browser's value alone:
    a multiselect's or selectbox's value there is the *label* text, so after the language switch its chips (or the
    chosen entry) kept the old language until a reload. Re-assigning the same value (the ids) once after a switch
    makes Streamlit send it again, formatted with the new labels; the selection is unchanged.
    """
    seen = st.session_state.setdefault(_LABELLED_IN, {})
    for key in keys:
        if seen.get(key, lang()) != lang() and key in st.session_state:
            value = st.session_state[key]
            st.session_state[key] = list(value) if isinstance(value, list) else value
        seen[key] = lang()


def language_query() -> str | None:
    """The URL form: absent for English, so existing links stay as they are."""
    return None if lang() == SOURCE_LANGUAGE else lang()


def describe_filters(
    start: dt.date | None,
    end: dt.date | None,
    categories: tuple[str, ...],
    theaters: tuple[str, ...],
    actor_names: list[str],
    text: str,
    strong_only: bool,
    known_on: dt.date | None,
    *,
    list_limit: int | None = None,
) -> str:
    """The "Showing …" line in words a reader uses: labels, not ids ("Eastern Pacific · Strike · 1 Jan 2026 – latest").

    With `list_limit`, a longer list becomes its count ("4 theaters"), so the line stays one line (presenter bar).
    """
    from components.style import CATEGORY_LABELS, THEATER_LABELS

    def listed(values: list[str], many: str) -> str:
        if list_limit is not None and len(values) > list_limit:
            return t(many, count=len(values))
        return ", ".join(values)

    parts = []
    if theaters:
        parts.append(listed([t(THEATER_LABELS.get(x, x)) for x in theaters], N_("{count} theaters")))
    if categories:
        parts.append(listed([t(CATEGORY_LABELS.get(c, c)) for c in categories], N_("{count} categories")))
    if actor_names:
        parts.append(listed(actor_names, N_("{count} actors")))
    if start or end:
        first = day(start) if start else t("start")
        last = day(end) if end else t("latest")
        parts.append(f"{first} – {last}")
    if text.strip():
        parts.append(t('text "{text}"', text=text.strip()[:60]))
    if strong_only:
        parts.append(t("tier 1–2 sources only"))
    if known_on:
        parts.append(t("as known on {day}", day=day(known_on)))
    return " · ".join(parts) if parts else t("all events")


# Plotly's own interface strings (toolbar tooltips, download notices, the zoom hint): the English texts of the plotly.js
# that Streamlit bundles (tests/unit/test_plotly_locale.py checks them against it), handed to plotly.js with each chart
# as a locale dictionary (config `locale` / `locales`, no global registration); their Spanish is in the catalog.
PLOTLY_MESSAGES = (
    N_("Download plot as a PNG"),
    N_("Download plot"),
    N_("Download plot as JSON"),
    N_("Zoom"),
    N_("Pan"),
    N_("Box Select"),
    N_("Lasso Select"),
    N_("Zoom in"),
    N_("Zoom out"),
    N_("Autoscale"),
    N_("Reset axes"),
    N_("Reset view"),
    N_("Reset views"),
    N_("Reset"),
    N_("Toggle Spike Lines"),
    N_("Show closest data on hover"),
    N_("Compare data on hover"),
    N_("Toggle show closest data on hover"),
    N_("Draw line"),
    N_("Draw open freeform"),
    N_("Draw closed freeform"),
    N_("Draw circle"),
    N_("Draw rectangle"),
    N_("Erase active shape"),
    N_("Orbital rotation"),
    N_("Turntable rotation"),
    N_("Reset camera to default"),
    N_("Reset camera to last save"),
    N_("Share chart..."),
    N_("Preparing image - this may take a few seconds"),
    N_("Image download succeeded"),
    N_("Sorry, there was a problem downloading your image!"),
    N_("JSON download succeeded"),
    N_("Sorry, there was a problem downloading your JSON file!"),
    N_("Double-click to zoom back out"),
    N_("Double-click on legend to isolate one trace"),
    N_("Produced with Plotly.js"),
)
# Streamlit adds its own full-screen button to the toolbar with a fixed English title (not through plotly.js's
# dictionary); its tooltip text is replaced in CSS (`chart_toolbar_css`).
STREAMLIT_TOOLBAR_MESSAGES = (N_("Fullscreen"), N_("Close fullscreen"))


def chart_config() -> dict[str, Any]:
    """`st.plotly_chart(config=...)` for the session's language: Plotly's toolbar and notices in it (English: none)."""
    if lang() == SOURCE_LANGUAGE:
        return {}
    return {"locale": lang(), "locales": {lang(): {"dictionary": {m: t(m) for m in PLOTLY_MESSAGES}}}}


def chart_toolbar_css() -> str:
    """CSS giving Streamlit's own toolbar button (full screen) its tooltip in the session's language ("" in English).

    Plotly draws a tooltip from the button's `data-title` (`content: attr(data-title)`); only our catalog's text is
    written here, quoted for CSS.
    """
    if lang() == SOURCE_LANGUAGE:
        return ""
    rules = []
    for message in STREAMLIT_TOOLBAR_MESSAGES:
        rules.append(
            f"[data-testid='stPlotlyChart'] .modebar-btn[data-title='{message}']::after "
            f"{{ content: {css_text(message)} !important; }}"
        )
    return "".join(rules)


def css_text(message: str) -> str:
    """The catalog's text for `message` as a quoted CSS string (for `content:`): our words replacing text that
    Streamlit writes in English. Only catalog text is ever written this way."""
    quoted = t(message).replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ")
    return f'"{quoted}"'


def column(message: str) -> str:
    """A table column's header: the catalog's short form (msgctxt "column") where the language has one — Spanish
    words are longer, and a header sets its column's width — else the message's ordinary translation."""
    return translate_in(lang(), "column", message)


def column_help(message: str) -> str | None:
    """The header's full words as its tooltip, when `column` shortened them."""
    return t(message) if column(message) != t(message) else None


def label_of(labels: dict[str, str], code: object) -> str:
    """The translated label of a code (a category, theater, grade, position), the code itself if unlabelled."""
    return t(labels.get(str(code), str(code)))
