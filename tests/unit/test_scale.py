"""At scale the charts aggregate, so the browser never receives one point per event."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest

from components.geo import MAX_MAP_POINTS, map_figure
from components.timeline import MAX_EVENT_POINTS, aggregate, timeline_figure
from data.frames import events_frame
from data.loading import load_dataset
from tests.conftest import MINI


@pytest.fixture(scope="module")
def many() -> pd.DataFrame:
    """The fixture's events repeated over 400 days: 5 * 1,200 = 6,000 events."""
    base = events_frame(load_dataset(MINI, today=dt.date(2026, 11, 25)))
    copies = []
    for n in range(1200):
        copy = base.copy()
        copy["id"] = copy["id"] + f"-{n}"
        copy["date"] = copy["date"] + pd.Timedelta(days=n % 400)
        copy["lat"] = copy["lat"] + (n % 40) * 0.3
        copies.append(copy)
    return pd.concat(copies, ignore_index=True)


def test_aggregate_counts_every_event_once(many: pd.DataFrame) -> None:
    grouped, period = aggregate(many, "category")
    assert grouped["events"].sum() == len(many)
    assert grouped["killed"].sum() == many["killed"].sum()
    assert period == "day" and len(grouped) <= MAX_EVENT_POINTS


def test_aggregate_coarsens_the_period_to_stay_under_the_limit(many: pd.DataFrame) -> None:
    grouped, period = aggregate(many, "category", max_points=100)
    assert period == "month" and len(grouped) <= 100
    assert grouped["events"].sum() == len(many)


def test_large_timeline_is_aggregated_and_small(many: pd.DataFrame) -> None:
    figure = timeline_figure(many)
    points = sum(len(trace.x) for trace in figure.data)
    assert points < len(many) and points <= MAX_EVENT_POINTS
    assert "events per day" in figure.layout.title.text
    assert len(json.dumps(figure.to_plotly_json(), default=str)) < 2_000_000


def test_large_map_is_summed_per_grid_cell(many: pd.DataFrame) -> None:
    located = many["lat"].notna().sum()
    assert located > MAX_MAP_POINTS
    figure = map_figure(many)
    cells = [trace for trace in figure.data if "cell" in trace.name]
    assert sum(len(trace.lat) for trace in cells) < located
    assert sum(int(text.split(" ")[0]) for trace in cells for text in trace.text) == located
