"""Map: where events happened, drawn offline; events without a published position are listed, never dropped."""

from typing import cast

import streamlit as st

from components.geo import ColorBy, map_figure, map_text, unlocated
from dashboard.context import filtered_events, load, page_header
from dashboard.i18n import lang, t
from dashboard.url_state import publish_one, seed_choices
from dashboard.widgets import GRID_OPTIONS, event_table_config, event_table_frame, view_chart

KEY_COLOR = "color"
COLOR_LABELS = {"theater": "Theater", "category": "Category"}
# Plotly fetches its base map from a CDN unless told otherwise; these files ship in dashboard/static/.
OFFLINE_MAP_CONFIG = {"topojsonURL": "app/static/", "displaylogo": False}

loaded = load()
events = filtered_events(loaded)
page_header(t("Map"), loaded, note=t("{n} events", n=len(events)))
seed_choices(KEY_COLOR, ["theater", "category"], multiple=False)
color_by = cast(
    ColorBy,
    st.segmented_control(
        t("Colour by"),
        options=["theater", "category"],
        format_func=lambda option: t(COLOR_LABELS[str(option)]),
        default="theater",
        key=KEY_COLOR,
    )
    or "theater",
)
publish_one(KEY_COLOR, None if color_by == "theater" else color_by)
description = map_text(events, lang=lang())
view_chart(
    loaded,
    "map",
    lambda: map_figure(events, color_by=color_by, lang=lang()),
    variant=(color_by,),
    key="map_chart",
    alt=description,
    config=OFFLINE_MAP_CONFIG,
)
st.caption(
    description
    + " "
    + t(
        "Filled circles: exact position; open circles: approximate; open diamonds: theater only (strikes whose "
        "position was never published, summed per theater). Marker size grows with the number killed."
    )
)
without = unlocated(events)
st.subheader(t("Events without a published location ({n})", n=len(without)))
unlocated_table = event_table_frame(without)
st.dataframe(unlocated_table, column_config=event_table_config(unlocated_table), **GRID_OPTIONS, width="stretch")
