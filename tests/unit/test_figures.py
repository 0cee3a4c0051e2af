"""Figure builders are checked on the figure object: traces, values, labels, and inert text."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import plotly.graph_objects as go
import pytest

from components.casualties import cumulative_figure, monthly_figure, theater_figure, tracker_comparison_figure
from components.stances import NO_EVIDENCE, matrix_text, stance_matrix_figure
from components.timeline import MILESTONE_LANE, WEBGL_THRESHOLD, marker_size, timeline_figure, timeline_text
from data.frames import events_frame, stances_frame, trackers_frame
from data.loading import load_dataset
from data.metrics import by_theater, cumulative, monthly, stance_matrix
from tests.conftest import MINI


@pytest.fixture(scope="module")
def dataset():  # noqa: ANN201
    return load_dataset(MINI, today=dt.date(2026, 11, 25))


@pytest.fixture(scope="module")
def events(dataset) -> pd.DataFrame:  # noqa: ANN001
    return events_frame(dataset)


def test_timeline_puts_each_event_in_its_lane_plus_milestones(events: pd.DataFrame) -> None:
    figure = timeline_figure(events, lane="category")
    assert [trace.name for trace in figure.data] == ["Events", "Key milestone"]
    points = figure.data[0]
    assert list(zip(points.customdata[:, 0], points.y, strict=True)) == [
        ("strike-2025-09-02-caribbean", "Strike"),
        ("strike-2025-10-27-eastern-pacific", "Strike"),
        ("strike-2025-11-10-caribbean", "Strike"),
        ("designation-2025-11-16-fto", "Designation"),
        ("statement-2025-11-17-talks", "Statement"),
    ]
    # marker area grows with the dead: the 14-death strike is the largest.
    assert points.marker.size[1] == max(points.marker.size)
    assert len(set(points.marker.color)) == 3  # one colour per lane
    milestones = figure.data[-1]
    assert set(milestones.y) == {MILESTONE_LANE} and len(milestones.x) == 2
    # lanes bottom to top, milestones on top
    assert list(figure.layout.yaxis.categoryarray) == ["Statement", "Designation", "Strike", MILESTONE_LANE]


def test_timeline_by_theater_uses_theater_lanes(events: pd.DataFrame) -> None:
    figure = timeline_figure(events, lane="theater")
    assert set(figure.data[0].y) == {"Caribbean", "Eastern Pacific", "United States", "Venezuela"}


def test_timeline_hover_text_is_escaped(events: pd.DataFrame) -> None:
    hostile = events.copy()
    hostile.loc[hostile.index[0], "title"] = "<img src=x onerror=alert(1)>"
    figure = timeline_figure(hostile)
    hover = " ".join(figure.data[0].hovertext)
    assert "<img" not in hover and "&lt;img src=x onerror=alert(1)&gt;" in hover


def test_timeline_switches_to_webgl_for_large_lanes(events: pd.DataFrame) -> None:
    many = pd.concat([events.iloc[[0]]] * (WEBGL_THRESHOLD + 1), ignore_index=True)
    figure = timeline_figure(many)
    assert isinstance(figure.data[0], go.Scattergl)
    assert isinstance(timeline_figure(events).data[0], go.Scatter)


def test_marker_size_is_monotonic_and_has_a_floor() -> None:
    sizes = marker_size(pd.Series([None, 0, 1, 4, 16], dtype="Int64"))
    assert sizes[0] == sizes[1] == 9
    assert list(sizes[2:]) == [13, 17, 25]


def test_timeline_text_summarises(events: pd.DataFrame) -> None:
    assert timeline_text(events) == ("5 events from 2 Sep 2025 to 17 Nov 2025: 3 strike, 1 designation, 1 statement.")
    assert timeline_text(events.iloc[0:0]) == "No events match the filters."


def test_cumulative_figure_has_range_band_and_three_lines(events: pd.DataFrame) -> None:
    figure = cumulative_figure(cumulative(events))
    names = [trace.name for trace in figure.data]
    assert names == ["Killed, highest reported", "Range reported", "People killed", "Boats hit", "Strikes"]
    assert list(figure.data[2].y) == [11, 25, 29]
    assert figure.layout.title.text == "Running totals (as announced)"


def test_cumulative_figure_without_ranges_has_no_band(events: pd.DataFrame) -> None:
    caribbean = events.loc[events["theater"] == "caribbean"]
    assert [t.name for t in cumulative_figure(cumulative(caribbean)).data] == ["People killed", "Boats hit", "Strikes"]


def test_monthly_figure_stacks_theaters(events: pd.DataFrame) -> None:
    figure = monthly_figure(monthly(events))
    assert figure.layout.barmode == "stack"
    assert {trace.name for trace in figure.data} == {"Caribbean", "Eastern Pacific"}
    assert sum(sum(trace.y) for trace in figure.data) == 29


def test_theater_figure_values(events: pd.DataFrame) -> None:
    figure = theater_figure(by_theater(events))
    killed = next(trace for trace in figure.data if trace.name == "People killed")
    assert dict(zip(killed.y, killed.x, strict=True)) == {"Caribbean": 15, "Eastern Pacific": 14}


def test_tracker_comparison_has_ours_and_theirs(dataset, events: pd.DataFrame) -> None:  # noqa: ANN001
    figure = tracker_comparison_figure(cumulative(events), trackers_frame(dataset))
    assert [trace.name for trace in figure.data] == [
        "This dataset: killed as announced",
        "This dataset: plus survivors presumed dead",
        "Totals other trackers published",
    ]
    assert list(figure.data[0].y) == [11, 25, 29]
    assert list(figure.data[1].y) == [11, 26, 30]  # the 27 Oct survivor, never found
    assert list(figure.data[2].y) == [30.0] and figure.data[2].hovertext == ("Example Tracker: 30 killed",)


def test_stance_matrix_draws_every_cell_and_marks_empty_ones(dataset) -> None:  # noqa: ANN001
    stances = stances_frame(dataset)
    actors = [("ve-maduro", "Maduro government"), ("co-colombia", "Colombia")]
    issues = [("boat-strikes", "Boat strikes"), ("negotiations", "Talks")]
    matrix = stance_matrix(stances)
    figure = stance_matrix_figure(matrix, actors=actors, issues=issues, title="Stances")
    by_name = {trace.name: trace for trace in figure.data}
    assert len(by_name[NO_EVIDENCE].x) == 2  # Maduro on strikes, Colombia on talks
    assert [list(c) for c in by_name["▲ Support"].customdata] == [["ve-maduro", "negotiations"]]
    assert [list(c) for c in by_name["▼ Oppose"].customdata] == [["co-colombia", "boat-strikes"]]
    total_cells = sum(len(trace.x) for trace in figure.data)
    assert total_cells == 4
    assert matrix_text(matrix, 2, 2).startswith("2 of 4 actor-issue cells have dated evidence (1 support, 0 mixed")
