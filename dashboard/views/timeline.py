"""Timeline: every event in lanes over time; pick one (chart, table or list) to see its detail and sources."""

from typing import cast

import streamlit as st

from components.timeline import Lane, campaign_range, timeline_figure, timeline_text
from dashboard.context import filtered_events, load, page_header, revisions_of
from dashboard.exports import download, events_file_name, export_text, fresh, layout_choice, provenance
from dashboard.i18n import day, lang, relabel_after_switch, t
from dashboard.url_state import apply_new_selection, publish_one, seed_choices
from dashboard.widgets import (
    GRID_OPTIONS,
    event_detail,
    event_table_config,
    event_table_frame,
    row_limit_note,
    view_chart,
)
from data.export import to_csv, to_json

LANE_LABELS = {"category": "Category", "theater": "Theater"}
KEY_EVENT, KEY_LANE, KEY_CHART, KEY_TABLE, TABLE_IDS = (
    "event",
    "lane",
    "timeline_chart",
    "event_table",
    "_event_table_ids",
)


def _picked_from_table() -> None:
    rows = st.session_state[KEY_TABLE]["selection"]["rows"]
    ids = st.session_state.get(TABLE_IDS, [])
    if rows and rows[0] < len(ids):
        st.session_state[KEY_EVENT] = ids[rows[0]]


loaded = load()
events = filtered_events(loaded)
page_header(t("Timeline"), loaded, note=t("{n} events", n=len(events)))

seed_choices(KEY_LANE, ["category", "theater"], multiple=False)
lane: Lane = cast(
    Lane,
    st.segmented_control(
        t("Lanes"),
        options=["category", "theater"],
        format_func=lambda option: t(LANE_LABELS[str(option)]),
        default="category",
        key=KEY_LANE,
    )
    or "category",
)
publish_one(KEY_LANE, None if lane == "category" else lane)
if events.empty:
    st.info(t("No events match the filters. Widen the date range or clear a filter."))
else:
    chart = view_chart(
        loaded,
        "timeline",
        # Opens on the strike campaign (the period that matters), the whole record one double-click away.
        lambda: timeline_figure(events, lane=lane, campaign_focus=True, lang=lang()),
        variant=(lane,),
        key=KEY_CHART,
        alt=timeline_text(events, lang=lang()),
        on_select="rerun",
        selection_mode="points",
    )
    apply_new_selection(chart, KEY_EVENT)
    focus = campaign_range(events)
    if focus is not None:
        st.caption(
            t(
                "Opened on the strike campaign (from {start}); double-click the chart to see everything from {first}.",
                start=day(focus[0], "month"),
                first=day(events["date"].min(), "month"),
            )
        )
    st.caption(
        timeline_text(events, lang=lang())
        + " "
        + t("Stars mark key milestones; strike markers grow with the number killed. Click a marker to see the event.")
    )

known_ids = set(events["id"])
seed_choices(KEY_EVENT, set(loaded.events["id"]), multiple=False)  # an id the record lacks gets a visible note
if st.session_state.get(KEY_EVENT) not in known_ids:
    hidden = st.session_state.get(KEY_EVENT)
    if hidden:  # a real event, outside the current filters: say why it is not shown
        st.info(t("The event '{id}' is outside the current filters; clear them to see it.", id=hidden))
    st.session_state[KEY_EVENT] = None
# The list offers the most recent events (a list of 100,000 options would weigh megabytes) plus the chosen one.
table = event_table_frame(events)
offered = events.loc[events["id"].isin(set(table["id"]) | {st.session_state.get(KEY_EVENT)})]
titles = dict(zip(offered["id"], offered["date"].dt.strftime("%Y-%m-%d") + " · " + offered["title"], strict=True))
relabel_after_switch(KEY_EVENT)  # the chosen event's title in the new language after the switch
chosen = st.selectbox(
    t("Event detail"),
    options=sorted(titles, key=lambda i: titles[i], reverse=True),
    format_func=lambda i: titles.get(i, i),
    index=None,
    key=KEY_EVENT,
    placeholder=t("Pick an event, or click one above"),
)
publish_one(KEY_EVENT, chosen)
if chosen in titles:
    event_detail(events.loc[events["id"] == chosen].iloc[0], revisions_of(loaded, str(chosen)))

st.subheader(t("Events"))
row_limit_note(len(table), len(events))
st.session_state[TABLE_IDS] = table["id"].tolist()
st.dataframe(
    table,
    column_config=event_table_config(table, selectable=True),
    **GRID_OPTIONS,
    width="stretch",
    key=KEY_TABLE,
    on_select=_picked_from_table,
    selection_mode="single-row",
)
# Downloads: both column layouts, each file with its provenance and a name that says what it holds.
layout = layout_choice("download_layout")
origin = provenance(loaded, "timeline")  # stamped with the time of the click (fresh())
downloads = st.columns(2)
download(
    t("Download these events (CSV)"),
    lambda: to_csv(events, sources=loaded.sources, provenance=fresh(origin), layout=layout),
    events_file_name(loaded, "events", "csv", layout),
    key="download_events",
    container=downloads[0],
)
download(
    t("Download these events (JSON)"),
    lambda: to_json(events, sources=loaded.sources, provenance=fresh(origin), layout=layout),
    events_file_name(loaded, "events", "json", layout),
    key="download_events_json",
    container=downloads[1],
)
st.caption(export_text("provenance_note"))
