"""Small Streamlit pieces shared by pages: counters, the event detail card, table column configs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from components.style import CATEGORY_LABELS, GRADE_LABELS, THEATER_LABELS, for_the_room
from dashboard import presenter
from dashboard.context import Loaded, md_escape, source_links, view_key
from dashboard.derived import cached_figure
from dashboard.i18n import chart_config, count, day, label_of, t
from data.changes import revision_value
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
    if presenter.is_on():  # the same figure laid out for a room: large type, at most a screen tall
        size = presenter.type_size()
        shared = cached_figure(
            figure, (*view_key(loaded), *variant, f"present-{size}"), lambda: for_the_room(build(), size=size)
        )
    else:
        shared = cached_figure(figure, (*view_key(loaded), *variant), build)
    options["config"] = {**chart_config(), **options.get("config", {})}  # Plotly's toolbar in the reader's language
    return st.plotly_chart(shared, key=key, width="stretch", alt=alt, **options)


def casualty_counters(summary: CasualtySummary, as_of: dt.date) -> None:
    """The four headline counters of the boat-strike campaign, each with its unit, as-of date and sources.

    `as_of` is the date the shown record speaks for (the coverage end, or earlier), never today's date.
    """
    basis = t("as announced · as of {day} · {n} sources", day=day(as_of), n=summary.source_count)
    killed_range = (
        t("reported range {low}–{high}", low=summary.killed_low, high=summary.killed_high)
        if summary.has_range
        else t("no range reported")
    )
    st.markdown(t("**The boat-strike campaign** (2 Sep 2025 on) · figures as announced"))
    columns = st.columns(4)
    columns[0].metric(
        t("Strikes"),
        summary.strikes,
        help=t("Separate lethal engagements on boats announced by the US government."),
        border=True,
    )
    columns[0].caption(t("{n} announcements", n=summary.announcements) + f" · {basis}")
    columns[1].metric(t("Boats hit"), summary.vessels, help=t("Vessels struck, as announced."), border=True)
    columns[1].caption(basis)
    columns[2].metric(
        t("People killed"),
        summary.killed,
        help=t(
            "Dead of the boat-strike campaign as announced by the US government. Survivors later never found are "
            "not included (see 'presumed dead'); the dead of the 3 Jan 2026 raid in Caracas are a separate, disputed "
            "figure shown with that event, never added here."
        ),
        border=True,
    )
    columns[2].caption(f"{basis} · {killed_range}")
    columns[3].metric(
        t("Survivors"),
        summary.survived,
        help=t(
            "People reported alive after the engagement. Survivors of a first strike killed by a follow-up strike "
            "({n}) are among the dead, not here; survivors later never found are counted here and also as "
            "'presumed dead'.",
            n=summary.killed_later,
        ),
        border=True,
    )
    columns[3].caption(t("alive after the strike · {n} later presumed dead", n=summary.presumed_dead) + f" · {basis}")
    st.caption(
        t(
            "{strong} of {total} strike records rest on at least one tier 1–2 source (the authority's own words, "
            "the originating outlet, or a faithful copy naming it). After {day} the record is unknown, not quiet.",
            strong=summary.strong_records,
            total=summary.announcements,
            day=day(as_of),
        )
    )


def event_detail(row: pd.Series, revisions: pd.DataFrame | None = None) -> None:
    """Everything known about one event, with clickable sources and the trail of its revisions (`revisions`:
    rows of `loaded.revisions` for this event, already limited to what was known on the chosen date)."""
    with st.container(border=True):
        st.subheader(md_escape(row["title"]))
        facts = [
            (day(row["date"], "month") + " " + t("(month only)"))
            if row["date_precision"] == "month"
            else day(row["date"]),
            label_of(CATEGORY_LABELS, row["category"]),
            label_of(THEATER_LABELS, row["theater"]),
            md_escape(row["location"]),
        ]
        st.markdown(" · ".join(facts))
        dates = t("First reported {day}", day=day(row["first_reported"]))
        if row["last_updated"] != row["first_reported"]:
            dates += " · " + t(
                "last updated {day} ({n} revision(s))", day=day(row["last_updated"]), n=row["revision_count"]
            )
        st.caption(dates)
        st.markdown(md_escape(row["summary"]))
        if row["category"] == "strike":
            figures = t(
                "**Strikes** {strikes} · **boats** {boats} · **killed (as announced)** {killed} · **survivors** "
                "{survivors} · **presumed dead** {presumed}",
                strikes=row["strikes"],
                boats=row["vessels"],
                killed=row["killed"],
                survivors=row["survivors"],
                presumed=row["presumed_dead"],
            )
            if row["killed_low"] != row["killed"] or row["killed_high"] != row["killed"]:
                figures += " · " + t("**reported range** {low}–{high}", low=row["killed_low"], high=row["killed_high"])
            st.markdown(figures)
            st.caption(
                t(
                    "Announced by {who} on {day} · grade: {grade}",
                    who=md_escape(row["announced_by"]),
                    day=day(row["announced_on"]),
                    grade=label_of(GRADE_LABELS, row["grade"]),
                )
                + (
                    " · " + t("outlets' running number: {n}", n=row["running_number"])
                    if not pd.isna(row["running_number"])
                    else ""
                )
            )
            if isinstance(row["figure_note"], str) and row["figure_note"]:
                st.info(md_escape(row["figure_note"]))
            if isinstance(row["weak_sourcing"], str) and row["weak_sourcing"]:
                st.warning(t("Weakly sourced:") + " " + md_escape(row["weak_sourcing"]))
        if row["actor_names"]:
            st.caption(t("Actors:") + " " + md_escape(row["actor_names"]))
        st.markdown(t("**Sources**") + "\n\n" + source_links(row["source_urls"], row["source_labels"]))
        if revisions is not None and len(revisions):
            st.markdown(t("**How this record changed** (as later reported, oldest first)"))
            item: Any
            for item in revisions.sort_values("known").itertuples():
                st.markdown(
                    f"- {day(item.known)} · `{item.field}`: {md_escape(revision_value(item.old))} → "
                    f"{md_escape(revision_value(item.new))} · {md_escape(item.note)}\n"
                    + "\n".join("  " + line for line in source_links(item.source_urls, item.source_labels).splitlines())
                )


def lazy_expander(label: str, key: str) -> Any:
    """A closed expander whose content is built only once opened (check `.open`).

    For tables below a page's charts: a data grid brings 1.2 MB of the browser's table code into the page, and
    drawing it on every visit slowed the Casualties page by about a fifth (measured by `./dev.sh bench`); opened,
    it is one click away and stays open while the filters change.
    """
    return st.expander(label, key=key, on_change="rerun")


# Tables show at most this many rows: a browser table of 100,000 rows costs megabytes per rerun.
TABLE_ROW_LIMIT = 1000


def row_limit_note(shown: int, total: int) -> None:
    if shown < total:
        st.caption(
            t(
                "Showing the {shown} most recent of {total} rows; narrow the filters or download the CSV for all.",
                shown=count(shown),
                total=count(total),
            )
        )


def most_recent(events: pd.DataFrame, limit: int) -> pd.DataFrame:
    """The `limit` latest rows, newest first, without sorting (copying) the whole frame."""
    order = events["date"].to_numpy().argsort(kind="stable")[::-1][:limit]
    return events.iloc[order]


def event_table_frame(events: pd.DataFrame, limit: int = TABLE_ROW_LIMIT) -> pd.DataFrame:
    """What the event tables show: newest first (at most `limit`), labels instead of codes, first source linked,
    blanks (not "None") where an event has no figure. Headers come from `event_table_config()`."""
    frame = most_recent(events, limit)

    def figure(values: pd.Series) -> pd.Series:
        return values.map(lambda v: "" if pd.isna(v) else str(v))

    return pd.DataFrame(
        {
            "date": frame["date"].dt.date,
            "category": frame["category"].map(lambda c: label_of(CATEGORY_LABELS, c)),
            "theater": frame["theater"].map(lambda c: label_of(THEATER_LABELS, c)),
            "title": frame["title"],
            "killed": figure(frame["killed"]),
            "survivors": figure(frame["survivors"]),
            "sources": frame["source_urls"].map(len),
            "best_tier": frame["best_tier"],
            "first_source": frame["source_urls"].map(lambda urls: urls[0] if urls else None),
            "id": frame["id"],
        }
    ).reset_index(drop=True)


def event_table_config() -> dict[str, Any]:
    """Readable, translated headers of `event_table_frame` (the id column stays hidden)."""
    return {
        "date": st.column_config.DateColumn(t("Date"), format="YYYY-MM-DD"),
        "category": t("Category"),
        "theater": t("Theater"),
        "title": st.column_config.TextColumn(t("Title"), width="large"),
        "killed": t("Killed"),
        "survivors": t("Survivors"),
        "sources": t("Sources"),
        "best_tier": t("Best source tier"),
        "first_source": st.column_config.LinkColumn(t("First source"), display_text=t("open ↗")),
        "id": None,
    }
