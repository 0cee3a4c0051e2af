"""Data-quality checks that lock the bundled record in.

Cumulative totals at independently published checkpoints must equal the tracker's figure,
or differ by an amount explained here. Trackers that add survivors never found to the dead
are compared with our `killed + presumed_dead`; our `killed` alone is the announced figure.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pandas as pd
import pytest

from data.filters import Filters
from data.frames import event_states_frame, events_frame
from data.loading import Dataset, load_dataset
from tests.conftest import BUNDLED


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return load_dataset(BUNDLED)


@pytest.fixture(scope="module")
def strikes(dataset: Dataset) -> pd.DataFrame:
    events = events_frame(dataset)
    return events.loc[events["category"] == "strike"]


@pytest.fixture(scope="module")
def states(dataset: Dataset) -> pd.DataFrame:
    return event_states_frame(dataset)


def known_strikes(states: pd.DataFrame, day: str) -> pd.DataFrame:
    """The strike records as they stood on `day`: what a tracker publishing that day could have known."""
    events = Filters(known_on=dt.date.fromisoformat(day)).apply(states)
    return events.loc[events["category"] == "strike"]


def totals_through(strikes: pd.DataFrame, day: str) -> dict[str, int]:
    rows = strikes.loc[strikes["date"] <= pd.Timestamp(day)]
    sums = {
        column: int(rows[column].sum()) for column in ["strikes", "vessels", "killed", "survivors", "presumed_dead"]
    }
    sums["killed_incl_presumed"] = sums["killed"] + sums["presumed_dead"]
    return sums


def tracker(dataset: Dataset, tracker_id: str):  # noqa: ANN201
    return next(t for t in dataset.trackers if t.id == tracker_id)


def test_bundled_record_is_clean(dataset: Dataset) -> None:
    # No unused source, no source defined twice. (Tier and translation warnings are work lists, checked apart.)
    integrity = [w for w in dataset.warnings if "not cited" in w or "same URL" in w]
    assert integrity == []


def test_every_record_cites_a_source(dataset: Dataset) -> None:
    sources = {s.id for s in dataset.sources}
    for record in (*dataset.events, *dataset.stances, *dataset.trackers):
        assert record.sources and set(record.sources) <= sources, record.id


def test_no_strike_is_recorded_twice(strikes: pd.DataFrame) -> None:
    # One record per announced engagement-day and theater.
    repeated = Counter(zip(strikes["date"], strikes["theater"], strict=True))
    assert [key for key, count in repeated.items() if count > 1] == []


def test_the_campaign_starts_on_2_september_2025_with_11_killed(strikes: pd.DataFrame) -> None:
    first = strikes.sort_values("date").iloc[0]
    assert (first["date"], first["theater"], first["killed"]) == (pd.Timestamp("2025-09-02"), "caribbean", 11)


def test_27_october_multi_boat_announcement(strikes: pd.DataFrame) -> None:
    row = strikes.loc[strikes["id"] == "strike-2025-10-27-eastern-pacific"].iloc[0]
    assert (row["strikes"], row["vessels"], row["killed"], row["survivors"], row["presumed_dead"]) == (3, 4, 14, 1, 1)


def test_cnn_2_november_2025(dataset: Dataset, states: pd.DataFrame) -> None:
    theirs = tracker(dataset, "cnn-2025-11-02")
    ours = totals_through(known_strikes(states, "2025-11-02"), "2025-11-02")
    assert (ours["strikes"], ours["vessels"], ours["killed"]) == (theirs.strikes, theirs.vessels, theirs.killed)
    # As known on 2 Nov: the 16 Oct pair and the 27 Oct man, exactly CNN's 3 (the two 2 Sep survivors killed by a
    # follow-up strike became public on 28 Nov, a revision of that record).
    assert ours["survivors"] == theirs.survivors
    assert totals_through(known_strikes(states, "2025-11-28"), "2025-11-02")["survivors"] == theirs.survivors + 2


def test_just_security_6_november_2025(dataset: Dataset, states: pd.DataFrame) -> None:
    theirs = tracker(dataset, "justsecurity-2025-11-06")
    # Just Security's 6 Nov overview predates that day's strike (announced that evening).
    ours = totals_through(known_strikes(states, "2025-11-06"), "2025-11-05")
    assert ours["strikes"] == theirs.strikes
    # It adds the 27 Oct survivor, never found, to the dead, and so counts 2 survivors where we count 3.
    assert ours["killed_incl_presumed"] == theirs.killed
    assert ours["survivors"] == theirs.survivors + 1


@pytest.mark.parametrize(
    ("tracker_id", "as_of"),
    [
        ("southcom-2026-01-07", "2026-01-07"),  # 35 strikes, 36 boats, 123 incl. 9 presumed dead
        ("ap-2026-01-26", "2026-01-26"),  # 36 strikes, 126 incl. 10 presumed dead
        ("nyt-2026-02-05", "2026-02-05"),
        # 10 Feb: the 9 Feb survivor was still being searched for, so not yet among the presumed dead.
        ("pentagon-2026-02-10", "2026-02-10"),
    ],
)
def test_2026_checkpoints_match_killed_plus_presumed_dead_as_known_then(
    dataset: Dataset, states: pd.DataFrame, tracker_id: str, as_of: str
) -> None:
    theirs = tracker(dataset, tracker_id)
    ours = totals_through(known_strikes(states, as_of), as_of)
    assert ours["killed_incl_presumed"] == theirs.killed
    assert ours["strikes"] == theirs.strikes
    if theirs.vessels is not None:
        assert ours["vessels"] == theirs.vessels


def test_nyt_28_february_2026_omits_the_9_february_survivor(dataset: Dataset, states: pd.DataFrame) -> None:
    # CNN counted the 9 Feb survivor among the presumed dead once the search was suspended (known 21 Feb); the NYT's
    # 150 on 28 Feb does not, so we are one above it.
    theirs = tracker(dataset, "nyt-2026-02-28")
    ours = totals_through(known_strikes(states, "2026-02-28"), "2026-02-28")
    assert ours["strikes"] == theirs.strikes
    assert theirs.killed is not None and ours["killed_incl_presumed"] == theirs.killed + 1
    before = totals_through(known_strikes(states, "2026-02-20"), "2026-02-20")
    assert before["presumed_dead"] == ours["presumed_dead"] - 1


def test_april_2026_shortfall_is_the_documented_gap(dataset: Dataset, states: pd.DataFrame) -> None:
    theirs = tracker(dataset, "ap-2026-04-12")
    ours = totals_through(known_strikes(states, "2026-04-12"), "2026-04-12")
    assert theirs.killed is not None and theirs.killed - ours["killed_incl_presumed"] == 4
    assert any(gap.id == "gap-2026-03-04-missing-strikes" for gap in dataset.gaps)


def test_coverage_as_of_24_november_2025(strikes: pd.DataFrame) -> None:
    ours = totals_through(strikes, "2025-11-24")
    assert ours == {
        "strikes": 21,
        "vessels": 22,
        "killed": 82,
        "survivors": 5,
        "presumed_dead": 1,
        "killed_incl_presumed": 83,
    }


def test_key_milestones_of_the_brief_are_present(dataset: Dataset) -> None:
    by_id = {event.id: event for event in dataset.events}
    expected = {
        "election-2024-07-28-cne-result": dt.date(2024, 7, 28),
        "bounty-2025-01-10-25m": dt.date(2025, 1, 10),
        "bounty-2025-08-07-50m": dt.date(2025, 8, 7),
        "deployment-2025-10-24-ford-ordered": dt.date(2025, 10, 24),
        "military-operation-2025-11-13-southern-spear": dt.date(2025, 11, 13),
        "designation-2025-11-24-cds-fto-effective": dt.date(2025, 11, 24),
        "operation-2026-01-03-maduro-captured": dt.date(2026, 1, 3),
    }
    for event_id, day in expected.items():
        assert by_id[event_id].date == day and by_id[event_id].milestone, event_id


def test_every_survivor_has_a_sourced_fate_with_a_note(dataset: Dataset) -> None:
    # Each survivor's fate is recorded (never left blank or "unknown" without a word), and says where it comes from.
    for event in dataset.events:
        strike = event.strike
        if strike is None or not strike.survivors:
            continue
        assert sum(o.count for o in strike.survivor_fates) == strike.survivors, event.id
        assert all(o.note for o in strike.survivor_fates), event.id
        assert all(o.fate != "unknown" for o in strike.survivor_fates), event.id
