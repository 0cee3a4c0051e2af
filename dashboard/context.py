"""The edge between Streamlit and the data layer: cached loading, filter state, shared page furniture."""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd
import streamlit as st

from dashboard.i18n import day, describe_filters, lang, t
from data.filters import Filters
from data.frames import event_states_frame, revisions_frame, sources_frame, stances_frame, trackers_frame
from data.history import known_mask
from data.i18n import SOURCE_LANGUAGE
from data.loading import DATA_SUFFIXES, DEFAULT_DATA_DIR, Dataset, DatasetError, load_dataset
from data.localise import localise, localised_revisions
from data.schema import ChangelogEntry, Gap, Record
from data.validation import Message, Problem

DATA_DIR_ENV = "CRISIS_MONITOR_DATA"
# Widget keys double as URL query parameter names (see dashboard.url_state).
KEY_FROM, KEY_TO, KEY_CATEGORY, KEY_THEATER, KEY_ACTOR, KEY_TEXT = "from", "to", "category", "theater", "actor", "q"
KEY_KNOWN, KEY_STRONG = "known", "strong"
FILTER_KEYS = (KEY_FROM, KEY_TO, KEY_CATEGORY, KEY_THEATER, KEY_ACTOR, KEY_TEXT, KEY_KNOWN, KEY_STRONG)


@dataclass(frozen=True)
class Loaded:
    """Everything a page needs, or the problems that stopped loading (never both).

    Shared by every session and never modified: builders and filters return new frames.
    """

    key: str = ""  # identifies this version of the data (files, sizes, modification times)
    problems: tuple[Problem, ...] = ()  # shown with dashboard.i18n.problem_text (in the reader's language)
    # Events, stances and tracker snapshots hold one row per *state* (known_from/known_until): a revised record has
    # several. Pages read them through `filtered_events`, `known_stances` and `known_trackers`, never directly.
    events: pd.DataFrame = field(default_factory=pd.DataFrame)
    stances: pd.DataFrame = field(default_factory=pd.DataFrame)
    sources: pd.DataFrame = field(default_factory=pd.DataFrame)
    trackers: pd.DataFrame = field(default_factory=pd.DataFrame)
    revisions: pd.DataFrame = field(default_factory=pd.DataFrame)  # one row per revision (data.frames)
    coverage_end: dt.date = dt.date.min
    coverage_note: str = ""
    version: str = ""
    actors: tuple[tuple[str, str, str], ...] = ()  # (id, name, group)
    issues: tuple[tuple[str, str, str], ...] = ()  # (id, short name, name)
    gaps: tuple[Gap, ...] = ()
    changelog: tuple[ChangelogEntry, ...] = ()
    record_count: int = 0
    file_count: int = 0
    warnings: tuple[Message, ...] = ()  # shown with dashboard.i18n.message_text (in the reader's language)
    # language -> kind -> record id -> translated text (data.loading.Dataset.translations)
    translations: dict[str, dict[str, dict[str, Record]]] = field(default_factory=dict)
    data_dir: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems

    @cached_property  # read several times a run (every `current_filters`): a scan of every date at 100,000 events
    def first_date(self) -> dt.date:
        return pd.Timestamp(self.events["date"].min()).date()

    @cached_property
    def last_date(self) -> dt.date:
        return pd.Timestamp(self.events["date"].max()).date()


def data_dir() -> Path:
    return Path(os.environ.get(DATA_DIR_ENV) or DEFAULT_DATA_DIR)


def _signature(root: Path) -> tuple[tuple[str, int, int], ...]:
    """Names, sizes and modification times of the data files: editing a file reloads the data."""
    if not root.is_dir():
        return ()
    return tuple(
        (str(path), stat.st_size, stat.st_mtime_ns)
        for path in sorted(root.rglob("*"))
        if path.suffix in DATA_SUFFIXES and (stat := path.stat())
    )


# The dataset is loaded once per process and shared, not copied per session or per rerun:
# st.cache_data would unpickle a fresh copy on every call, which for a 100,000-event frame
# costs more than the whole rerun. Nothing mutates it (tests check builders and filters).
@st.cache_resource(show_spinner="Loading the dataset…", max_entries=4)
def _load(root: str, signature: tuple[tuple[str, int, int], ...]) -> Loaded:
    key = hashlib.sha256(repr((root, signature)).encode()).hexdigest()[:16]
    with _collector_paused():
        try:
            dataset = load_dataset(root)
        except DatasetError as error:
            return Loaded(key=key, problems=tuple(error.problems), data_dir=root)
        return _frames_of(key, root, dataset)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while the dataset is built, then freeze what was built.

    Loading allocates millions of objects that all stay alive (records, then frames); the collector would walk
    the growing heap again and again — at 100,000 events about half the load time. Frozen, the shared dataset
    is also skipped by every later collection. Reference counting still frees everything as usual.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.freeze()
            gc.enable()


