"""Overview: the headline numbers, the running total and the latest events, on one screen."""

import streamlit as st

from components.casualties import cumulative_figure, cumulative_text
from dashboard.context import filtered_events, load, md_escape, page_header, record_as_of
from dashboard.derived import running_totals, summary
from dashboard.widgets import casualty_counters, most_recent, view_chart

loaded = load()
events = filtered_events(loaded)
page_header("Venezuela Crisis Monitor", loaded)
st.markdown(
    "A sourced record of the US–Venezuela crisis: the disputed 2024 election, the US strikes on alleged drug boats "
    "from 2 Sep 2025, the military build-up, the capture of Maduro on 3 Jan 2026 and what followed. "
    "Every figure is **as reported**, with its source."
)
casualty_counters(summary(loaded), record_as_of(loaded))
left, right = st.columns([3, 2])
with left:
    running = running_totals(loaded)
    if running.empty:
        st.info("No strikes match the filters.")
    else:
        view_chart(
            loaded,
            "cumulative",
            lambda: cumulative_figure(running),
            key="overview_cumulative",
            alt=cumulative_text(running),
        )
with right:
    st.subheader("Latest events")
    latest = most_recent(events, 8)
    lines = [
        f"- **{day:%d %b %Y}** · {md_escape(title)}" for day, title in zip(latest["date"], latest["title"], strict=True)
    ]
    st.markdown("\n".join(lines))
    st.page_link("views/timeline.py", label="Open the full timeline", icon=":material/timeline:")
