"""Flat pandas frames built from a validated `Dataset`: the only shape the app and charts see."""

from __future__ import annotations

import pandas as pd

from data.loading import Dataset
from data.schema import Event, Gap, Stance, TrackerSnapshot

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
    "presumed_dead",
    "announced_by",
    "announced_on",
    "grade",
    "running_number",
    "figure_note",
    "search_text",
]

STRIKE_COUNT_COLUMNS = ["strikes", "vessels", "killed", "killed_low", "killed_high", "survivors", "presumed_dead"]


def events_frame(dataset: Dataset) -> pd.DataFrame:
    """One row per event; strike figures are nullable integers (empty for non-strikes)."""
    sources = dataset.source_by_id()
    actor_names = {actor.id: actor.name for actor in dataset.actors}
    rows = []
    for event in dataset.events:
        strike = event.strike
        cited = [sources[source_id] for source_id in event.sources]
        names = [actor_names.get(a, a) for a in event.actors]
        rows.append(
            {
                "id": event.id,
                "date": pd.Timestamp(event.date),
                "date_precision": event.date_precision,
                "reported": pd.Timestamp(event.reported),
                "category": event.category,
                "theater": event.theater,
                "title": event.title,
                "summary": event.summary,
                "actors": tuple(event.actors),
                "actor_names": ", ".join(names),
                "location": event.location,
                "lat": event.coordinates.lat if event.coordinates else None,
                "lon": event.coordinates.lon if event.coordinates else None,
                "coord_precision": event.coordinates.precision if event.coordinates else "none",
                "milestone": event.milestone,
                "source_ids": tuple(event.sources),
                "source_urls": tuple(source.url for source in cited),
                "source_labels": tuple(f"{s.cited_as}, {s.published:%d %b %Y}" for s in cited),
                "strikes": strike.strikes if strike else None,
                "vessels": strike.vessels if strike else None,
                "killed": strike.killed if strike else None,
                "killed_low": strike.killed_low
                if strike and strike.killed_low is not None
                else (strike.killed if strike else None),
                "killed_high": strike.killed_high
                if strike and strike.killed_high is not None
                else (strike.killed if strike else None),
                "survivors": strike.survivors if strike else None,
                "presumed_dead": strike.presumed_dead if strike else None,
                "announced_by": strike.announced_by if strike else None,
                "announced_on": pd.Timestamp(strike.announced_on) if strike else pd.NaT,
                "grade": strike.grade if strike else None,
                "running_number": strike.running_number if strike else None,
                "figure_note": strike.figure_note if strike else None,
                "search_text": " ".join([event.title, event.summary, event.location, *names]).lower(),
            }
        )
    frame = pd.DataFrame(rows, columns=EVENT_COLUMNS)
    for column in [*STRIKE_COUNT_COLUMNS, "running_number"]:
        frame[column] = frame[column].astype("Int64")
    frame["date"] = pd.to_datetime(frame["date"])
    frame["reported"] = pd.to_datetime(frame["reported"])
    frame["lat"] = frame["lat"].astype("float64")
    frame["lon"] = frame["lon"].astype("float64")
    frame["milestone"] = frame["milestone"].astype(bool)
    return frame


def stances_frame(dataset: Dataset) -> pd.DataFrame:
    sources = dataset.source_by_id()
    actors = {actor.id: actor for actor in dataset.actors}
    issues = {issue.id: issue.name for issue in dataset.issues}
    rows = [
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
            "source_urls": tuple(sources[s].url for s in stance.sources),
            "source_labels": tuple(f"{sources[s].cited_as}, {sources[s].published:%d %b %Y}" for s in stance.sources),
        }
        for stance in dataset.stances
    ]
    columns = [
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
    ]
    frame = pd.DataFrame(rows, columns=columns)
    frame["date"] = pd.to_datetime(frame["date"])
    return frame


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
            "cited_by": len(cited_by.get(s.id, [])),
        }
        for s in dataset.sources
    ]
    columns = ["id", "publisher", "original_outlet", "cited_as", "title", "url", "published", "kind", "cited_by"]
    frame = pd.DataFrame(rows, columns=columns)
    frame["published"] = pd.to_datetime(frame["published"])
    return frame.sort_values(["published", "id"], ignore_index=True)


def trackers_frame(dataset: Dataset) -> pd.DataFrame:
    sources = dataset.source_by_id()
    rows = [
        {
            "id": t.id,
            "tracker": t.tracker,
            "as_of": pd.Timestamp(t.as_of),
            "strikes": t.strikes,
            "vessels": t.vessels,
            "killed": t.killed,
            "survivors": t.survivors,
            "unit": t.unit,
            "source_urls": tuple(sources[s].url for s in t.sources),
            "source_labels": tuple(f"{sources[s].cited_as}, {sources[s].published:%d %b %Y}" for s in t.sources),
        }
        for t in dataset.trackers
    ]
    columns = [
        "id",
        "tracker",
        "as_of",
        "strikes",
        "vessels",
        "killed",
        "survivors",
        "unit",
        "source_urls",
        "source_labels",
    ]
    frame = pd.DataFrame(rows, columns=columns)
    for column in ["strikes", "vessels", "killed", "survivors"]:
        frame[column] = frame[column].astype("Int64")
    frame["as_of"] = pd.to_datetime(frame["as_of"])
    return frame
