"""Small Streamlit pieces shared by pages: counters, the event detail card, table column configs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from components.style import CATEGORY_LABELS, GRADE_LABELS, THEATER_LABELS
from dashboard.context import Loaded, md_escape, source_links, view_key
from dashboard.derived import cached_figure
from data.metrics import CasualtySummary


def view_chart(
    loaded: Loaded,
    figure: str,
    build: Callable[[], go.Figure],
    *,
    key: str,
    alt: str,
    variant: tuple[str, ...] = (),
    **options: Any,
) -> Any:
    """A full-width chart whose figure is built once per view and shared: the cache key is the data version, the
    filters and `variant` (the page's own choices the figure depends on, e.g. the timeline's lanes)."""
    shared = cached_figure(figure, (*view_key(loaded), *variant), build)
    return st.plotly_chart(shared, key=key, width="stretch", alt=alt, **options)


def casualty_counters(summary: CasualtySummary) -> None:
    """The four headline counters, each with its unit, as-of date and the sources behind it."""
    as_of = f"{summary.as_of:%d %b %Y}" if summary.as_of else "—"
    basis = f"as announced · to {as_of} · {summary.source_count} sources"
    killed_range = (
        f"reported range {summary.killed_low}–{summary.killed_high}" if summary.has_range else "no range reported"
    )
    columns = st.columns(4)
    columns[0].metric(
        "Strikes", summary.strikes, help="Separate lethal engagements announced by the US government.", border=True
    )
    columns[0].caption(f"{summary.announcements} announcements · {basis}")
    columns[1].metric("Boats hit", summary.vessels, help="Vessels struck, as announced.", border=True)
    columns[1].caption(basis)
    columns[2].metric(
        "People killed",
        summary.killed,
        help="Dead as announced by the US government; survivors later "
        "never found are not included (see 'presumed dead').",
        border=True,
    )
    columns[2].caption(f"{basis} · {killed_range}")
    columns[3].metric("Survivors", summary.survivors, help="Survivors reported after strikes.", border=True)
    columns[3].caption(f"{summary.presumed_dead} later presumed dead · {basis}")


def event_detail(row: pd.Series) -> None:
    """Everything known about one event, with clickable sources."""
    with st.container(border=True):
        st.subheader(md_escape(row["title"]))
        facts = [
            f"{row['date']:%d %b %Y}" + (" (month only)" if row["date_precision"] == "month" else ""),
            CATEGORY_LABELS.get(row["category"], row["category"]),
            THEATER_LABELS.get(row["theater"], row["theater"]),
            md_escape(row["location"]),
        ]
        st.markdown(" · ".join(facts))
        if row["reported"] != row["date"]:
            st.caption(f"First reported {row['reported']:%d %b %Y}")
        st.markdown(md_escape(row["summary"]))
        if row["category"] == "strike":
            figures = (
                f"**Strikes** {row['strikes']} · **boats** {row['vessels']} · **killed (as announced)** "
                f"{row['killed']} · **survivors** {row['survivors']} · **presumed dead** {row['presumed_dead']}"
            )
            if row["killed_low"] != row["killed"] or row["killed_high"] != row["killed"]:
                figures += f" · **reported range** {row['killed_low']}–{row['killed_high']}"
            st.markdown(figures)
            st.caption(
                f"Announced by {md_escape(row['announced_by'])} on {row['announced_on']:%d %b %Y} · "
                f"grade: {GRADE_LABELS.get(row['grade'], row['grade'])}"
                + (f" · outlets' running number: {row['running_number']}" if not pd.isna(row["running_number"]) else "")
            )
            if isinstance(row["figure_note"], str) and row["figure_note"]:
                st.info(md_escape(row["figure_note"]))
        if row["actor_names"]:
            st.caption("Actors: " + md_escape(row["actor_names"]))
        st.markdown("**Sources**\n\n" + source_links(row["source_urls"], row["source_labels"]))


# Tables show at most this many rows: a browser table of 100,000 rows costs megabytes per rerun.
TABLE_ROW_LIMIT = 1000


def row_limit_note(shown: int, total: int) -> None:
    if shown < total:
        st.caption(
            f"Showing the {shown:,} most recent of {total:,} rows; narrow the filters or download the CSV for all."
        )


def most_recent(events: pd.DataFrame, limit: int) -> pd.DataFrame:
    """The `limit` latest rows, newest first, without sorting (copying) the whole frame."""
    order = events["date"].to_numpy().argsort(kind="stable")[::-1][:limit]
    return events.iloc[order]


def event_table_frame(events: pd.DataFrame, limit: int = TABLE_ROW_LIMIT) -> pd.DataFrame:
    """What the event tables show: newest first (at most `limit`), labels instead of codes, first source linked."""
    frame = most_recent(events, limit)
    return pd.DataFrame(
        {
            "Date": frame["date"].dt.date,
            "Category": frame["category"].map(lambda c: CATEGORY_LABELS.get(c, c)),
            "Theater": frame["theater"].map(lambda t: THEATER_LABELS.get(t, t)),
            "Title": frame["title"],
            "Killed": frame["killed"],
            "Survivors": frame["survivors"],
            "Sources": frame["source_urls"].map(len),
            "First source": frame["source_urls"].map(lambda urls: urls[0] if urls else None),
            "id": frame["id"],
        }
    ).reset_index(drop=True)


EVENT_TABLE_CONFIG = {
    "First source": st.column_config.LinkColumn("First source", display_text="open ↗"),
    "Date": st.column_config.DateColumn("Date", format="YYYY-MM-DD"),
    "id": None,
}
