"""The timeline: events in lanes over time, strikes sized by people killed, milestones starred."""

from __future__ import annotations

from functools import partial
from typing import Any, Literal

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from components.style import (
    CATEGORY_COLORS,
    CATEGORY_LABELS,
    OKABE_ITO,
    THEATER_COLORS,
    THEATER_LABELS,
    base_layout,
    date_axis,
    inert,
)
from data.i18n import SOURCE_LANGUAGE, format_count, format_day, translate

Lane = Literal["category", "theater"]
# Beyond this many points a lane is drawn with WebGL, which stays responsive.
WEBGL_THRESHOLD = 2000
# Beyond this many events the chart shows counts per lane and period instead of single events,
# so the browser never receives more than a few thousand points.
MAX_EVENT_POINTS = 3000
MAX_MILESTONE_POINTS = 500
MILESTONE_LANE = "★ Key milestones"  # the English lane; `milestone_lane(lang)` in every language
PERIODS = (("D", "day"), ("W-MON", "week"), ("M", "month"), ("Q", "quarter"))
# Key milestones get a short label above the star when space allows: at most this many labels, never two
# overlapping (widths estimated generously from the label's length, for the presenter's larger type too).
MAX_MILESTONE_LABELS = 16
LABEL_CHARS = 24
LABEL_WIDTH_PER_CHAR = 0.0095  # share of the axis one character takes on a ~1000 px wide plot at 16-18 px
# A timeline taller than this shows its date axis at the top, where it is on screen without scrolling.
TOP_AXIS_HEIGHT = 520
# Presenter mode opens a timeline spanning more than this on the strike campaign.
CAMPAIGN_FOCUS_SPAN_DAYS = 365


def marker_size(killed: pd.Series) -> np.ndarray:
    """Area grows with the dead, so a 14-death strike does not dwarf everything: 9 px plus sqrt."""
    values = killed.astype("Float64").fillna(0).to_numpy(dtype=float)
    return np.where(values > 0, 9 + 4 * np.sqrt(values), 9)


def milestone_lane(lang: str = SOURCE_LANGUAGE) -> str:
    """The name of the key milestones' lane in `lang`."""
    tr = partial(translate, lang)
    return "★ " + tr("Key milestones")


def _hover_lines(events: pd.DataFrame, lang: str) -> list[str]:
    tr = partial(translate, lang)
    lines = []
    row: Any
    for row in events.itertuples(index=False):
        text = f"<b>{inert(row.title)}</b><br>{format_day(row.date, lang)}"
        if row.category == "strike" and not pd.isna(row.killed):
            text += "<br>" + tr("Killed (as announced): {n}", n=format_count(int(row.killed), lang))
            if not pd.isna(row.survivors) and int(row.survivors):
                text += " · " + tr("survivors: {n}", n=format_count(int(row.survivors), lang))
        lines.append(text)
    return lines


def lane_labels(lane: Lane, lang: str = SOURCE_LANGUAGE) -> dict[str, str]:
    """Lane id -> its label in `lang`, in the lanes' order."""
    labels = CATEGORY_LABELS if lane == "category" else THEATER_LABELS
    return {key: translate(lang, label) for key, label in labels.items()}


def _lane_labels(events: pd.DataFrame, lane: Lane, lang: str = SOURCE_LANGUAGE) -> pd.Series:
    labels = lane_labels(lane, lang)
    return events[lane].map(lambda value: labels.get(str(value), str(value)))


def aggregate(
    events: pd.DataFrame, lane: Lane, *, max_points: int = MAX_EVENT_POINTS, lang: str = SOURCE_LANGUAGE
) -> tuple[pd.DataFrame, str]:
    """Counts and dead per lane and period, with the finest period that stays under `max_points`."""
    labels = _lane_labels(events, lane, lang)
    for freq, name in PERIODS:
        periods = events["date"].dt.to_period(freq).dt.start_time
        if pd.MultiIndex.from_arrays([labels, periods]).nunique() <= max_points or freq == PERIODS[-1][0]:
            grouped = (
                events.assign(lane_label=labels, period=periods)
                .groupby(["lane_label", "period"], observed=True)
                .agg(events=("id", "size"), killed=("killed", "sum"))
                .reset_index()
            )
            return grouped, name
    raise AssertionError("unreachable")  # pragma: no cover


