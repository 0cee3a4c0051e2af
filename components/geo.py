"""The map: located events on an offline Plotly geo map of the Caribbean and Eastern Pacific.

Events whose position was never published are not given invented coordinates: they are
summed into one clearly labelled "location not published" bubble per theater, placed at the
theater's label point, and listed in full beside the map.
"""

from __future__ import annotations

from functools import partial
from typing import Any, Literal

import pandas as pd
import plotly.graph_objects as go

from components.style import CATEGORY_LABELS, OKABE_ITO, THEATER_COLORS, THEATER_LABELS, base_layout, inert
from components.timeline import marker_size
from data.i18n import SOURCE_LANGUAGE, format_count, format_day, translate

ColorBy = Literal["theater", "category"]
# Where a theater's "location not published" bubble is drawn (a label point, not an event location).
THEATER_LABEL_POINTS = {
    "caribbean": (15.0, -72.0),
    "eastern_pacific": (8.0, -97.0),
    "venezuela": (7.5, -66.0),
}
PRECISION_SYMBOLS = {"exact": "circle", "approximate": "circle-open", "theater": "diamond-open"}
PRECISION_LABELS = {"exact": "exact", "approximate": "approximate", "theater": "theater only"}


def precision_labels(lang: str = SOURCE_LANGUAGE) -> dict[str, str]:
    """How precise a published position is, in `lang` (the English words are PRECISION_LABELS)."""
    tr = partial(translate, lang)
    return {"exact": tr("exact"), "approximate": tr("approximate"), "theater": tr("theater only")}


# Above this many located events, markers are summed per grid cell of this many degrees.
MAX_MAP_POINTS = 2000
GRID_DEGREES = 0.5
# The region of the crisis: Gulf of Mexico to the Andes, Eastern Pacific to the Lesser Antilles.
DEFAULT_VIEW = {"lataxis": {"range": [-5.0, 32.0]}, "lonaxis": {"range": [-120.0, -55.0]}}


def located(events: pd.DataFrame) -> pd.DataFrame:
    return events.loc[events["lat"].notna() & events["lon"].notna()]


def unlocated(events: pd.DataFrame) -> pd.DataFrame:
    return events.loc[events["lat"].isna() | events["lon"].isna()]


def _hover(rows: pd.DataFrame, lang: str) -> list[str]:
    tr = partial(translate, lang)
    precision = precision_labels(lang)
    text = []
    row: Any
    for row in rows.itertuples(index=False):
        line = f"<b>{inert(row.title)}</b><br>{format_day(row.date, lang)} · {inert(row.location)}"
        line += "<br>" + tr("Location: {precision}", precision=precision.get(row.coord_precision, row.coord_precision))
        if row.category == "strike" and not pd.isna(row.killed):
            line += "<br>" + tr("Killed (as announced): {n}", n=format_count(int(row.killed), lang))
        text.append(line)
    return text


def _add_grid_cells(
    figure: go.Figure, points: pd.DataFrame, color_by: ColorBy, labels: dict[str, str], lang: str
) -> None:
    """Many located events: one marker per grid cell and group, sized by the number of events."""
    tr = partial(translate, lang)
    cells = (
        points.assign(
            cell_lat=(points["lat"] / GRID_DEGREES).round() * GRID_DEGREES,
            cell_lon=(points["lon"] / GRID_DEGREES).round() * GRID_DEGREES,
        )
        .groupby([color_by, "cell_lat", "cell_lon"])
        .agg(events=("id", "size"), killed=("killed", "sum"))
        .reset_index()
    )
    for n, (group, rows) in enumerate(cells.groupby(color_by, sort=True)):
        key = str(group)
        color = THEATER_COLORS.get(key, OKABE_ITO[n % len(OKABE_ITO)]) if color_by == "theater" else OKABE_ITO[n % 8]
        figure.add_trace(
            go.Scattergeo(
                lat=rows["cell_lat"],
                lon=rows["cell_lon"],
                mode="markers",
                name=tr(
                    "{label} (per {size}° cell)", label=labels.get(key, key), size=format_count(GRID_DEGREES, lang)
                ),
                marker={"size": marker_size(rows["events"]), "color": color, "opacity": 0.6},
                text=[
                    tr(
                        "{events} events, {killed} killed",
                        events=format_count(int(count), lang),
                        killed=format_count(int(killed), lang),
                    )
                    + "<br>"
                    + tr("cell at {lat}°, {lon}°", lat=format_count(lat, lang), lon=format_count(lon, lang))
                    for count, killed, lat, lon in zip(
                        rows["events"], rows["killed"], rows["cell_lat"], rows["cell_lon"], strict=True
                    )
                ],
                hovertemplate="%{text}<extra></extra>",
            )
        )


