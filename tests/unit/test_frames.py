"""The events frame is built column by column with a fast path for never-revised events: check it against the
record replayed one state at a time (`data.history.states`), on the bundled record and on synthetic revisions."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from benchmarks.generate import generate
from data.frames import EVENT_COLUMNS, event_states_frame
from data.history import last_updated, states
from data.loading import Dataset, load_dataset
from data.localise import fold

EXPECTED_DTYPES = {
    **dict.fromkeys(["date", "reported", "announced_on", "first_reported", "last_updated"], "datetime64[s]"),
    **dict.fromkeys(["known_from", "known_until"], "datetime64[s]"),
    **dict.fromkeys(
        ["strikes", "vessels", "killed", "killed_low", "killed_high", "survivors", "killed_later", "presumed_dead"],
        "Int64",
    ),
    "running_number": "Int64",
    "lat": "float64",
    "lon": "float64",
    "milestone": "bool",
    "best_tier": "int64",
    "strong_sources": "int64",
    "revision_count": "int64",
    **dict.fromkeys(["actors", "source_ids", "source_urls", "source_labels", "source_tiers"], "object"),
}


def _day(value: dt.date | None) -> pd.Timestamp:
    return pd.Timestamp(value) if value is not None else pd.NaT


def _check_against_replay(dataset: Dataset, frame: pd.DataFrame) -> None:
    assert list(frame.columns) == EVENT_COLUMNS
    for column, dtype in EXPECTED_DTYPES.items():
        assert str(frame[column].dtype) == dtype, column
    for column in set(EVENT_COLUMNS) - set(EXPECTED_DTYPES):  # text; a column with no value at all stays object
        assert str(frame[column].dtype) == ("object" if frame[column].isna().all() else "str"), column
    sources = dataset.source_by_id()
    actor_names = {actor.id: actor.name for actor in dataset.actors}
    expected = [
        (original, state, start, until) for original in dataset.events for state, start, until in states(original)
    ]
    assert len(frame) == len(expected)
    for row, (original, state, start, until) in zip(frame.itertuples(index=False), expected, strict=True):
        strike = state.strike
        assert row.id == state.id
        assert row.date == pd.Timestamp(state.date)
        assert row.known_from == pd.Timestamp(start)
        assert (pd.isna(row.known_until) and until is None) or row.known_until == _day(until)
        assert row.last_updated == pd.Timestamp(last_updated(original))
        assert row.revision_count == len(state.revisions)
        assert row.source_urls == tuple(sources[s].url for s in state.sources)
        assert row.best_tier == min(sources[s].tier for s in state.sources)
        names = [actor_names.get(a, a) for a in state.actors]
        assert row.search_text == fold(" ".join([state.title, state.summary, state.location, *names]))
        if strike is None:
            assert pd.isna(row.killed) and pd.isna(row.announced_on) and pd.isna(row.grade)
        else:
            assert row.killed == strike.killed and row.grade == strike.grade
            assert row.killed_low == (strike.killed if strike.killed_low is None else strike.killed_low)
            assert row.presumed_dead == strike.presumed_dead
            assert row.announced_on == pd.Timestamp(strike.announced_on)


def test_bundled_events_frame_matches_the_record_replayed_state_by_state() -> None:
    dataset = load_dataset()
    frame = event_states_frame(dataset)
    assert (frame["revision_count"] > 0).any()  # the bundled record has revised events: both paths are exercised
    _check_against_replay(dataset, frame)


@pytest.mark.parametrize("size", [300])
def test_synthetic_revisions_give_one_row_per_state(tmp_path: Path, size: int) -> None:
    dataset = load_dataset(generate(size, tmp_path))
    frame = event_states_frame(dataset)
    revised = [e for e in dataset.events if e.revisions]
    assert revised  # the generator revises some tolls
    assert len(frame) == len(dataset.events) + sum(len(e.revisions) for e in revised)
    _check_against_replay(dataset, frame)
    # As first reported, a revised toll is the oldest value; now it is the current one.
    event = revised[0]
    rows = frame.loc[frame["id"] == event.id].sort_values("known_from")
    assert rows["killed"].tolist() == [event.revisions[0].old, *(r.new for r in event.revisions)]
