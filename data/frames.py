"""Flat pandas frames built from a validated `Dataset`: the only shape the app and charts see."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from data.history import known_mask, last_updated, states
from data.loading import Dataset
from data.localise import fold
from data.schema import STRONG_TIERS, Event, Gap, Source, Stance, TrackerSnapshot

EVENT_COLUMNS = [
    "id",
    "date",
    "date_precision",
    "reported",
    "category",
    "theater",
    "title",
    "summary",
    "actors",
    "actor_names",
    "location",
    "lat",
    "lon",
    "coord_precision",
    "milestone",
    "source_ids",
    "source_urls",
    "source_labels",
    "strikes",
    "vessels",
    "killed",
    "killed_low",
    "killed_high",
    "survivors",
    "killed_later",
    "presumed_dead",
    "announced_by",
    "announced_on",
    "grade",
    "running_number",
    "figure_note",
    "weak_sourcing",
    "source_tiers",
    "best_tier",
    "strong_sources",
    "first_reported",
    "last_updated",
    "revision_count",
    "known_from",
    "known_until",
    "search_text",
]

STRIKE_COUNT_COLUMNS = [
    "strikes",
    "vessels",
    "killed",
    "killed_low",
    "killed_high",
    "survivors",
    "killed_later",
    "presumed_dead",
]


def source_label(source: Source) -> str:
    """How a cited source is named everywhere: outlet (and copy), date and tier."""
    return f"{source.cited_as}, {source.published:%d %b %Y} · tier {source.tier}"


def _tiers(source_ids: list[str], sources: dict[str, Source]) -> tuple[tuple[int, ...], int, int]:
    tiers = tuple(sources[s].tier for s in source_ids)
    return tiers, min(tiers, default=4), sum(1 for t in tiers if t in STRONG_TIERS)


def events_frame(dataset: Dataset) -> pd.DataFrame:
    """One row per event as currently known; strike figures are nullable integers (empty for non-strikes)."""
    frame = event_states_frame(dataset)
    return frame.loc[known_mask(frame, None)].reset_index(drop=True)


def event_states_frame(dataset: Dataset) -> pd.DataFrame:
    """One row per state of each event (a revised event has several, each with known_from/known_until).

    The record "as known on" a date is one mask over this frame (`data.history.known_mask`), so the app's one
    filter path serves the current record and any earlier one alike.

    Built column by column: an event never revised is its own only state (known from its first report, still
    current), so only revised events are replayed through `data.history.states`.
    """
    source_by_id = dataset.source_by_id()
    urls = {source_id: source.url for source_id, source in source_by_id.items()}
    labels = {source_id: source_label(source) for source_id, source in source_by_id.items()}
    tiers = {source_id: source.tier for source_id, source in source_by_id.items()}
    actor_names = {actor.id: actor.name for actor in dataset.actors}
    events: list[Event] = []
    known_from: list[dt.date] = []
    known_until: list[dt.date | None] = []
    updated: list[dt.date] = []
    for original in dataset.events:
        if not original.revisions:
            events.append(original)
            known_from.append(original.reported)
            known_until.append(None)
            updated.append(original.reported)
            continue
        last = last_updated(original)
        for event, start, until in states(original):
            events.append(event)
            known_from.append(start)
            known_until.append(until)
            updated.append(last)
    # One pass over the events (each touched once: far cheaper than one pass per column), then columns.
    no_strike = (None,) * 11
    rows = [
        (
            event.id,
            event.date,
            event.date_precision,
            event.reported,
            event.category,
            event.theater,
            event.title,
            event.summary,
            tuple(event.actors),
            event.location,
            *((c.lat, c.lon, c.precision) if (c := event.coordinates) else (None, None, "none")),
            event.milestone,
            tuple(event.sources),
            *(
                (
                    s.strikes,
                    s.vessels,
                    s.killed,
                    s.killed if s.killed_low is None else s.killed_low,
                    s.killed if s.killed_high is None else s.killed_high,
                    s.survivors,
                    s.killed_later,
                    s.presumed_dead,
                    s.announced_by,
                    s.announced_on,
                    s.grade,
                )
                if (s := event.strike)
                else no_strike
            ),
            s.running_number if s else None,
            s.figure_note if s else None,
            event.weak_sourcing,
            len(event.revisions),
        )
        for event in events
    ]
    fields = [
        "id",
        "date",
        "date_precision",
        "reported",
        "category",
        "theater",
        "title",
        "summary",
        "actors",
        "location",
        "lat",
        "lon",
        "coord_precision",
        "milestone",
        "source_ids",
        *STRIKE_COUNT_COLUMNS,
        "announced_by",
        "announced_on",
        "grade",
        "running_number",
        "figure_note",
        "weak_sourcing",
        "revision_count",
    ]
    raw: dict[str, list[Any]] = dict(zip(fields, map(list, zip(*rows, strict=True)), strict=True)) if rows else {}
    raw = {name: raw.get(name, []) for name in fields}
    names = [[actor_names.get(a, a) for a in actors] for actors in raw["actors"]]
    source_tiers = [tuple(tiers[s] for s in ids) for ids in raw["source_ids"]]
    folded_names = {name: fold(name) for name in actor_names.values()}

    def folded_name(name: str) -> str:
        return folded_names[name] if name in folded_names else fold(name)

    columns: dict[str, object] = {
        **raw,
        "date": _days(raw["date"]),
        "reported": _days(raw["reported"]),
        "announced_on": _days(raw["announced_on"]),
        "actor_names": [", ".join(n) for n in names],
        "source_urls": [tuple(urls[s] for s in ids) for ids in raw["source_ids"]],
        "source_labels": [tuple(labels[s] for s in ids) for ids in raw["source_ids"]],
        "source_tiers": source_tiers,
        "best_tier": [min(t, default=4) for t in source_tiers],
        "strong_sources": [sum(1 for tier in t if tier in STRONG_TIERS) for t in source_tiers],
        "first_reported": _days(raw["reported"]),
        "last_updated": _days(updated),
        "known_from": _days(known_from),
        "known_until": _days(known_until),
        # Folding works character by character, so folding the parts equals folding the joined text; actor names
        # repeat on every event, so each is folded once.
        "search_text": [
            " ".join([fold(title), fold(summary), fold(location), *map(folded_name, n)])
            for title, summary, location, n in zip(raw["title"], raw["summary"], raw["location"], names, strict=True)
        ],
    }
    return _typed_events(pd.DataFrame(columns, columns=EVENT_COLUMNS))


def _days(values: Sequence[dt.date | None]) -> np.ndarray:
    """Dates as a datetime64[s] array (None becomes NaT), the dtype pandas gives a column of day Timestamps.

    Days repeat (a few hundred distinct ones per 100,000 rows), so each is converted once.
    """
    day_numbers: dict[dt.date | None, int] = {None: _NAT}

    def number(day: dt.date | None) -> int:
        if day not in day_numbers:
            day_numbers[day] = (day - _EPOCH).days  # type: ignore[operator]  # None is always in day_numbers
        return day_numbers[day]

    numbers = np.fromiter(map(number, values), dtype=np.int64, count=len(values))
    return numbers.view("datetime64[D]").astype("datetime64[s]")


_EPOCH = dt.date(1970, 1, 1)
_NAT = int(np.iinfo(np.int64).min)  # numpy's NaT


def _typed_events(frame: pd.DataFrame) -> pd.DataFrame:
    for column in [*STRIKE_COUNT_COLUMNS, "running_number"]:
        frame[column] = frame[column].astype("Int64")
    frame["date"] = pd.to_datetime(frame["date"])
    frame["reported"] = pd.to_datetime(frame["reported"])
    frame["lat"] = frame["lat"].astype("float64")
    frame["lon"] = frame["lon"].astype("float64")
    frame["milestone"] = frame["milestone"].astype(bool)
    frame["best_tier"] = frame["best_tier"].astype("int64")
    for column in ("first_reported", "last_updated", "known_from", "known_until"):
        frame[column] = pd.to_datetime(frame[column])
    return frame


def _cited_and_known(
    source_ids: list[str], sources: dict[str, Source], known_from: dt.date, known_until: dt.date | None
) -> dict[str, object]:
    """The columns every record frame shares: its sources (links, labels, tiers) and the state's known interval."""
    tiers, best, strong = _tiers(source_ids, sources)
    return {
        "source_urls": tuple(sources[s].url for s in source_ids),
        "source_labels": tuple(source_label(sources[s]) for s in source_ids),
        "source_tiers": tiers,
        "best_tier": best,
        "strong_sources": strong,
        "known_from": pd.Timestamp(known_from),
        "known_until": pd.Timestamp(known_until) if known_until is not None else pd.NaT,
    }


