"""Charts in Spanish: every text a figure shows (titles, axes, legend, hover, date ticks, alt text) follows the
language, and no number changes with it."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import plotly.graph_objects as go
import pytest

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
from components.geo import map_figure, map_text
from components.stances import matrix_text, stance_matrix_figure
from components.style import date_ticks
from components.timeline import MAX_EVENT_POINTS, timeline_figure, timeline_text
from data.frames import events_frame, stances_frame, trackers_frame
from data.loading import load_dataset
from data.metrics import by_theater, cumulative, monthly, stance_matrix
from tests.conftest import MINI
from tests.unit.test_i18n import messages_in_code

SPANISH_MONTHS = {"ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct", "nov", "dic"}


@pytest.fixture(scope="module")
def dataset():  # noqa: ANN201
    return load_dataset(MINI, today=dt.date(2026, 11, 25))


@pytest.fixture(scope="module")
def events(dataset) -> pd.DataFrame:  # noqa: ANN001
    return events_frame(dataset)


def _numbers(figure: go.Figure) -> list[tuple[object, ...]]:
    """Every number a figure plots, per trace (x, y, lat, lon, marker sizes, customdata ids)."""
    out = []
    for trace in figure.data:
        values = []
        for field in ("x", "y", "lat", "lon"):
            value = getattr(trace, field, None)
            if value is not None and not isinstance(value[0], str):
                values.append(tuple(pd.Series(value).astype(str)))
        size = getattr(trace.marker, "size", None) if "marker" in trace else None
        if size is not None and not isinstance(size, (int, float)):
            values.append(tuple(size))
        if getattr(trace, "customdata", None) is not None and isinstance(trace.customdata[0], (list, tuple)):
            values.append(tuple(map(tuple, trace.customdata)))
        out.append(tuple(values))
    return out


def _texts(figure: go.Figure) -> list[str]:
    """Every piece of text a reader sees on the figure."""
    layout = figure.layout
    texts = [layout.title.text or ""]
    for axis in (layout.xaxis, layout.yaxis):
        texts.append(axis.title.text or "")
        texts.extend(axis.ticktext or ())
    for trace in figure.data:
        texts.append(trace.name or "")
        for field in ("hovertext", "text", "customdata"):
            value = getattr(trace, field, None)
            if value is not None and len(value) and isinstance(value[0], str):
                texts.extend(value)
        texts.append(trace.hovertemplate or "")
    return texts


def _english_messages() -> set[str]:
    """The components' English messages without placeholders (what a Spanish figure must never show)."""
    return {
        message
        for message, where in messages_in_code().items()
        if where.startswith("components/") and "{" not in message and len(message) > 5
    }


def _assert_no_english(figure: go.Figure) -> None:
    english = _english_messages()
    shown = [text for text in _texts(figure) if text]
    leftovers = sorted({message for message in english for text in shown if message in text})
    assert leftovers == []


def test_running_totals_in_spanish_have_the_same_numbers(events: pd.DataFrame) -> None:
    running = cumulative(events)
    english, spanish = cumulative_figure(running), cumulative_figure(running, lang="es")
    assert [trace.name for trace in spanish.data] == [
        "Muertos, cifra más alta reportada",
        "Rango reportado",
        "Personas muertas",
        "Embarcaciones atacadas",
        "Ataques",
    ]
    assert spanish.layout.title.text == "Totales acumulados (según lo anunciado)"
    assert spanish.layout.yaxis.title.text == "Recuento acumulado"
    assert _numbers(spanish) == _numbers(english) and list(spanish.data[2].y) == [11, 25, 29]
    assert spanish.layout.separators == ",." and english.layout.separators == ".,"
    # hover dates written in Spanish, not by Plotly (whose month names are English)
    assert spanish.data[2].customdata[0] == "2 sept 2025" and "%{x|" not in spanish.data[2].hovertemplate
    # date ticks placed and written here, in Spanish; English keeps Plotly's ticks that follow the zoom
    assert spanish.layout.xaxis.tickmode == "array"
    assert all(
        re.fullmatch(r"\d{1,2} (\w+)", tick).group(1) in SPANISH_MONTHS for tick in spanish.layout.xaxis.ticktext
    )
    assert english.layout.xaxis.tickvals is None
    _assert_no_english(spanish)


