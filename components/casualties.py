"""Casualty charts: running totals, per-month bars, totals by theater, and ours beside other trackers."""

from __future__ import annotations

from functools import partial
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from babel.dates import format_skeleton

from components.style import OKABE_ITO, THEATER_COLORS, THEATER_LABELS, base_layout, date_axis, inert
from data.i18n import SOURCE_LANGUAGE, format_count, format_day, translate


def _days(dates: pd.Series, lang: str, style: str = "short") -> list[str]:
    """Dates written as `lang` writes them, for hover labels (Plotly's own date formats are English only)."""
    return [format_day(day, lang, style) for day in dates]


def _theater(theater: object, lang: str) -> str:
    return translate(lang, THEATER_LABELS.get(str(theater), str(theater)))


def cumulative_figure(running: pd.DataFrame, *, title: str | None = None, lang: str = SOURCE_LANGUAGE) -> go.Figure:
    """Step lines of people killed, boats and strikes; a shaded band where sources give a range."""
    tr = partial(translate, lang)
    title = tr("Running totals (as announced)") if title is None else title
    days = _days(running["date"], lang)
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
                name=tr("Killed, highest reported"),
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
                name=tr("Range reported"),
            )
        )
    # Strikes and boats run almost together (one boat per strike, nearly always): strikes dashed over boats, so both
    # lines stay visible where they overlap.
    for column, label, color, dash in (
        ("killed", tr("People killed"), "#D55E00", "solid"),
        ("vessels", tr("Boats hit"), "#0072B2", "solid"),
        ("strikes", tr("Strikes"), "#009E73", "dash"),
    ):
        figure.add_trace(
            go.Scatter(
                x=running["date"],
                y=running[column],
                mode="lines",
                name=label,
                line={"shape": "hv", "width": 3, "color": color, "dash": dash},
                customdata=days,
                hovertemplate=f"{inert(label)}: %{{y}}<br>%{{customdata}}<extra></extra>",
            )
        )
    base_layout(figure, title=title, lang=lang)
    figure.update_yaxes(title=tr("Cumulative count"), rangemode="tozero")
    figure.update_xaxes(title=None)
    date_axis(figure, running["date"], lang=lang)
    return figure


def monthly_figure(
    per_month: pd.DataFrame, *, value: str = "killed", title: str | None = None, lang: str = SOURCE_LANGUAGE
) -> go.Figure:
    tr = partial(translate, lang)
    title = tr("People killed per month, by theater") if title is None else title
    value_titles = {"killed": tr("Killed"), "vessels": tr("Boats"), "strikes": tr("Strikes")}
    figure = go.Figure()
    for theater, rows in per_month.groupby("theater", sort=False):
        figure.add_trace(
            go.Bar(
                x=rows["month"],
                y=rows[value],
                name=_theater(theater, lang),
                marker_color=THEATER_COLORS.get(str(theater), OKABE_ITO[0]),
                customdata=_days(rows["month"], lang, "month"),
                hovertemplate="%{customdata}: %{y}<extra>" + inert(_theater(theater, lang)) + "</extra>",
            )
        )
    base_layout(figure, title=title, height=360, lang=lang)
    figure.update_layout(barmode="stack")
    months = sorted(set(per_month["month"]))
    if lang == SOURCE_LANGUAGE:
        figure.update_xaxes(dtick="M1", tickformat="%b %Y", title=None)
    else:  # Plotly writes month names in English only: one tick per month, written here
        figure.update_xaxes(
            tickmode="array", tickvals=months, ticktext=_days(pd.Series(months), lang, "month"), title=None
        )
    figure.update_yaxes(title=value_titles.get(value, value.replace("_", " ").capitalize()), rangemode="tozero")
    return figure


