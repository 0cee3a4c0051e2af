"""Casualties: counters with their unit, date and sources; splits by theater and month; other trackers."""

from collections.abc import Callable

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
from components.style import GRADE_LABELS, THEATER_LABELS
from dashboard.context import filtered_events, known_trackers, load, page_header, record_as_of
from dashboard.derived import per_month, running_totals, summary, theater_totals
from dashboard.exports import download, events_file_name, fresh, provenance
from dashboard.widgets import TABLE_ROW_LIMIT, casualty_counters, most_recent, row_limit_note, view_chart
from data.export import casualty_tables, frame_to_csv, tables_json, tracker_comparison_frame
from data.metrics import strike_rows

loaded = load()
strikes = strike_rows(filtered_events(loaded))
page_header("Casualties", loaded, note=f"{len(strikes)} strike announcements")
counts = summary(loaded)
casualty_counters(counts, record_as_of(loaded))
st.caption(
    "Counting rule: one record per announced engagement-day; counters sum the US government's announced figures "
    f"(what the campaign itself claims). {counts.official_only} of {counts.announcements} announcements rest on the "
    "official claim alone. Survivors never found are shown as 'presumed dead', not added to 'killed'."
)

if strikes.empty:
    st.info("No strikes match the filters.")
else:
    totals = theater_totals(loaded)
    view_chart(loaded, "theater", lambda: theater_figure(totals), key="casualties_theater", alt=theater_text(totals))
    st.dataframe(
        totals.assign(theater=totals["theater"].map(lambda t: THEATER_LABELS.get(t, t))).rename(
            columns={
                "theater": "Theater",
                "announcements": "Announcements",
                "strikes": "Strikes",
                "vessels": "Boats",
                "killed": "Killed",
                "survivors": "Survivors",
                "presumed_dead": "Presumed dead",
            }
        ),
        hide_index=True,
    )
    running = running_totals(loaded)
    view_chart(
        loaded,
        "cumulative",
        lambda: cumulative_figure(running),
        key="casualties_cumulative",
        alt=cumulative_text(running),
    )
    months = per_month(loaded)
    view_chart(loaded, "monthly", lambda: monthly_figure(months), key="casualties_monthly", alt=monthly_text(months))

    st.subheader("Beside other trackers")
    trackers = known_trackers(loaded)
    if trackers.empty:
        st.info("No tracker snapshots are recorded yet.")
    else:
        view_chart(
            loaded,
            "trackers",
            lambda: tracker_comparison_figure(running, trackers),
            key="casualties_trackers",
            alt=tracker_text(trackers),
        )
        st.caption(
            "Trackers count different units on different dates (strikes vs boats vs announcements; some add "
            "survivors presumed dead to the dead). Each snapshot's unit is in the table."
        )
        st.dataframe(
            trackers[
                ["as_of", "tracker", "strikes", "vessels", "killed", "survivors", "unit", "best_tier", "source_urls"]
            ].assign(source_urls=trackers["source_urls"].map(lambda urls: urls[0])),
            column_config={
                "source_urls": st.column_config.LinkColumn("Source", display_text="open ↗"),
                "as_of": st.column_config.DateColumn("As of", format="YYYY-MM-DD"),
                "tracker": "Tracker",
                "strikes": "Strikes",
                "vessels": "Boats",
                "killed": "Killed",
                "survivors": "Survivors",
                "unit": "What it counts",
                "best_tier": "Best source tier",
            },
            hide_index=True,
            width="stretch",
        )

    st.subheader("Strike records")
    records = most_recent(strikes, TABLE_ROW_LIMIT)
    row_limit_note(len(records), len(strikes))
    st.dataframe(
        records.assign(
            grade=records["grade"].map(GRADE_LABELS),
            theater=records["theater"].map(THEATER_LABELS),
            first_source=records["source_urls"].map(lambda urls: urls[0]),
        )[
            [
                "date",
                "theater",
                "title",
                "strikes",
                "vessels",
                "killed",
                "killed_low",
                "killed_high",
                "survivors",
                "presumed_dead",
                "grade",
                "announced_by",
                "first_source",
            ]
        ],
        column_config={
            "first_source": st.column_config.LinkColumn("Source", display_text="open ↗"),
            "date": st.column_config.DateColumn("Date", format="YYYY-MM-DD"),
        },
        hide_index=True,
        width="stretch",
    )

    # Downloads: the per-theater and per-month tables and the tracker comparison, each with its provenance.
    st.subheader("Download")
    origin = provenance(loaded, "casualties")
    tables = casualty_tables(
        totals, months, tracker_comparison_frame(trackers, running, loaded.sources) if not trackers.empty else trackers
    )
    columns = st.columns(4)
    labels = {
        "by_theater": "By theater (CSV)",
        "by_month": "By month (CSV)",
        "tracker_comparison": "Beside trackers (CSV)",
    }

    def _table_csv(name: str) -> Callable[[], str]:
        return lambda: frame_to_csv(tables[name], fresh(origin).with_table(name, len(tables[name])))

    for n, (name, label) in enumerate(labels.items()):
        download(
            label,
            _table_csv(name),
            events_file_name(loaded, "casualties-" + name.replace("_", "-"), "csv"),
            key=f"download_casualties_{name}",
            container=columns[n],
        )
    download(
        "All three (JSON)",
        lambda: tables_json(tables, fresh(origin)),
        events_file_name(loaded, "casualties", "json"),
        key="download_casualties_json",
        container=columns[3],
    )