def _finish(frame: pd.DataFrame, date_columns: tuple[str, ...], *, history: bool) -> pd.DataFrame:
    """Typed dates and tiers; every state (`history`) or only the current one."""
    for column in date_columns:
        frame[column] = pd.to_datetime(frame[column])
    frame["best_tier"] = frame["best_tier"].astype("int64")
    if history:
        return frame
    return frame.loc[known_mask(frame, None)].reset_index(drop=True)


def stances_frame(dataset: Dataset, *, history: bool = False) -> pd.DataFrame:
    """One row per stance as currently known; with `history`, one row per state (see `event_states_frame`)."""
    sources = dataset.source_by_id()
    actors = {actor.id: actor for actor in dataset.actors}
    issues = {issue.id: issue.name for issue in dataset.issues}
    rows = []
    for original in dataset.stances:
        updated = pd.Timestamp(last_updated(original))
        for stance, known_from, known_until in states(original):
            rows.append(
                {
                    "id": stance.id,
                    "actor": stance.actor,
                    "actor_name": actors[stance.actor].name,
                    "actor_group": actors[stance.actor].group,
                    "issue": stance.issue,
                    "issue_name": issues[stance.issue],
                    "date": pd.Timestamp(stance.date),
                    "position": stance.position,
                    "evidence": stance.evidence,
                    "first_reported": pd.Timestamp(original.reported),
                    "last_updated": updated,
                    **_cited_and_known(stance.sources, sources, known_from, known_until),
                }
            )
    frame = pd.DataFrame(rows, columns=STANCE_COLUMNS)
    return _finish(frame, ("date", "first_reported", "last_updated", "known_from", "known_until"), history=history)