def theater_figure(totals: pd.DataFrame, *, title: str | None = None, lang: str = SOURCE_LANGUAGE) -> go.Figure:
    """Grouped horizontal bars: strikes, boats, killed per theater."""
    tr = partial(translate, lang)
    title = tr("Totals by theater") if title is None else title
    figure = go.Figure()
    labels = totals["theater"].map(lambda t: _theater(t, lang))
    for column, label, color in (
        ("killed", tr("People killed"), "#D55E00"),
        ("vessels", tr("Boats hit"), "#0072B2"),
        ("strikes", tr("Strikes"), "#009E73"),
        ("survivors", tr("Survivors"), "#CC79A7"),
    ):
        figure.add_trace(
            go.Bar(
                y=labels,
                x=totals[column],
                name=label,
                orientation="h",
                marker_color=color,
                text=[format_count(int(value), lang) for value in totals[column]],
                textposition="outside",
                cliponaxis=False,
                hovertemplate=f"{inert(label)}: %{{text}}<extra>%{{y}}</extra>",
            )
        )
    base_layout(figure, title=title, height=180 + 90 * max(1, len(totals)), lang=lang)
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
    title: str | None = None,
    lang: str = SOURCE_LANGUAGE,
) -> go.Figure:
    """Our cumulative dead (announced, and with survivors presumed dead) as step lines; every total another
    tracker published as one marker, named in its hover label (one trace: dozens of trackers would each
    cost a trace and a legend entry)."""
    tr = partial(translate, lang)
    title = tr("People killed: our running total beside other trackers") if title is None else title
    days = _days(running["date"], lang)
    figure = go.Figure()
    figure.add_trace(
        go.Scatter(
            x=running["date"],
            y=running["killed"],
            mode="lines",
            name=tr("This dataset: killed as announced"),
            line={"shape": "hv", "width": 3, "color": "#D55E00"},
            customdata=days,
            hovertemplate=inert(tr("This dataset, announced:")) + " %{y}<br>%{customdata}<extra></extra>",
        )
    )
    figure.add_trace(
        go.Scatter(
            x=running["date"],
            y=running["killed"] + running["presumed_dead"],
            mode="lines",
            name=tr("This dataset: plus survivors presumed dead"),
            line={"shape": "hv", "width": 2, "color": "#D55E00", "dash": "dot"},
            customdata=days,
            hovertemplate=inert(tr("This dataset, with presumed dead:")) + " %{y}<br>%{customdata}<extra></extra>",
        )
    )
    with_killed = trackers.loc[trackers["killed"].notna()]
    figure.add_trace(
        go.Scatter(
            x=with_killed["as_of"],
            y=with_killed["killed"].astype(float),
            mode="markers",
            name=tr("Totals other trackers published"),
            marker={"size": 11, "symbol": "diamond", "color": "#0072B2", "line": {"width": 1, "color": "white"}},
            customdata=with_killed[["id"]].to_numpy(),
            hovertext=[
                inert(name) + ": " + tr("{n} killed", n=format_count(int(killed), lang))
                for name, killed in zip(with_killed["tracker"], with_killed["killed"], strict=True)
            ],
            text=[tr("as of {day}", day=format_day(as_of, lang)) for as_of in with_killed["as_of"]],
            hovertemplate="%{hovertext}<br>%{text}<extra></extra>",
        )
    )
    base_layout(figure, title=title, height=440, lang=lang)
    figure.update_yaxes(title=tr("People killed (cumulative)"), rangemode="tozero")
    date_axis(figure, pd.concat([running["date"], with_killed["as_of"]]), lang=lang)
    return figure


def cumulative_text(running: pd.DataFrame, *, lang: str = SOURCE_LANGUAGE) -> str:
    """Alt text for the running-totals chart."""
    tr = partial(translate, lang)
    if running.empty:
        return tr("No strikes match the filters.")
    last = running.iloc[-1]
    return tr(
        "Running totals from {first} to {last}: {killed} killed, {boats} boats, {strikes} strikes (as announced).",
        first=format_day(running["date"].iloc[0], lang),
        last=format_day(last["date"], lang),
        killed=format_count(int(last["killed"]), lang),
        boats=format_count(int(last["vessels"]), lang),
        strikes=format_count(int(last["strikes"]), lang),
    )


def theater_text(totals: pd.DataFrame, *, lang: str = SOURCE_LANGUAGE) -> str:
    tr = partial(translate, lang)
    rows: list[Any] = list(totals.itertuples(index=False))
    parts = [
        tr(
            "{theater}: {killed} killed, {strikes} strikes",
            theater=_theater(row.theater, lang),
            killed=format_count(int(row.killed), lang),
            strikes=format_count(int(row.strikes), lang),
        )
        for row in rows
    ]
    return tr("Totals by theater.") + " " + "; ".join(parts) + "."


def monthly_text(per_month: pd.DataFrame, *, lang: str = SOURCE_LANGUAGE) -> str:
    tr = partial(translate, lang)
    totals = per_month.groupby("month")["killed"].sum()
    if totals.empty:
        return tr("No strikes match the filters.")
    peak: pd.Timestamp = totals.idxmax()  # type: ignore[assignment]  # the index holds month starts
    return tr(
        "People killed per month; the most, {n}, in {month}.",
        n=format_count(int(totals.max()), lang),
        month=format_skeleton("yMMMM", peak, locale=lang),
    )


def tracker_text(trackers: pd.DataFrame, *, lang: str = SOURCE_LANGUAGE) -> str:
    tr = partial(translate, lang)
    return tr(
        "Our running total of people killed beside {n} totals published by {trackers} other trackers.",
        n=format_count(len(trackers), lang),
        trackers=format_count(trackers["tracker"].nunique(), lang),
    )
