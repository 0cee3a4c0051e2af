"""Page computations cached per (data version, filters): a rerun with the same view recomputes nothing.

Results are small (counters, aggregated frames), so `st.cache_data` copies them cheaply;
the filtered frame itself is shared read-only (see `context._filtered`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from components.casualties import cumulative_figure
from dashboard.context import Loaded, View, filtered_columns, in_language, revisions_in, view_key, view_of
from dashboard.i18n import lang
from data.changes import ChangeReport, change_report
from data.filters import Filters
from data.metrics import (
    MONTHLY_COLUMNS,
    RUNNING_COLUMNS,
    SUMMARY_COLUMNS,
    THEATER_COLUMNS,
    CasualtySummary,
    by_theater,
    casualty_summary,
    cumulative,
    monthly,
)


@st.cache_data(max_entries=128, show_spinner=False)
def _summary(data_key: str, filters_json: str, language: str, _loaded: Loaded) -> CasualtySummary:
    return casualty_summary(filtered_columns(_loaded, SUMMARY_COLUMNS, (data_key, filters_json, language)))


@st.cache_data(max_entries=128, show_spinner=False)
def _running(data_key: str, filters_json: str, language: str, _loaded: Loaded) -> pd.DataFrame:
    return cumulative(filtered_columns(_loaded, RUNNING_COLUMNS, (data_key, filters_json, language)))


@st.cache_data(max_entries=128, show_spinner=False)
def _theaters(data_key: str, filters_json: str, language: str, _loaded: Loaded) -> pd.DataFrame:
    return by_theater(filtered_columns(_loaded, THEATER_COLUMNS, (data_key, filters_json, language)))


@st.cache_data(max_entries=128, show_spinner=False)
def _monthly(data_key: str, filters_json: str, language: str, _loaded: Loaded) -> pd.DataFrame:
    return monthly(filtered_columns(_loaded, MONTHLY_COLUMNS, (data_key, filters_json, language)))


def summary(loaded: Loaded, view: View | None = None) -> CasualtySummary:
    """The campaign counters of a view (the session's when None)."""
    return _summary(*(view or view_key(loaded)), loaded)


def running_totals(loaded: Loaded, view: View | None = None) -> pd.DataFrame:
    return _running(*(view or view_key(loaded)), loaded)


def theater_totals(loaded: Loaded) -> pd.DataFrame:
    return _theaters(*view_key(loaded), loaded)


def per_month(loaded: Loaded) -> pd.DataFrame:
    return _monthly(*view_key(loaded), loaded)


# Built figures are shared, like the filtered frame: st.plotly_chart only reads them (it serializes a copy),
# and building one costs more than serializing it. Not st.cache_data: unpickling a Figure re-validates it.
# At 100,000 events a figure holds up to 1.2 MB (the map; the timeline 0.2 MB, measured with tracemalloc): 64 of
# them bound the cache to ~75 MB there (256 allowed ~300 MB), and 64 views outlast a working session.
@st.cache_resource(max_entries=64, show_spinner=False)
def _figure(name: str, key: tuple[str, ...], _build: Callable[[], go.Figure]) -> go.Figure:
    return _build()


def cached_figure(name: str, key: tuple[str, ...], build: Callable[[], go.Figure]) -> go.Figure:
    """The figure `build()` returns, built once per (`name`, `key`); `key` must hold everything it depends on."""
    return _figure(name, key, build)


@st.cache_resource(max_entries=32, show_spinner=False)
def _changes(data_key: str, since: dt.date, until: dt.date, language: str, _loaded: Loaded) -> ChangeReport:
    events = in_language(data_key, "events", language, _loaded)
    return change_report(
        events,
        in_language(data_key, "stances", language, _loaded),
        in_language(data_key, "trackers", language, _loaded),
        revisions_in(data_key, language, _loaded),
        since=since,
        until=until,
    )


def changes(loaded: Loaded, since: dt.date, until: dt.date) -> ChangeReport:
    """The 'what changed' report for a window, computed once per (data, window, language) and shared read-only."""
    return _changes(loaded.key, since, until, lang(), loaded)


def warm_default_view(loaded: Loaded, language: str) -> go.Figure:
    """Compute what a first visit's Overview shows (the default view: no filter) into the caches the page reads, so
    the server does it before its first visitor (`dashboard/serve.py`); returns the chart's figure."""
    view = view_of(loaded, Filters(), language)
    summary(loaded, view)
    running = running_totals(loaded, view)
    # The Overview's chart under the key `widgets.view_chart` gives it ("cumulative", the view, no variant).
    return cached_figure("cumulative", view, lambda: cumulative_figure(running, lang=language))
