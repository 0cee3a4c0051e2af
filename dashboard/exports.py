"""Downloads every page offers: the file's provenance (dataset version, export time, filters, this view's link) and
a name that says what it holds. The tables and their text come from `data.export`; this module only adds Streamlit.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from urllib.parse import urlencode

import streamlit as st

from dashboard.context import Loaded, actor_labels, current_filters
from dashboard.i18n import describe_filters, lang, t
from data.export import LAYOUT_LABELS, LAYOUTS, Layout, Provenance, export_file_name, now_utc


def export_text(name: str) -> str:
    """The download furniture's words, in the reader's language."""
    texts = {
        "layout": t("Columns"),
        "layout_help": t(
            "ACLED-style uses ACLED's column names where a concept matches (event_date, fatalities, latitude, "
            "longitude, geo_precision, time_precision, notes, source), so ACLED scripts run on it; data/FORMAT.md "
            "has the mapping."
        ),
        "provenance_note": t(
            "Every file starts with its provenance (dataset version, export time, filters, a citation line, the "
            'language of its text): JSON under "provenance", CSV in its first 12 lines (read the table with '
            "skiprows=12)."
        ),
    }
    return texts[name]


def view_link(page: str) -> str:
    """This view as a relative link (page and URL state), recorded in each export's provenance."""
    pairs = [(key, value) for key in st.query_params for value in st.query_params.get_all(key)]
    return f"{page}?{urlencode(pairs)}" if pairs else page


def provenance(loaded: Loaded, page: str, filters: str | None = None) -> Provenance:
    """Provenance of a download from `page`; `filters` defaults to the sidebar's filters in words."""
    return Provenance(
        title="Venezuela Crisis Monitor",
        version=loaded.version,
        coverage_end=loaded.coverage_end,
        exported_at=now_utc(),
        filters=filters if filters is not None else _filters_in_words(loaded),
        source=f"app view: {view_link(page)}",
        lang=lang(),
    )


def _filters_in_words(loaded: Loaded) -> str:
    f = current_filters(loaded)
    names = dict((a, n) for a, n, _ in actor_labels(loaded))
    return describe_filters(
        f.start, f.end, f.categories, f.theaters, [names.get(a, a) for a in f.actors], f.text, f.strong_only, f.known_on
    )


def fresh(origin: Provenance) -> Provenance:
    """`origin` stamped now: download data is built when clicked, outside the page's run (no Streamlit calls)."""
    return dataclasses.replace(origin, exported_at=now_utc())


def events_file_name(loaded: Loaded, subject: str, ext: str, layout: str = "standard") -> str:
    """The file name of an events-based export under the current filters (dates: the range shown)."""
    filters = current_filters(loaded)
    last = min(filters.end or loaded.coverage_end, filters.known_on or loaded.coverage_end, loaded.coverage_end)
    return export_file_name(
        subject,
        first=filters.start or loaded.first_date,
        last=last,
        ext=ext,
        categories=filters.categories,
        theaters=filters.theaters,
        actors=filters.actors,
        text=filters.text,
        known_on=filters.known_on,
        strong_only=filters.strong_only,
        layout=layout,
    )


def layout_choice(key: str) -> Layout:
    chosen = st.segmented_control(
        export_text("layout"),
        options=list(LAYOUTS),
        format_func=lambda layout: t(LAYOUT_LABELS[layout]),
        default="standard",
        key=key,
        help=export_text("layout_help"),
    )
    return chosen or "standard"


def download(
    label: str, build: Callable[[], str], file_name: str, *, key: str, container: object | None = None
) -> None:
    """A download button whose file is built only when clicked (CSV or JSON by the name's extension)."""
    mime = "application/json" if file_name.endswith(".json") else "text/csv"
    target = container if container is not None else st
    target.download_button(  # type: ignore[attr-defined]
        label, data=build, file_name=file_name, mime=mime, on_click="ignore", key=key
    )