def _period_of(period: str, start: pd.Timestamp, lang: str) -> str:
    """Which period a summed point covers, in `lang`."""
    tr = partial(translate, lang)
    if period == "day":
        return tr("Day: {day}", day=format_day(start, lang))
    if period == "week":
        return tr("Week of {day}", day=format_day(start, lang))
    if period == "month":
        return tr("Month: {month}", month=format_day(start, lang, "month"))
    return tr("Quarter from {day}", day=format_day(start, lang))


def _aggregated_figure(events: pd.DataFrame, lane: Lane, title: str, lang: str) -> go.Figure:
    tr = partial(translate, lang)
    figure = go.Figure()
    grouped, period = aggregate(events, lane, lang=lang)
    order = [label for label in lane_labels(lane, lang).values() if label in set(grouped["lane_label"])]
    for n, label in enumerate(order):
        rows = grouped.loc[grouped["lane_label"] == label]
        figure.add_trace(
            go.Scattergl(
                x=rows["period"],
                y=[label] * len(rows),
                mode="markers",
                name=label,
                marker={"size": marker_size(rows["events"]), "color": OKABE_ITO[n % len(OKABE_ITO)], "opacity": 0.7},
                text=[
                    inert(label)
                    + ": "
                    + tr(
                        "{events} events, {killed} killed",
                        events=format_count(int(count), lang),
                        killed=format_count(int(killed), lang),
                    )
                    + "<br>"
                    + _period_of(period, start, lang)
                    for count, killed, start in zip(rows["events"], rows["killed"], rows["period"], strict=True)
                ],
                hovertemplate="%{text}<extra></extra>",
            )
        )
    per = {
        "day": tr("{title} — events per day (narrow the filters to see single events)", title=title),
        "week": tr("{title} — events per week (narrow the filters to see single events)", title=title),
        "month": tr("{title} — events per month (narrow the filters to see single events)", title=title),
        "quarter": tr("{title} — events per quarter (narrow the filters to see single events)", title=title),
    }
    base_layout(figure, title=per[period], height=max(320, 120 + 55 * len(order)), lang=lang)
    figure.update_yaxes(categoryorder="array", categoryarray=list(reversed(order)), title=None)
    figure.update_layout(showlegend=False, dragmode="zoom")
    date_axis(figure, grouped["period"], lang=lang)
    return figure


def campaign_range(events: pd.DataFrame) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """Where the strike campaign is readable: a month before the first strike to the last event, when the events
    span more than a year and start well before the campaign (else None: the whole range already reads)."""
    strikes = events.loc[events["category"] == "strike", "date"]
    if strikes.empty:
        return None
    first, last = events["date"].min(), events["date"].max()
    start = strikes.min() - pd.Timedelta(days=30)
    if (last - first) < pd.Timedelta(days=CAMPAIGN_FOCUS_SPAN_DAYS) or start <= first:
        return None
    return start, last + pd.Timedelta(days=10)


def timeline_figure(
    events: pd.DataFrame,
    *,
    lane: Lane = "category",
    title: str | None = None,
    campaign_focus: bool = False,
    lang: str = SOURCE_LANGUAGE,
) -> go.Figure:
    """One trace per lane (plus a lane of key milestones); the event id travels in `customdata`.

    Above `MAX_EVENT_POINTS` events, lanes show counts per period instead (no single events). `campaign_focus`
    (presenter mode) opens the axis on the strike campaign (`campaign_range`); a double-click shows everything.
    Every text is in `lang`; the points and their sizes are the same in every language.
    """
    tr = partial(translate, lang)
    title = tr("Timeline of events") if title is None else title
    if len(events) > MAX_EVENT_POINTS:
        return _aggregated_figure(events, lane, title, lang)
    figure = go.Figure()
    lanes = _lane_labels(events, lane, lang)
    labels = lane_labels(lane, lang)
    order = [label for label in labels.values() if label in set(lanes)]
    palette = THEATER_COLORS if lane == "theater" else CATEGORY_COLORS
    colors = {labels[key]: color for key, color in palette.items()}
    lane_of_milestones = milestone_lane(lang)
    # One trace for every event: a trace per lane would multiply Plotly's drawing work for nothing.
    scatter = go.Scattergl if len(events) > WEBGL_THRESHOLD else go.Scatter
    figure.add_trace(
        scatter(
            x=events["date"],
            y=lanes,
            mode="markers",
            name=tr("Events"),
            marker={
                "size": marker_size(events["killed"]),
                "color": lanes.map(colors),
                "opacity": 0.8,
                "line": {"width": 1, "color": "white"},
            },
            customdata=events[["id"]].to_numpy(),
            hovertext=_hover_lines(events, lang),
            hovertemplate="%{hovertext}<extra></extra>",
        )
    )
    milestones = events.loc[events["milestone"]]
    focus = campaign_range(events) if campaign_focus else None
    shown = focus or (events["date"].min(), events["date"].max())
    if 0 < len(milestones) <= MAX_MILESTONE_POINTS:
        figure.add_trace(
            go.Scatter(
                x=milestones["date"],
                y=[lane_of_milestones] * len(milestones),
                name=tr("Key milestone"),
                marker={"symbol": "star", "size": 16, "color": "#000000", "line": {"width": 1, "color": "#F0E442"}},
                customdata=milestones[["id"]].to_numpy(),
                hovertext=_hover_lines(milestones, lang),
                hovertemplate="%{hovertext}<extra></extra>",
                **_milestone_labels(milestones, *shown),
            )
        )
    lane_count = len(order) + (1 if len(milestones) else 0)
    height = max(320, 120 + 55 * lane_count)
    base_layout(figure, title=title, height=height, lang=lang)
    figure.update_yaxes(
        categoryorder="array",
        categoryarray=list(reversed([lane_of_milestones, *order] if len(milestones) else order)),
        title=None,
    )
    figure.update_xaxes(title=None, showgrid=True)
    date_axis(figure, events["date"], lang=lang)
    if focus is not None:
        figure.update_xaxes(range=list(focus))
    if height > TOP_AXIS_HEIGHT:
        figure.update_xaxes(side="top")
        figure.update_layout(margin_t=100)
    figure.update_layout(clickmode="event+select", dragmode="zoom", showlegend=False)
    return figure


