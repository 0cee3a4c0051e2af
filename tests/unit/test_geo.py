"""The map builder: located events as markers, unlocated strikes summed per theater, never dropped."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from components.geo import PRECISION_SYMBOLS, THEATER_LABEL_POINTS, located, map_figure, map_text, unlocated
from data.frames import events_frame
from data.loading import load_dataset
from tests.conftest import MINI


@pytest.fixture(scope="module")
def events() -> pd.DataFrame:
    return events_frame(load_dataset(MINI, today=dt.date(2026, 11, 25)))


def test_every_event_is_either_on_the_map_or_in_the_list(events: pd.DataFrame) -> None:
    assert len(located(events)) + len(unlocated(events)) == len(events)
    assert set(located(events)["id"]) == {"strike-2025-10-27-eastern-pacific", "statement-2025-11-17-talks"}


def test_located_events_are_markers_with_their_precision(events: pd.DataFrame) -> None:
    figure = map_figure(events)
    by_name = {trace.name: trace for trace in figure.data}
    pacific = by_name["Eastern Pacific"]
    assert (list(pacific.lat), list(pacific.lon)) == ([11.6], [-105.3])
    assert list(pacific.marker.symbol) == [PRECISION_SYMBOLS["approximate"]]
    assert list(pacific.customdata[:, 0]) == ["strike-2025-10-27-eastern-pacific"]


def test_unlocated_strikes_are_summed_per_theater_at_its_label_point(events: pd.DataFrame) -> None:
    figure = map_figure(events)
    summary = next(trace for trace in figure.data if trace.name.startswith("Strikes, location not published"))
    # Two Caribbean strike records without a position: 1 + 1 strikes, 11 + 4 killed.
    assert list(summary.text) == ["2 strikes, 15 killed"]
    assert (summary.lat[0], summary.lon[0]) == THEATER_LABEL_POINTS["caribbean"]
    assert "not at any event's position" in summary.hovertext[0]


def test_map_uses_the_offline_resolution_and_region(events: pd.DataFrame) -> None:
    geo = map_figure(events).layout.geo
    assert geo.resolution == 50  # served from dashboard/static/world_50m.json
    assert tuple(geo.lataxis.range) == (-5.0, 32.0)


def test_map_colour_by_category(events: pd.DataFrame) -> None:
    names = {trace.name for trace in map_figure(events, color_by="category").data}
    assert {"Strike", "Statement"} <= names


def test_map_text(events: pd.DataFrame) -> None:
    assert map_text(events) == (
        "2 events with a published location (2 approximate); 3 without one, listed below the map."
    )
