"""Casualty charts: running totals, per-month bars, totals by theater, and ours beside other trackers."""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go

from components.style import OKABE_ITO, THEATER_COLORS, THEATER_LABELS, base_layout, date_axis, inert


def cumulative_figure(running: pd.DataFrame, *, title: str = "Running totals (as announced)") -> go.Figure:
    """Step lines of people killed, boats and strikes; a shaded band where sources give a range."""
    figure = go.Figure()
    if len(running) and (
        running["killed_low"].ne(running["killed"]).any() or running["killed_high"].ne(running["killed"]).any()
    ):
        figure.add_trace(
            go.Scatter(
                x=running["date"],
                y=running["killed_high"],
                mode="lines",
                line={"width": 0, "shape": "hv"},
                name="Killed, highest reported",
                hoverinfo="skip",
                showlegend=False,
            )
        )
        figure.add_trace(
            go.Scatter(
                x=running["date"],
                y=running["killed_low"],
                mode="lines",
                line={"width": 0, "shape": "hv"},
                fill="tonexty",
                fillcolor="rgba(213,94,0,0.18)",
                name="Range reported",
            )
        )
    for column, label, color in (
        ("killed", "People killed", "#D55E00"),
        ("vessels", "Boats hit", "#0072B2"),
        ("strikes", "Strikes", "#009E73"),
    ):
        figure.add_trace(
            go.Scatter(
                x=running["date"],
                y=running[column],
                mode="lines",
                name=label,
                line={"shape": "hv", "width": 3, "color": color},
                hovertemplate=f"{label}: %{{y}}<br>%{{x|%d %b %Y}}<extra></extra>",
            )
        )
    base_layout(figure, title=title)
    figure.update_yaxes(title="Cumulative count", rangemode="tozero")
    figure.update_xaxes(title=None)
    date_axis(figure, running["date"])
    return figure


def monthly_figure(
    per_month: pd.DataFrame, *, value: str = "killed", title: str = "People killed per month, by theater"
) -> go.Figure:
    figure = go.Figure()
    for theater, rows in per_month.groupby("theater", sort=False):
        figure.add_trace(
            go.Bar(
                x=rows["month"],
                y=rows[value],
                name=THEATER_LABELS.get(str(theater), str(theater)),
                marker_color=THEATER_COLORS.get(str(theater), OKABE_ITO[0]),
                hovertemplate="%{x|%b %Y}: %{y}<extra>"
                + inert(THEATER_LABELS.get(str(theater), str(theater)))
                + "</extra>",
            )
        )
    base_layout(figure, title=title, height=360)
    figure.update_layout(barmode="stack")
    figure.update_xaxes(dtick="M1", tickformat="%b %Y", title=None)
    figure.update_yaxes(title=value.replace("_", " ").capitalize(), rangemode="tozero")
    return figure


def theater_figure(totals: pd.DataFrame, *, title: str = "Totals by theater") -> go.Figure:
    """Grouped horizontal bars: strikes, boats, killed per theater."""
    figure = go.Figure()
    labels = totals["theater"].map(lambda t: THEATER_LABELS.get(t, t))
    for column, label, color in (
        ("killed", "People killed", "#D55E00"),
        ("vessels", "Boats hit", "#0072B2"),
        ("strikes", "Strikes", "#009E73"),
        ("survivors", "Survivors", "#CC79A7"),
    ):
        figure.add_trace(
            go.Bar(
                y=labels,
                x=totals[column],
                name=label,
                orientation="h",
                marker_color=color,
                text=totals[column],
                textposition="outside",
                cliponaxis=False,
                hovertemplate=f"{label}: %{{x}}<extra>%{{y}}</extra>",
            )
        )
    base_layout(figure, title=title, height=180 + 90 * max(1, len(totals)))
    figure.update_layout(barmode="group")
    # Room to the right of the longest bar for its label.
    longest = (
        max((int(totals[c].max()) for c in ("killed", "vessels", "strikes", "survivors")), default=0)
        if len(totals)
        else 0
    )
    figure.update_xaxes(title=None, range=[0, longest * 1.15 + 1])
    figure.update_yaxes(title=None)
    return figure


def tracker_comparison_figure(
    running: pd.DataFrame,
    trackers: pd.DataFrame,
    *,
    title: str = "People killed: our running total beside other trackers",
) -> go.Figure:
    """Our cumulative dead (announced, and with survivors presumed dead) as step lines; every total another
    tracker published as one marker, named in its hover label (one trace: dozens of trackers would each
    cost a trace and a legend entry)."""
    figure = go.Figure()
    figure.add_trace(
        go.Scatter(
            x=running["date"],
            y=running["killed"],
            mode="lines",
            name="This dataset: killed as announced",
            line={"shape": "hv", "width": 3, "color": "#D55E00"},
            hovertemplate="This dataset, announced: %{y}<br>%{x|%d %b %Y}<extra></extra>",
        )
    )
    figure.add_trace(
        go.Scatter(
            x=running["date"],
            y=running["killed"] + running["presumed_dead"],
            mode="lines",
            name="This dataset: plus survivors presumed dead",
            line={"shape": "hv", "width": 2, "color": "#D55E00", "dash": "dot"},
            hovertemplate="This dataset, with presumed dead: %{y}<br>%{x|%d %b %Y}<extra></extra>",
        )
    )
    with_killed = trackers.loc[trackers["killed"].notna()]
    figure.add_trace(
        go.Scatter(
            x=with_killed["as_of"],
            y=with_killed["killed"].astype(float),
            mode="markers",
            name="Totals other trackers published",
            marker={"size": 11, "symbol": "diamond", "color": "#0072B2", "line": {"width": 1, "color": "white"}},
            customdata=with_killed[["id"]].to_numpy(),
            hovertext=[
                f"{inert(name)}: {int(killed)} killed"
                for name, killed in zip(with_killed["tracker"], with_killed["killed"], strict=True)
            ],
            hovertemplate="%{hovertext}<br>as of %{x|%d %b %Y}<extra></extra>",
        )
    )
    base_layout(figure, title=title, height=440)
    figure.update_yaxes(title="People killed (cumulative)", rangemode="tozero")
    return figure


def cumulative_text(running: pd.DataFrame) -> str:
    """Alt text for the running-totals chart."""
    if running.empty:
        return "No strikes match the filters."
    last = running.iloc[-1]
    return (
        f"Running totals from {running['date'].iloc[0]:%d %b %Y} to {last['date']:%d %b %Y}: "
        f"{int(last['killed'])} killed, {int(last['vessels'])} boats, {int(last['strikes'])} strikes (as announced)."
    )


def theater_text(totals: pd.DataFrame) -> str:
    rows: list[Any] = list(totals.itertuples(index=False))
    parts = [
        f"{THEATER_LABELS.get(row.theater, row.theater)}: {int(row.killed)} killed, {int(row.strikes)} strikes"
        for row in rows
    ]
    return "Totals by theater. " + "; ".join(parts) + "."


def monthly_text(per_month: pd.DataFrame) -> str:
    totals = per_month.groupby("month")["killed"].sum()
    if totals.empty:
        return "No strikes match the filters."
    peak = totals.idxmax()
    return f"People killed per month; the most, {int(totals.max())}, in {peak:%B %Y}."


def tracker_text(trackers: pd.DataFrame) -> str:
    return (
        f"Our running total of people killed beside {len(trackers)} totals published by "
        f"{trackers['tracker'].nunique()} other trackers."
    )