STANCE_COLUMNS = [
    "id",
    "actor",
    "actor_name",
    "actor_group",
    "issue",
    "issue_name",
    "date",
    "position",
    "evidence",
    "source_urls",
    "source_labels",
    "source_tiers",
    "best_tier",
    "strong_sources",
    "first_reported",
    "last_updated",
    "known_from",
    "known_until",
]


def sources_frame(dataset: Dataset) -> pd.DataFrame:
    cited_by: dict[str, list[str]] = {}
    citing: list[Event | Stance | TrackerSnapshot | Gap] = [
        *dataset.events,
        *dataset.stances,
        *dataset.trackers,
        *dataset.gaps,
    ]
    for record in citing:
        for source_id in record.sources:
            cited_by.setdefault(source_id, []).append(record.id)
    rows = [
        {
            "id": s.id,
            "publisher": s.publisher,
            "original_outlet": s.original_outlet or "",
            "cited_as": s.cited_as,
            "title": s.title,
            "url": s.url,
            "published": pd.Timestamp(s.published),
            "kind": s.kind,
            "tier": s.tier,
            "cited_by": len(cited_by.get(s.id, [])),
        }
        for s in dataset.sources
    ]
    columns = [
        "id",
        "publisher",
        "original_outlet",
        "cited_as",
        "title",
        "url",
        "published",
        "kind",
        "tier",
        "cited_by",
    ]
    frame = pd.DataFrame(rows, columns=columns)
    frame["published"] = pd.to_datetime(frame["published"])
    return frame.sort_values(["tier", "published", "id"], ignore_index=True)


def trackers_frame(dataset: Dataset, *, history: bool = False) -> pd.DataFrame:
    """One row per tracker snapshot as currently known; with `history`, one row per state."""
    sources = dataset.source_by_id()
    rows = []
    for original in dataset.trackers:
        for t, known_from, known_until in states(original):
            rows.append(
                {
                    "id": t.id,
                    "tracker": t.tracker,
                    "as_of": pd.Timestamp(t.as_of),
                    "reported": pd.Timestamp(original.reported),
                    "strikes": t.strikes,
                    "vessels": t.vessels,
                    "killed": t.killed,
                    "survivors": t.survivors,
                    "unit": t.unit,
                    "weak_sourcing": t.weak_sourcing,
                    **_cited_and_known(t.sources, sources, known_from, known_until),
                }
            )
    columns = [
        "id",
        "tracker",
        "as_of",
        "reported",
        "strikes",
        "vessels",
        "killed",
        "survivors",
        "unit",
        "weak_sourcing",
        "source_urls",
        "source_labels",
        "source_tiers",
        "best_tier",
        "strong_sources",
        "known_from",
        "known_until",
    ]
    frame = pd.DataFrame(rows, columns=columns)
    for column in ["strikes", "vessels", "killed", "survivors"]:
        frame[column] = frame[column].astype("Int64")
    return _finish(frame, ("as_of", "reported", "known_from", "known_until"), history=history)


REVISION_COLUMNS = [
    "record_kind",
    "record_id",
    "label",
    "known",
    "field",
    "old",
    "new",
    "note",
    "source_urls",
    "source_labels",
]


def revisions_frame(dataset: Dataset) -> pd.DataFrame:
    """One row per revision of any event, stance or tracker snapshot: the world's changes to the record."""
    sources = dataset.source_by_id()
    actors = {actor.id: actor.name for actor in dataset.actors}
    labels: dict[str, str] = {}  # a source's label, formatted once however many revisions cite it

    def label_of(source_id: str) -> str:
        if source_id not in labels:
            labels[source_id] = source_label(sources[source_id])
        return labels[source_id]

    # Only revised records are labelled (most records have no trail).
    records: list[tuple[str, str, Event | Stance | TrackerSnapshot]] = [
        *(("event", e.title, e) for e in dataset.events if e.revisions),
        *(("stance", f"{actors.get(s.actor, s.actor)} on {s.issue}", s) for s in dataset.stances if s.revisions),
        *(("tracker", f"{t.tracker} as of {t.as_of:%d %b %Y}", t) for t in dataset.trackers if t.revisions),
    ]
    rows = [
        {
            "record_kind": kind,
            "record_id": record.id,
            "label": label,
            "known": pd.Timestamp(revision.known),
            "field": revision.field,
            "old": revision.old,
            "new": revision.new,
            "note": revision.note,
            "source_urls": tuple(sources[s].url for s in revision.sources),
            "source_labels": tuple(label_of(s) for s in revision.sources),
        }
        for kind, label, record in records
        for revision in record.revisions
    ]
    frame = pd.DataFrame(rows, columns=REVISION_COLUMNS)
    frame["known"] = pd.to_datetime(frame["known"])
    return frame