def test_monthly_and_theater_bars_in_spanish(events: pd.DataFrame) -> None:
    months, totals = monthly(events), by_theater(events)
    english, spanish = monthly_figure(months), monthly_figure(months, lang="es")
    assert {trace.name for trace in spanish.data} == {"Caribe", "Pacífico oriental"}
    assert _numbers(spanish) == _numbers(english) and sum(sum(trace.y) for trace in spanish.data) == 29
    assert list(spanish.layout.xaxis.ticktext) == ["sept 2025", "oct 2025", "nov 2025"]
    assert spanish.layout.yaxis.title.text == "Muertos"
    assert spanish.layout.title.text == "Personas muertas por mes, por teatro de operaciones"
    _assert_no_english(spanish)
    english, spanish = theater_figure(totals), theater_figure(totals, lang="es")
    killed = next(trace for trace in spanish.data if trace.name == "Personas muertas")
    assert dict(zip(killed.y, killed.x, strict=True)) == {"Caribe": 15, "Pacífico oriental": 14}
    assert [trace.name for trace in spanish.data] == [
        "Personas muertas",
        "Embarcaciones atacadas",
        "Ataques",
        "Sobrevivientes",
    ]
    assert [list(trace.x) for trace in spanish.data] == [list(trace.x) for trace in english.data]
    assert spanish.layout.title.text == "Totales por teatro de operaciones"
    _assert_no_english(spanish)


def test_tracker_comparison_in_spanish(dataset, events: pd.DataFrame) -> None:  # noqa: ANN001
    running, trackers = cumulative(events), trackers_frame(dataset)
    english = tracker_comparison_figure(running, trackers)
    spanish = tracker_comparison_figure(running, trackers, lang="es")
    assert _numbers(spanish) == _numbers(english)
    assert spanish.data[2].hovertext == ("Example Tracker: 30 muertos",)
    assert spanish.data[2].text[0].startswith("al ")
    assert spanish.layout.yaxis.title.text == "Personas muertas (acumulado)"
    _assert_no_english(spanish)


def test_timeline_in_spanish_has_spanish_lanes_and_the_same_points(events: pd.DataFrame) -> None:
    english, spanish = timeline_figure(events), timeline_figure(events, lang="es")
    assert _numbers(spanish) == _numbers(english)
    assert [list(c) for c in spanish.data[0].customdata] == [list(c) for c in english.data[0].customdata]
    assert set(spanish.data[0].y) == {"Ataque", "Designación", "Declaración"}
    assert list(spanish.layout.yaxis.categoryarray) == ["Declaración", "Designación", "Ataque", "★ Hitos clave"]
    assert [trace.name for trace in spanish.data] == ["Eventos", "Hito clave"]
    assert spanish.layout.title.text == "Cronología de los eventos"
    assert any("Muertos (según lo anunciado): 14" in line for line in spanish.data[0].hovertext)
    assert "2 sept 2025" in spanish.data[0].hovertext[0]
    _assert_no_english(spanish)
    by_theater_lanes = timeline_figure(events, lane="theater", lang="es")
    assert set(by_theater_lanes.data[0].y) == {"Caribe", "Pacífico oriental", "Estados Unidos", "Venezuela"}


