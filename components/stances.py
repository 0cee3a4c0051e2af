"""The stance matrix: actors x issues as square markers you can click (a heatmap returns no selection)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from components.style import POSITION_COLORS, POSITION_LABELS, POSITION_SYMBOLS, base_layout, inert
from data.i18n import SOURCE_LANGUAGE, format_count, format_day, translate

NO_EVIDENCE = "No evidence found"  # the English name; the figure says it in its language


def stance_matrix_figure(
    matrix: pd.DataFrame,
    *,
    actors: Sequence[tuple[str, str]],
    issues: Sequence[tuple[str, str]],
    title: str,
    lang: str = SOURCE_LANGUAGE,
) -> go.Figure:
    """`matrix` holds one latest stance per (actor, issue); `actors`/`issues` are (id, name) in display order.

    Every cell is drawn: empty ones as hollow grey squares labelled "no evidence found",
    so a blank is never mistaken for a neutral stance. `customdata` carries (actor, issue). Labels are in `lang`.
    """
    tr = partial(translate, lang)
    no_evidence = tr("No evidence found")
    figure = go.Figure()
    actor_names = dict(actors)
    issue_names = dict(issues)
    rows: list[Any] = list(matrix.itertuples(index=False))
    filled: dict[tuple[str, str], Any] = {(row.actor, row.issue): row for row in rows}
    empty = [(a, i) for a, _ in actors for i, _ in issues if (a, i) not in filled]
    if empty:
        figure.add_trace(
            go.Scatter(
                x=[issue_names[i] for _, i in empty],
                y=[actor_names[a] for a, _ in empty],
                mode="markers",
                name=no_evidence,
                marker={"symbol": "square-open", "size": 30, "color": "#BDBDBD", "line": {"width": 1}},
                customdata=[[a, i] for a, i in empty],
                hovertemplate="%{y} · %{x}<br>" + inert(no_evidence) + "<extra></extra>",
            )
        )
    for position in ("support", "mixed", "neutral", "oppose"):
        rows = [row for row in filled.values() if row.position == position]
        if not rows:
            continue
        label = translate(lang, POSITION_LABELS[position])
        figure.add_trace(
            go.Scatter(
                x=[issue_names[r.issue] for r in rows],
                y=[actor_names[r.actor] for r in rows],
                mode="markers+text",
                name=f"{POSITION_SYMBOLS[position]} {label}",
                marker={"symbol": "square", "size": 30, "color": POSITION_COLORS[position]},
                # keep the matrix readable after a click (Plotly fades unselected points to 0.2)
                unselected={"marker": {"opacity": 0.6}},
                text=[POSITION_SYMBOLS[position]] * len(rows),
                textfont={"color": "white", "size": 14},
                customdata=[[r.actor, r.issue] for r in rows],
                hovertext=[
                    f"<b>{inert(actor_names[r.actor])} · {inert(issue_names[r.issue])}</b><br>{inert(label)} "
                    + tr("(as of {day})", day=format_day(r.date, lang))
                    for r in rows
                ],
                hovertemplate="%{hovertext}<extra></extra>",
            )
        )
    base_layout(figure, title=title, height=max(360, 130 + 38 * len(actors)), lang=lang)
    figure.update_xaxes(
        categoryorder="array",
        categoryarray=[name for _, name in issues],
        side="top",
        title=None,
        showgrid=False,
        tickangle=0,
        # long issue names on two lines, so neighbouring columns' headers never overlap at 15 px
        tickvals=[name for _, name in issues],
        ticktext=[_two_lines(name) for _, name in issues],
    )
    figure.update_yaxes(
        categoryorder="array", categoryarray=[name for _, name in reversed(actors)], title=None, showgrid=False
    )
    figure.update_layout(
        clickmode="event+select",
        dragmode=False,
        legend={"y": -0.02, "yanchor": "top", "x": 0, "xanchor": "left"},
        margin={"t": 100, "b": 60},
    )
    return figure


def _two_lines(name: str, longest: int = 12) -> str:
    """A header on two lines at the space nearest its middle when longer than `longest` (text made inert)."""
    if len(name) <= longest or " " not in name:
        return inert(name)
    spaces = [i for i, ch in enumerate(name) if ch == " "]
    cut = min(spaces, key=lambda i: abs(i - len(name) / 2))
    return inert(name[:cut]) + "<br>" + inert(name[cut + 1 :])


def matrix_text(matrix: pd.DataFrame, actor_count: int, issue_count: int, *, lang: str = SOURCE_LANGUAGE) -> str:
    """Text equivalent: how many cells hold evidence and how positions split."""
    tr = partial(translate, lang)
    counts = matrix["position"].value_counts()
    split = ", ".join(
        f"{format_count(int(counts.get(p, 0)), lang)} {translate(lang, POSITION_LABELS[p]).lower()}"
        for p in ("support", "mixed", "neutral", "oppose")
    )
    return tr(
        "{n} of {cells} actor-issue cells have dated evidence ({split}); the rest show no evidence found.",
        n=format_count(len(matrix), lang),
        cells=format_count(actor_count * issue_count, lang),
        split=split,
    )
