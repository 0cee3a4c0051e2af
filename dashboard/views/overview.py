"""Overview: the headline numbers, the running total and the latest events, on one screen."""

from urllib.parse import urlencode

import streamlit as st

from components.casualties import cumulative_figure, cumulative_text
from dashboard.context import latest_filtered, load, md_escape, page_header, record_as_of
from dashboard.derived import running_totals, summary
from dashboard.i18n import day, lang, t
from dashboard.widgets import casualty_counters, view_chart

loaded = load()
page_header(t("Venezuela Crisis Monitor"), loaded)
st.markdown(
    t(
        "A sourced record of the US–Venezuela crisis: the disputed 2024 election, the US strikes on alleged drug "
        "boats from 2 Sep 2025, the military build-up, the capture of Maduro on 3 Jan 2026 and what followed. "
        "Every figure is **as reported**, with its source."
    )
)
casualty_counters(summary(loaded), record_as_of(loaded))
left, right = st.columns([3, 2])
with left:
    running = running_totals(loaded)
    if running.empty:
        st.info(t("No strikes match the filters."))
    else:
        view_chart(
            loaded,
            "cumulative",  # the server computes the default view's figure under this name (warm_default_view)
            lambda: cumulative_figure(running, lang=lang()),
            key="overview_cumulative",
            alt=cumulative_text(running, lang=lang()),
        )
with right:
    st.subheader(t("Latest events"))
    latest = latest_filtered(loaded, 8)
    # Each links to its detail on the Timeline, with this view's filters and language (the URL carries them).
    shared = {key: st.query_params.get_all(key) for key in st.query_params}
    lines = [
        f"- **{day(when)}** · [{md_escape(title)}](timeline?{urlencode({**shared, 'event': event_id}, doseq=True)})"
        for when, title, event_id in zip(latest["date"], latest["title"], latest["id"], strict=True)
    ]
    st.markdown("\n".join(lines))
    st.page_link("views/timeline.py", label=t("Open the full timeline"), icon=":material/timeline:")