def test_a_summed_timeline_in_spanish(events: pd.DataFrame) -> None:
    many = pd.concat([events] * (MAX_EVENT_POINTS // len(events) + 1), ignore_index=True)
    english, spanish = timeline_figure(many), timeline_figure(many, lang="es")
    assert "eventos por día" in spanish.layout.title.text
    assert _numbers(spanish) == _numbers(english)
    assert "Día: 2 sept 2025" in " ".join(spanish.data[0].text)
    _assert_no_english(spanish)


def test_stance_matrix_in_spanish(dataset) -> None:  # noqa: ANN001
    actors = [("ve-maduro", "Maduro government"), ("co-colombia", "Colombia")]
    issues = [("boat-strikes", "Boat strikes"), ("negotiations", "Talks")]
    matrix = stance_matrix(stances_frame(dataset))
    english = stance_matrix_figure(matrix, actors=actors, issues=issues, title="Posiciones")
    spanish = stance_matrix_figure(matrix, actors=actors, issues=issues, title="Posiciones", lang="es")
    by_name = {trace.name: trace for trace in spanish.data}
    assert set(by_name) == {"No se encontró evidencia", "▲ A favor", "▼ En contra"}
    assert [list(c) for c in by_name["▲ A favor"].customdata] == [["ve-maduro", "negotiations"]]
    assert _numbers(spanish) == _numbers(english)
    assert "(al " in by_name["▲ A favor"].hovertext[0]
    # the hover names actor and issue as the axes do (the page passes them in the reader's language)
    spanish_names = stance_matrix_figure(
        matrix, actors=[("ve-maduro", "Gobierno de Maduro"), actors[1]], issues=issues, title="Posiciones", lang="es"
    )
    support = next(trace for trace in spanish_names.data if trace.name == "▲ A favor")
    assert support.hovertext[0].startswith("<b>Gobierno de Maduro · Talks</b>")
    assert matrix_text(matrix, 2, 2, lang="es").startswith(
        "2 de 4 celdas actor-tema tienen evidencia fechada (1 a favor"
    )
    _assert_no_english(spanish)


def test_map_in_spanish(events: pd.DataFrame) -> None:
    english, spanish = map_figure(events), map_figure(events, lang="es")
    assert _numbers(spanish) == _numbers(english)
    names = [trace.name for trace in spanish.data]
    assert "Pacífico oriental" in names and spanish.layout.title.text == "Dónde ocurrieron los eventos"
    assert all(
        "Ubicación: " in line
        for trace in spanish.data
        if trace.hovertext and trace.name == "Pacífico oriental"
        for line in trace.hovertext
    )
    assert map_text(events, lang="es").endswith("listados debajo del mapa.")
    _assert_no_english(spanish)


def test_alt_texts_in_spanish_keep_the_numbers(dataset, events: pd.DataFrame) -> None:  # noqa: ANN001
    running, months, totals = cumulative(events), monthly(events), by_theater(events)
    assert timeline_text(events, lang="es") == (
        "5 eventos del 2 sept 2025 al 17 nov 2025: ataque (3), designación (1), declaración (1)."
    )
    assert cumulative_text(running, lang="es") == (
        "Totales acumulados del 2 sept 2025 al 10 nov 2025: 29 muertos, 6 embarcaciones, 5 ataques "
        "(según lo anunciado)."
    )
    assert monthly_text(months, lang="es") == "Personas muertas por mes; la cifra más alta, 14, en octubre de 2025."
    assert theater_text(totals, lang="es").startswith("Totales por teatro de operaciones. Caribe: 15 muertos")
    assert tracker_text(trackers_frame(dataset), lang="es").startswith("Nuestro total acumulado de personas muertas")
    for english, spanish in (
        (timeline_text(events), timeline_text(events, lang="es")),
        (cumulative_text(running), cumulative_text(running, lang="es")),
        (theater_text(totals), theater_text(totals, lang="es")),
        (map_text(events), map_text(events, lang="es")),
    ):
        assert re.findall(r"\d+", english.replace("Sep", "").replace("Nov", "")) == re.findall(r"\d+", spanish)


def test_spanish_date_ticks_follow_the_range() -> None:
    days, labels = date_ticks(pd.Timestamp("2025-09-02"), pd.Timestamp("2025-09-16"), "es")
    assert labels[0] == "2 sept" and len(labels) <= 9 and days[0] == dt.date(2025, 9, 2)
    _, labels = date_ticks(pd.Timestamp("2025-08-01"), pd.Timestamp("2026-06-22"), "es")
    assert labels == ["sept 2025", "nov 2025", "ene 2026", "mar 2026", "may 2026"]
    _, labels = date_ticks(pd.Timestamp("2010-01-01"), pd.Timestamp("2026-06-22"), "es")
    assert labels[0] == "2010" and len(labels) <= 9