def _frames_of(key: str, root: str, dataset: Dataset) -> Loaded:
    return Loaded(
        key=key,
        events=event_states_frame(dataset),
        stances=stances_frame(dataset, history=True),
        sources=sources_frame(dataset),
        trackers=trackers_frame(dataset, history=True),
        revisions=revisions_frame(dataset),
        coverage_end=dataset.coverage_end,
        coverage_note=dataset.info.coverage_note if dataset.info else "",
        version=dataset.info.version if dataset.info else key,
        actors=tuple((a.id, a.name, a.group) for a in dataset.actors),
        issues=tuple((i.id, i.short_name, i.name) for i in dataset.issues),
        gaps=dataset.gaps,
        changelog=dataset.changelog,
        record_count=dataset.record_count,
        file_count=len(dataset.files),
        warnings=dataset.warning_messages,
        translations=dataset.translations,
        data_dir=root,
    )


def load() -> Loaded:
    root = data_dir()
    return _load(str(root), _signature(root))


def current_filters(loaded: Loaded) -> Filters:
    """Build the filter object from the sidebar widgets' state (which mirrors the URL)."""
    state = st.session_state
    start = state.get(KEY_FROM)
    end = state.get(KEY_TO)
    known = state.get(KEY_KNOWN)
    return Filters(
        start=start if isinstance(start, dt.date) and start > loaded.first_date else None,
        end=end if isinstance(end, dt.date) and end < loaded.last_date else None,
        categories=tuple(state.get(KEY_CATEGORY) or ()),
        theaters=tuple(state.get(KEY_THEATER) or ()),
        actors=tuple(state.get(KEY_ACTOR) or ()),
        text=str(state.get(KEY_TEXT) or "")[:200],
        known_on=known if isinstance(known, dt.date) and known < loaded.coverage_end else None,
        strong_only=bool(state.get(KEY_STRONG)),
    )


def record_as_of(loaded: Loaded) -> dt.date:
    """The date the shown record speaks for: the coverage end, or earlier when the view stops earlier.

    Never today's date: after the coverage end the record is unknown, not quiet.
    """
    filters = current_filters(loaded)
    candidates = [loaded.coverage_end]
    if filters.end is not None:
        candidates.append(filters.end)
    if filters.known_on is not None:
        candidates.append(filters.known_on)
    return min(candidates)


def known_stances(loaded: Loaded) -> pd.DataFrame:
    """Stances as known on the chosen date (current when none), one row per stance."""
    known_on = current_filters(loaded).known_on
    return _known(loaded.key, "stances", known_on, lang(), loaded)


def known_trackers(loaded: Loaded) -> pd.DataFrame:
    """Tracker snapshots as known on the chosen date: totals published later are hidden."""
    known_on = current_filters(loaded).known_on
    frame = _known(loaded.key, "trackers", known_on, lang(), loaded)
    if known_on is not None:
        frame = frame.loc[frame["reported"] <= pd.Timestamp(known_on)]
    return frame


def actor_labels(loaded: Loaded) -> list[tuple[str, str, str]]:
    """(id, name, group) of every actor, the name in the reader's language where translated."""
    texts = loaded.translations.get(lang(), {}).get("actors", {})
    return [(a, str(getattr(texts.get(a), "name", name)), group) for a, name, group in loaded.actors]


def issue_labels(loaded: Loaded) -> list[tuple[str, str, str]]:
    """(id, short name, name) of every issue in the reader's language where translated."""
    texts = loaded.translations.get(lang(), {}).get("issues", {})
    return [
        (i, str(getattr(texts.get(i), "short_name", short)), str(getattr(texts.get(i), "name", name)))
        for i, short, name in loaded.issues
    ]


def revisions_of(loaded: Loaded, record_id: str) -> pd.DataFrame:
    """The revisions of one record known on the chosen date (all when the record is shown as known now)."""
    known_on = current_filters(loaded).known_on
    revisions = revisions_in(loaded.key, lang(), loaded)
    rows = revisions.loc[revisions["record_id"] == record_id]
    if known_on is not None:
        rows = rows.loc[rows["known"] <= pd.Timestamp(known_on)]
    return rows


@st.cache_resource(max_entries=8, show_spinner=False)
def _revisions_in(data_key: str, language: str, _loaded: Loaded) -> pd.DataFrame:
    texts = _loaded.translations.get(language, {}).get("events", {})
    return localised_revisions(_loaded.revisions, texts)


def revisions_in(data_key: str, language: str, loaded: Loaded) -> pd.DataFrame:
    """Every revision with its words in `language` (the shared frame itself in English)."""
    if language == SOURCE_LANGUAGE:
        return loaded.revisions
    return _revisions_in(data_key, language, loaded)


@st.cache_resource(max_entries=32, show_spinner=False)
def _known(data_key: str, kind: str, known_on: dt.date | None, language: str, _loaded: Loaded) -> pd.DataFrame:
    frame = in_language(data_key, kind, language, _loaded)
    return frame.loc[known_mask(frame, known_on)].reset_index(drop=True)


@st.cache_resource(max_entries=16, show_spinner=False)
def _localised(data_key: str, kind: str, language: str, _loaded: Loaded) -> pd.DataFrame:
    frame: pd.DataFrame = getattr(_loaded, kind)
    return localise(frame, kind, _loaded.translations.get(language, {}).get(kind, {}))