def short_label(title: str, limit: int = LABEL_CHARS) -> str:
    """The first words of a title, at most `limit` characters, with an ellipsis when cut."""
    if len(title) <= limit:
        return title
    cut = title[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:-–")
    return cut + "…"


def _milestone_labels(milestones: pd.DataFrame, first: pd.Timestamp, last: pd.Timestamp) -> dict[str, Any]:
    """Text and positions for the milestone stars: a label where it fits, none where it would overlap another (or
    run off the left edge); the hover always has the full title."""
    if len(milestones) > MAX_MILESTONE_LABELS * 2:
        return {"mode": "markers"}
    span = max((last - first).total_seconds(), 14 * 86400.0)
    row_ends = [-0.08]  # a label may overhang the left edge a little (the chart does not clip it)
    texts: list[str] = []
    positions: list[str] = []
    shown = 0
    for day, title in sorted(zip(milestones["date"], milestones["title"], strict=True), key=lambda pair: pair[0]):
        label = short_label(str(title))
        at = (day - first).total_seconds() / span
        half = len(label) * LABEL_WIDTH_PER_CHAR / 2
        row = next((n for n, end in enumerate(row_ends) if end <= at - half), None)
        if row is None or shown >= MAX_MILESTONE_LABELS or at > 1:  # overlapping, too many, or off the axis
            texts.append("")
            positions.append("top center")
            continue
        row_ends[row] = at + half
        shown += 1
        texts.append(inert(label))
        positions.append("top center")
    # The trace's points are in the frame's order; map the sorted labels back.
    order = np.argsort(milestones["date"].to_numpy(), kind="stable")
    text_by_row = [""] * len(milestones)
    position_by_row = ["top center"] * len(milestones)
    for sorted_index, row_index in enumerate(order):
        text_by_row[row_index] = texts[sorted_index]
        position_by_row[row_index] = positions[sorted_index]
    return {
        "mode": "markers+text",
        "text": text_by_row,
        "textposition": position_by_row,
        "textfont": {"size": 14},
        "cliponaxis": False,
    }


def timeline_text(events: pd.DataFrame, *, lang: str = SOURCE_LANGUAGE) -> str:
    """A text equivalent of the chart for screen readers and alt text, in `lang`."""
    tr = partial(translate, lang)
    if events.empty:
        return tr("No events match the filters.")
    first, last = events["date"].min(), events["date"].max()
    counts = events["category"].value_counts()
    labels = lane_labels("category", lang)
    parts = ", ".join(
        tr("{n} {label}", n=format_count(int(count), lang), label=labels.get(str(cat), str(cat)).lower())
        for cat, count in counts.items()
    )
    return tr(
        "{n} events from {first} to {last}: {parts}.",
        n=format_count(len(events), lang),
        first=format_day(first, lang),
        last=format_day(last, lang),
        parts=parts,
    )
