"""Projector readability on the figure objects: type sizes, dates on short ranges, labelled key milestones, and the
presenter's re-layout."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from components.casualties import cumulative_figure
from components.style import PRESENTER_CHART_HEIGHT, PRESENTER_FONT_SIZES, for_the_room
from components.timeline import (
    LABEL_WIDTH_PER_CHAR,
    MAX_MILESTONE_LABELS,
    MILESTONE_LANE,
    TOP_AXIS_HEIGHT,
    campaign_range,
    short_label,
    timeline_figure,
)
from data.frames import events_frame
from data.loading import load_dataset
from data.metrics import cumulative
from tests.conftest import BUNDLED, MINI


@pytest.fixture(scope="module")
def events() -> pd.DataFrame:
    return events_frame(load_dataset(MINI, today=dt.date(2026, 11, 25)))


@pytest.fixture(scope="module")
def bundled_events() -> pd.DataFrame:
    return events_frame(load_dataset(BUNDLED))


def test_chart_text_is_at_least_14_px(events: pd.DataFrame) -> None:
    for figure in (timeline_figure(events), cumulative_figure(cumulative(events))):
        layout = figure.layout
        assert layout.font.size >= 14 and layout.title.font.size >= 14
        assert layout.xaxis.tickfont.size >= 14 and layout.yaxis.tickfont.size >= 14
        assert layout.legend.font.size >= 14


def test_a_one_day_view_has_date_ticks_and_a_readable_range(events: pd.DataFrame) -> None:
    one_day = events.loc[events["date"] == events["date"].max()]
    figure = timeline_figure(one_day)
    axis = figure.layout.xaxis
    assert axis.type == "date"
    formats = {tuple(stop.dtickrange): stop.value for stop in axis.tickformatstops}
    assert formats[(None, 86_400_000)] == "%d %b %Y"  # never "23:59:59.999 Jan 2"
    start, end = (pd.Timestamp(x) for x in axis.range)
    assert end - start == pd.Timedelta(days=14) and start < one_day["date"].max() < end


def test_key_milestones_are_a_short_labelled_list(bundled_events: pd.DataFrame) -> None:
    milestones = bundled_events.drop_duplicates("id", keep="last")
    assert 12 <= int(milestones["milestone"].sum()) <= 16
    figure = timeline_figure(bundled_events)
    stars = next(trace for trace in figure.data if trace.name == "Key milestone")
    assert set(stars.y) == {MILESTONE_LANE} and "text" in stars.mode
    labelled = [(x, text) for x, text in zip(stars.x, stars.text, strict=True) if text]
    assert 3 <= len(labelled) <= MAX_MILESTONE_LABELS
    # no two labels overlap (by the builder's own width estimate)
    first, last = bundled_events["date"].min(), bundled_events["date"].max()
    spans = sorted(
        (
            (pd.Timestamp(x) - first) / (last - first) - len(text) * LABEL_WIDTH_PER_CHAR / 2,
            (pd.Timestamp(x) - first) / (last - first) + len(text) * LABEL_WIDTH_PER_CHAR / 2,
        )
        for x, text in labelled
    )
    assert all(left[1] <= right[0] for left, right in zip(spans, spans[1:], strict=False))
    # the tall full timeline shows its dates at the top, where they are on screen
    assert figure.layout.height > TOP_AXIS_HEIGHT and figure.layout.xaxis.side == "top"


def test_short_labels_cut_at_a_word() -> None:
    assert short_label("Short") == "Short"
    label = short_label("Operation Absolute Resolve captures Maduro and Cilia Flores in Caracas")
    assert label == "Operation Absolute…" and len(label) <= 24


def test_milestone_labels_are_inert(events: pd.DataFrame) -> None:
    hostile = events.assign(title="<b>x</b>", milestone=True)
    stars = timeline_figure(hostile).data[-1]
    assert all("<b>" not in text for text in stars.text)


@pytest.mark.parametrize("size", list(PRESENTER_FONT_SIZES))
def test_for_the_room_enlarges_text_and_fits_the_screen(events: pd.DataFrame, size: str) -> None:
    figure = for_the_room(timeline_figure(events), size=size)
    font = PRESENTER_FONT_SIZES[size]
    layout = figure.layout
    assert font >= 16 and layout.font.size == font and layout.legend.font.size == font
    assert layout.xaxis.tickfont.size == font and layout.yaxis.tickfont.size == font
    assert layout.title.font.size > font
    assert layout.height <= PRESENTER_CHART_HEIGHT


def test_presenter_timeline_opens_on_the_strike_campaign(bundled_events: pd.DataFrame) -> None:
    start, end = campaign_range(bundled_events)
    first_strike = bundled_events.loc[bundled_events["category"] == "strike", "date"].min()
    assert start == first_strike - pd.Timedelta(days=30) and end > bundled_events["date"].max()
    figure = timeline_figure(bundled_events, campaign_focus=True)
    assert [pd.Timestamp(x) for x in figure.layout.xaxis.range] == [start, end]
    stars = next(trace for trace in figure.data if trace.name == "Key milestone")
    labelled = [pd.Timestamp(x) for x, text in zip(stars.x, stars.text, strict=True) if text]
    assert labelled and all(day >= start for day in labelled)
    # without the focus (or on a short span) the whole range shows
    assert timeline_figure(bundled_events).layout.xaxis.range is None
    assert campaign_range(bundled_events.loc[bundled_events["date"] >= first_strike]) is None


def test_a_long_legend_gets_its_own_band_under_the_title(events: pd.DataFrame) -> None:
    figure = cumulative_figure(cumulative(events))  # four legend entries: they wrap in a narrow column
    layout = figure.layout
    assert layout.title.yref == "container" and layout.title.y == 1 and layout.title.yanchor == "top"
    assert layout.margin.t >= 100  # title (~35 px) plus two legend rows above the plot


def test_stance_headers_wrap_instead_of_overlapping() -> None:
    from components.stances import _two_lines

    assert _two_lines("Boat strikes") == "Boat strikes"
    assert _two_lines("Talks with Maduro") == "Talks with<br>Maduro"
    assert _two_lines("<b>Regime change</b>") == "&lt;b&gt;Regime<br>change&lt;/b&gt;"
