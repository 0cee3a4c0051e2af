"""Counters equal hand-computed sums on the fixture dataset; filters select what they say."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from data.filters import Filters
from data.frames import events_frame, stances_frame
from data.loading import load_dataset
from data.metrics import (
    MONTHLY_COLUMNS,
    RUNNING_COLUMNS,
    SUMMARY_COLUMNS,
    THEATER_COLUMNS,
    by_theater,
    casualty_summary,
    cumulative,
    monthly,
    stance_history,
    stance_matrix,
)
from tests.conftest import MINI


@pytest.fixture(scope="module")
def events() -> pd.DataFrame:
    return events_frame(load_dataset(MINI, today=dt.date(2026, 11, 25)))


@pytest.fixture(scope="module")
def stances() -> pd.DataFrame:
    return stances_frame(load_dataset(MINI, today=dt.date(2026, 11, 25)))


def test_summary_matches_hand_sums(events: pd.DataFrame) -> None:
    summary = casualty_summary(events)
    # 1 + 3 + 1 strikes; 1 + 4 + 1 boats; 11 + 14 + 4 killed; 0 + 1 + 2 survivors, 1 presumed dead.
    assert (summary.announcements, summary.strikes, summary.vessels) == (3, 5, 6)
    assert (summary.killed, summary.killed_low, summary.killed_high) == (29, 29, 30)
    assert (summary.survivors, summary.presumed_dead) == (3, 1)
    assert summary.has_range
    assert summary.first == dt.date(2025, 9, 2)
    assert summary.as_of == dt.date(2025, 11, 10)
    assert summary.source_count == 3
    assert summary.official_only == 1


def test_summary_needs_only_its_declared_columns(events: pd.DataFrame) -> None:
    """The What-changed report passes only SUMMARY_COLUMNS (for speed): the summary must not read any other."""
    assert casualty_summary(events[SUMMARY_COLUMNS]) == casualty_summary(events)


def test_aggregates_need_only_their_declared_columns(events: pd.DataFrame) -> None:
    """The dashboard passes each aggregate only its declared columns of the matching rows (for speed)."""
    pd.testing.assert_frame_equal(by_theater(events[THEATER_COLUMNS]), by_theater(events))
    pd.testing.assert_frame_equal(cumulative(events[RUNNING_COLUMNS]), cumulative(events))
    pd.testing.assert_frame_equal(monthly(events[MONTHLY_COLUMNS]), monthly(events))


def test_a_filters_mask_picks_the_rows_it_applies(events: pd.DataFrame) -> None:
    chosen = Filters(theaters=("caribbean",), start=dt.date(2025, 9, 10))
    mask = chosen.mask(events)
    assert mask.dtype == bool and len(mask) == len(events)
    pd.testing.assert_frame_equal(events.loc[mask], chosen.apply(events))
    assert 0 < int(mask.sum()) < len(events)


def test_summary_of_a_theater(events: pd.DataFrame) -> None:
    summary = casualty_summary(Filters(theaters=("caribbean",)).apply(events))
    assert (summary.strikes, summary.vessels, summary.killed, summary.survivors) == (2, 2, 15, 2)
    assert not summary.has_range


def test_summary_of_nothing_is_zero(events: pd.DataFrame) -> None:
    summary = casualty_summary(events.iloc[0:0])
    assert (summary.strikes, summary.killed, summary.as_of) == (0, 0, None)


def test_by_theater(events: pd.DataFrame) -> None:
    table = by_theater(events).set_index("theater")
    assert table.loc["eastern_pacific", "killed"] == 14
    assert table.loc["caribbean", "killed"] == 15
    assert table.loc["caribbean", "announcements"] == 2
    assert list(table.index) == ["caribbean", "eastern_pacific"]  # most killed first


def test_cumulative_runs_up_to_the_total(events: pd.DataFrame) -> None:
    running = cumulative(events)
    assert running["killed"].tolist() == [11, 25, 29]
    assert running["killed_high"].tolist() == [11, 26, 30]
    assert running["vessels"].iloc[-1] == 6


def test_monthly_groups_by_month_and_theater(events: pd.DataFrame) -> None:
    per_month = monthly(events)
    october = per_month.loc[per_month["month"] == pd.Timestamp("2025-10-01")]
    assert october[["theater", "killed"]].values.tolist() == [["eastern_pacific", 14]]
    assert per_month["killed"].sum() == 29


@pytest.mark.parametrize(
    ("filters", "expected_ids"),
    [
        (Filters(), 5),
        (Filters(start=dt.date(2025, 10, 1)), 4),
        (Filters(end=dt.date(2025, 10, 27)), 2),
        (Filters(categories=("strike",)), 3),
        (Filters(categories=("statement", "designation")), 2),
        (Filters(theaters=("venezuela",)), 1),
        (Filters(actors=("ve-maduro",)), 2),
        (Filters(text="SURVIVOR"), 1),
        (Filters(text="no such words"), 0),
        (Filters(categories=("strike",), theaters=("caribbean",), start=dt.date(2025, 11, 1)), 1),
    ],
)
def test_filters_select_rows(events: pd.DataFrame, filters: Filters, expected_ids: int) -> None:
    assert len(filters.apply(events)) == expected_ids


def test_filters_do_not_mutate_their_input(events: pd.DataFrame) -> None:
    before = events.copy()
    Filters(categories=("strike",)).apply(events)
    pd.testing.assert_frame_equal(events, before)


def test_filter_description_names_every_choice() -> None:
    text = Filters(start=dt.date(2025, 9, 1), categories=("strike",), text="boat").describe()
    assert text == '01 Sep 2025 – latest; categories: strike; text: "boat"'
    assert Filters().describe() == "all events"


def test_stance_matrix_keeps_the_latest_on_or_before_the_date(stances: pd.DataFrame) -> None:
    latest = stance_matrix(stances).set_index(["actor", "issue"])
    assert latest.loc[("ve-maduro", "negotiations"), "position"] == "support"
    earlier = stance_matrix(stances, dt.date(2025, 10, 1)).set_index(["actor", "issue"])
    assert earlier.loc[("ve-maduro", "negotiations"), "position"] == "mixed"
    assert len(stance_matrix(stances, dt.date(2025, 9, 1))) == 0


def test_stance_history_is_newest_first(stances: pd.DataFrame) -> None:
    history = stance_history(stances, "ve-maduro", "negotiations")
    assert history["position"].tolist() == ["support", "mixed"]


def test_free_text_search_ignores_accents_and_case() -> None:
    from data.localise import fold

    frame = pd.DataFrame(
        {
            "search_text": [fold("Delcy Rodríguez sworn in"), fold("Lancha atacada en el Pacífico")],
            "known_until": [pd.NaT, pd.NaT],
        }
    )
    assert Filters(text="rodriguez").apply(frame).index.tolist() == [0]
    assert Filters(text="PACIFICO").apply(frame).index.tolist() == [1]
    assert Filters(text="Rodríguez").apply(frame).index.tolist() == [0]


def test_latest_lists_put_the_newest_first_and_the_later_record_first_on_a_tie() -> None:
    from dashboard.context import newest_first

    dates = pd.to_datetime(["2025-09-02", "2025-10-01", "2025-10-01", "2025-09-15"]).to_numpy()
    assert newest_first(dates, 3).tolist() == [2, 1, 3]
    assert newest_first(dates, 10).tolist() == [2, 1, 3, 0]
