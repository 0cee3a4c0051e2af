"""Casualties: counters with their unit, date and sources; splits by theater and month; other trackers."""

from collections.abc import Callable

import pandas as pd
import streamlit as st

from components.casualties import (
    cumulative_figure,
    cumulative_text,
    monthly_figure,
    monthly_text,
    theater_figure,
    theater_text,
    tracker_comparison_figure,
    tracker_text,
)
from components.style import THEATER_LABELS
from dashboard.context import filtered_events, known_trackers, load, page_header, record_as_of
from dashboard.derived import per_month, running_totals, summary, theater_totals
from dashboard.exports import download, events_file_name, fresh, provenance
from dashboard.i18n import label_of, lang, t
from dashboard.widgets import (
    GRID_OPTIONS,
    TABLE_ROW_LIMIT,
    casualty_counters,
    fitted_widths,
    lazy_expander,
    most_recent,
    row_limit_note,
    strike_records_config,
    strike_records_table,
    tracker_snapshots_config,
    tracker_snapshots_table,
    view_chart,
)
from data.export import casualty_tables, frame_to_csv, tables_json, tracker_comparison_frame
from data.metrics import strike_rows

loaded = load()
strikes = strike_rows(filtered_events(loaded))
page_header(t("Casualties"), loaded, note=t("{n} strike announcements", n=len(strikes)))
counts = summary(loaded)
casualty_counters(counts, record_as_of(loaded))
st.caption(
    t(
        "Counting rule: one record per announced engagement-day; counters sum the US government's announced figures "
        "(what the campaign itself claims). {official} of {total} announcements rest on the official claim alone. "
        "Survivors never found are shown as 'presumed dead', not added to 'killed'.",
        official=counts.official_only,
        total=counts.announcements,
    )
)

if strikes.empty:
    st.info(t("No strikes match the filters."))
else:
    totals = theater_totals(loaded)
    view_chart(
        loaded,
        "theater",
        lambda: theater_figure(totals, lang=lang()),
        key="casualties_theater",
        alt=theater_text(totals, lang=lang()),
    )
    theater_table = lazy_expander(t("Totals by theater (table)"), "casualties_theater_table")
    if theater_table.open:
        by_theater = totals.assign(theater=totals["theater"].map(lambda code: label_of(THEATER_LABELS, code)))
        theater_headers = {
            "theater": t("Theater"),
            "announcements": t("Announcements"),
            "strikes": t("Strikes"),
            "vessels": t("Boats"),
            "killed": t("Killed"),
            "survivors": t("Survivors"),
            "presumed_dead": t("Presumed dead"),
        }
        theater_widths = fitted_widths(
            {name: (header, by_theater[name]) for name, header in theater_headers.items()}, free=[]
        )
        theater_table.dataframe(
            by_theater[list(theater_headers)].rename(columns=theater_headers),
            column_config={
                header: st.column_config.Column(width=theater_widths[name]) for name, header in theater_headers.items()
            },
            **GRID_OPTIONS,
        )
    running = running_totals(loaded)
    view_chart(
        loaded,
        "cumulative",
        lambda: cumulative_figure(running, lang=lang()),
        key="casualties_cumulative",
        alt=cumulative_text(running, lang=lang()),
    )
    months = per_month(loaded)
    view_chart(
        loaded,
        "monthly",
        lambda: monthly_figure(months, lang=lang()),
        key="casualties_monthly",
        alt=monthly_text(months, lang=lang()),
    )

    st.subheader(t("Beside other trackers"))
    trackers = known_trackers(loaded)
    if trackers.empty:
        st.info(t("No tracker snapshots are recorded yet."))
    else:
        view_chart(
            loaded,
            "trackers",
            lambda: tracker_comparison_figure(running, trackers, lang=lang()),
            key="casualties_trackers",
            alt=tracker_text(trackers, lang=lang()),
        )
        st.caption(
            t(
                "Trackers count different units on different dates (strikes vs boats vs announcements; some add "
                "survivors presumed dead to the dead). Each snapshot's unit is in the table."
            )
        )
        tracker_table = lazy_expander(
            t("Tracker snapshots: what each counts, with sources (table)"), "casualties_tracker_table"
        )
        if tracker_table.open:
            snapshots = tracker_snapshots_table(trackers)
            tracker_table.dataframe(
                snapshots, column_config=tracker_snapshots_config(snapshots), **GRID_OPTIONS, width="stretch"
            )

    strike_table = lazy_expander(
        t("Strike records: {n} announcements (table)", n=len(strikes)), "casualties_strike_table"
    )
    if strike_table.open:
        with strike_table:
            records = most_recent(strikes, TABLE_ROW_LIMIT)
            row_limit_note(len(records), len(strikes))
            table = strike_records_table(records)
            st.dataframe(table, column_config=strike_records_config(table), **GRID_OPTIONS, width="stretch")

    # Downloads: the per-theater and per-month tables and the tracker comparison, each with its provenance.
    st.subheader(t("Download"))
    origin = provenance(loaded, "casualties")

    def _tables() -> dict[str, pd.DataFrame]:
        """Built only when a download is clicked: the tracker comparison is most of a render's server time."""
        compared = tracker_comparison_frame(trackers, running, loaded.sources) if not trackers.empty else trackers
        return casualty_tables(totals, months, compared)

    columns = st.columns(4)
    labels = {
        "by_theater": t("By theater (CSV)"),
        "by_month": t("By month (CSV)"),
        "tracker_comparison": t("Beside trackers (CSV)"),
    }

    def _table_csv(name: str) -> Callable[[], str]:
        def build() -> str:
            table = _tables()[name]
            return frame_to_csv(table, fresh(origin).with_table(name, len(table)))

        return build

    for n, (name, label) in enumerate(labels.items()):
        download(
            label,
            _table_csv(name),
            events_file_name(loaded, "casualties-" + name.replace("_", "-"), "csv"),
            key=f"download_casualties_{name}",
            container=columns[n],
        )
    download(
        t("All three (JSON)"),
        lambda: tables_json(_tables(), fresh(origin)),
        events_file_name(loaded, "casualties", "json"),
        key="download_casualties_json",
        container=columns[3],
    )