def in_language(data_key: str, kind: str, language: str, loaded: Loaded) -> pd.DataFrame:
    """A frame (events, stances, trackers) with its record text in `language`; the shared frame itself in English."""
    if language == SOURCE_LANGUAGE:
        frame: pd.DataFrame = getattr(loaded, kind)
        return frame
    return _localised(data_key, kind, language, loaded)


@st.cache_resource(max_entries=32, show_spinner=False)
def _match(data_key: str, filters_json: str, language: str, _loaded: Loaded) -> np.ndarray:
    """Positions of the rows matching one filter, computed once per (data, filter, language), shared read-only.

    The language only changes text columns (and so what the free-text search matches), never a number.
    """
    events = in_language(data_key, "events", language, _loaded)
    return np.flatnonzero(Filters.model_validate_json(filters_json).mask(events).to_numpy())


@st.cache_resource(max_entries=16, show_spinner=False)
def _filtered(data_key: str, filters_json: str, language: str, _loaded: Loaded) -> pd.DataFrame:
    """The rows matching one filter, every column: computed once per (data, filter, language), shared read-only."""
    events = in_language(data_key, "events", language, _loaded)
    return events.iloc[_match(data_key, filters_json, language, _loaded)]


def filtered_events(loaded: Loaded) -> pd.DataFrame:
    return _filtered(*view_key(loaded), loaded)


def filtered_columns(loaded: Loaded, columns: list[str], view: View | None = None) -> pd.DataFrame:
    """Only `columns` of the rows matching the filters (of `view`, else the session's): what counters and running
    totals read. At 100,000 events taking every column of every match (`filtered_events`) costs more than the
    counters themselves."""
    data_key, filters_json, language = view or view_key(loaded)
    events = in_language(data_key, "events", language, loaded)
    chosen: pd.DataFrame = events[columns]  # a column selection: no rows copied yet
    return chosen.iloc[_match(data_key, filters_json, language, loaded)]


def latest_filtered(loaded: Loaded, limit: int) -> pd.DataFrame:
    """The `limit` latest matching events, newest first (ties: later records first), every column."""
    view = view_key(loaded)
    events = in_language(loaded.key, "events", view[2], loaded)
    matching = _match(*view, loaded)
    latest: pd.DataFrame = events.iloc[matching[newest_first(events["date"].to_numpy()[matching], limit)]]
    return latest


def newest_first(dates: np.ndarray, limit: int) -> np.ndarray:
    """Positions of the `limit` latest `dates`, newest first; on a tie the later position first. Every "latest
    events" list orders this way, without sorting (copying) the rows themselves."""
    return dates.argsort(kind="stable")[::-1][:limit]


# What a cached view computation depends on: the data version, the filters (as JSON) and the language (figures
# carry text, and the free-text search matches the text of that language).
View = tuple[str, str, str]


def view_key(loaded: Loaded) -> View:
    """The session's view."""
    return view_of(loaded, current_filters(loaded), lang())


def view_of(loaded: Loaded, filters: Filters, language: str) -> View:
    """Any view, e.g. the default one the server computes before its first visitor (`dashboard/serve.py`)."""
    return loaded.key, filters.model_dump_json(), language


def page_header(title: str, loaded: Loaded, *, note: str | None = None) -> None:
    """Title plus one line saying what the page shows, so a screenshot explains itself."""
    st.title(title)
    filters = current_filters(loaded)
    actor_names = dict((actor_id, name) for actor_id, name, _group in loaded.actors)
    shown = describe_filters(
        filters.start,
        filters.end,
        filters.categories,
        filters.theaters,
        [actor_names.get(a, a) for a in filters.actors],
        filters.text,
        filters.strong_only,
        filters.known_on,
    )
    line = t("Showing **{view}** · record through {day}", view=md_escape(shown), day=day(loaded.coverage_end))
    if note:
        line += f" · {note}"
    st.caption(line)
    if filters.known_on is not None:
        st.warning(
            t(
                "**Record as known on {day}**: events, stances and tracker totals that became public later are "
                "hidden, and later revisions of figures are undone. Clear 'As known on' in the sidebar for the "
                "current record.",
                day=day(filters.known_on),
            ),
            icon=":material/history:",
        )


_MARKDOWN_SPECIALS = set("\\`*_{}[]()#+-.!|<>$~:=&\"'")


def md_escape(text: object) -> str:
    """Make dataset text inert in Markdown: no links, emphasis, directives, TeX or HTML."""
    return "".join("\\" + ch if ch in _MARKDOWN_SPECIALS else ch for ch in str(text))


def safe_url(url: str) -> str:
    """Percent-encode characters that would end a Markdown link target early."""
    return url.replace(" ", "%20").replace("(", "%28").replace(")", "%29").replace("<", "%3C").replace(">", "%3E")


def source_links(urls: tuple[str, ...], labels: tuple[str, ...]) -> str:
    """A Markdown list of clickable sources; labels escaped, URLs already validated as http(s)."""
    return "\n".join(f"- [{md_escape(label)}]({safe_url(url)})" for url, label in zip(urls, labels, strict=True))
