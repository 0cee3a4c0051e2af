"""Casualties: counters with their unit, date and sources; splits by theater and month; other trackers."""

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
from dashboard.context import filtered_events, load, page_header
from dashboard.widgets import casualty_counters
from data.metrics import by_theater, casualty_summary, cumulative, monthly, strike_rows

loaded = load()
events = filtered_events(loaded)
strikes = strike_rows(events)
page_header("Casualties", loaded, note=f"{len(strikes)} strike announcements")
summary = casualty_summary(events)
casualty_counters(summary)
st.caption(
    f"Counting rule: one record per announced engagement-day; counters sum the US government's announced figures "
    f"(what the campaign itself claims). {summary.official_only} of {summary.announcements} announcements rest on the "
    "official claim alone. Survivors never found are shown as 'presumed dead', not added to 'killed'."
)

if strikes.empty:
    st.info("No strikes match the filters.")
    st.stop()

totals = by_theater(events)
st.plotly_chart(theater_figure(totals), key="casualties_theater", width="stretch", alt=theater_text(totals))
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
running = cumulative(events)
st.plotly_chart(cumulative_figure(running), key="casualties_cumulative", width="stretch", alt=cumulative_text(running))
per_month = monthly(events)
st.plotly_chart(monthly_figure(per_month), key="casualties_monthly", width="stretch", alt=monthly_text(per_month))

st.subheader("Beside other trackers")
trackers = loaded.trackers
if trackers.empty:
    st.info("No tracker snapshots are recorded yet.")
else:
    st.plotly_chart(
        tracker_comparison_figure(running, trackers),
        key="casualties_trackers",
        width="stretch",
        alt=tracker_text(trackers),
    )
    st.caption(
        "Trackers count different units on different dates (strikes vs boats vs announcements; some add "
        "survivors presumed dead to the dead). Each snapshot's unit is in the table."
    )
    st.dataframe(
        trackers[["as_of", "tracker", "strikes", "vessels", "killed", "survivors", "unit", "source_urls"]].assign(
            source_urls=trackers["source_urls"].map(lambda urls: urls[0])
        ),
        column_config={
            "source_urls": st.column_config.LinkColumn("Source", display_text="open ↗"),
            "as_of": st.column_config.DateColumn("As of", format="YYYY-MM-DD"),
        },
        hide_index=True,
        width="stretch",
    )

st.subheader("Strike records")
records = strikes.sort_values("date", ascending=False)
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