def map_figure(
    events: pd.DataFrame,
    *,
    color_by: ColorBy = "theater",
    title: str | None = None,
    lang: str = SOURCE_LANGUAGE,
) -> go.Figure:
    tr = partial(translate, lang)
    title = tr("Where events happened") if title is None else title
    figure = go.Figure()
    points = located(events)
    labels = {
        key: translate(lang, label)
        for key, label in (THEATER_LABELS if color_by == "theater" else CATEGORY_LABELS).items()
    }
    if len(points) > MAX_MAP_POINTS:
        _add_grid_cells(figure, points, color_by, labels, lang)
        points = points.iloc[0:0]
    for n, (group, rows) in enumerate(points.groupby(color_by, sort=True)):
        key = str(group)
        color = THEATER_COLORS.get(key, OKABE_ITO[n % len(OKABE_ITO)]) if color_by == "theater" else OKABE_ITO[n % 8]
        figure.add_trace(
            go.Scattergeo(
                lat=rows["lat"],
                lon=rows["lon"],
                mode="markers",
                name=labels.get(key, key),
                marker={
                    "size": marker_size(rows["killed"]),
                    "color": color,
                    "symbol": [PRECISION_SYMBOLS.get(p, "circle") for p in rows["coord_precision"]],
                    "line": {"width": 2, "color": color},
                    "opacity": 0.85,
                },
                customdata=rows[["id"]].to_numpy(),
                hovertext=_hover(rows, lang),
                hovertemplate="%{hovertext}<extra></extra>",
            )
        )
    strikes_without = unlocated(events)
    strikes_without = strikes_without.loc[
        (strikes_without["category"] == "strike") & strikes_without["theater"].isin(list(THEATER_LABEL_POINTS))
    ]
    if len(strikes_without):
        summary = (
            strikes_without.groupby("theater")
            .agg(
                records=("id", "size"), strikes=("strikes", "sum"), killed=("killed", "sum"), vessels=("vessels", "sum")
            )
            .reset_index()
        )
        summary_rows: list[Any] = list(summary.itertuples())
        figure.add_trace(
            go.Scattergeo(
                lat=[THEATER_LABEL_POINTS[t][0] for t in summary["theater"]],
                lon=[THEATER_LABEL_POINTS[t][1] for t in summary["theater"]],
                mode="markers+text",
                name=tr("Strikes, location not published (theater only)"),
                marker={
                    "size": marker_size(summary["killed"]),
                    "symbol": "diamond-open",
                    "color": "#444444",
                    "line": {"width": 2},
                },
                text=[
                    tr(
                        "{strikes} strikes, {killed} killed",
                        strikes=format_count(int(r.strikes), lang),
                        killed=format_count(int(r.killed), lang),
                    )
                    for r in summary_rows
                ],
                textposition="bottom center",
                hovertext=[
                    "<b>"
                    + inert(tr("{theater}: location not published", theater=theater_label(r.theater, lang)))
                    + "</b><br>"
                    + tr(
                        "{strikes} strikes in {records} announcements, {boats} boats, {killed} killed (as announced)",
                        strikes=format_count(int(r.strikes), lang),
                        records=format_count(int(r.records), lang),
                        boats=format_count(int(r.vessels), lang),
                        killed=format_count(int(r.killed), lang),
                    )
                    + "<br>"
                    + inert(tr("Drawn at the theater's label point, not at any event's position."))
                    for r in summary_rows
                ],
                hovertemplate="%{hovertext}<extra></extra>",
            )
        )
    base_layout(figure, title=title, height=620, lang=lang)
    figure.update_geos(
        resolution=50,
        showcountries=True,
        countrycolor="#9E9E9E",
        showcoastlines=True,
        coastlinecolor="#616161",
        showland=True,
        landcolor="#F2EFE9",
        showocean=True,
        oceancolor="#E3EEF7",
        projection_type="mercator",
        **DEFAULT_VIEW,
    )
    figure.update_layout(margin={"l": 0, "r": 0, "b": 0})  # the top margin is base_layout's (title and legend rows)
    return figure


def theater_label(theater: object, lang: str = SOURCE_LANGUAGE) -> str:
    return translate(lang, THEATER_LABELS.get(str(theater), str(theater)))


def map_text(events: pd.DataFrame, *, lang: str = SOURCE_LANGUAGE) -> str:
    tr = partial(translate, lang)
    points, rest = located(events), unlocated(events)
    precision = points["coord_precision"].value_counts()
    words = precision_labels(lang)
    split = ", ".join(f"{format_count(int(count), lang)} {words.get(str(p), str(p))}" for p, count in precision.items())
    return tr(
        "{n} events with a published location ({split}); {rest} without one, listed below the map.",
        n=format_count(len(points), lang),
        split=split or tr("none"),
        rest=format_count(len(rest), lang),
    )
