"""The record's history: replay any record "as known on" a date, and check its revision trail.

A record keeps its current values; `revisions` say what a field held before each change became
public. Replaying is undoing, newest first, every revision that became known after the date.
Our own corrections of mistakes are not revisions: they live in the changelog.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any, TypeVar

import pandas as pd
from pydantic import BaseModel, ValidationError

from data.schema import Event, Record, Revision, Stance, TrackerSnapshot
from data.validation import N_, Problem, problems_from_validation_error

R = TypeVar("R", bound=Record)
Revisable = Event | Stance | TrackerSnapshot

# Fields a revision may not touch: identity, the trail itself, and the sources (a revision cites its own).
_FIXED_FIELDS = frozenset({"id", "revisions", "sources", "reported"})


def first_known(record: Revisable) -> dt.date:
    """When the record first became public."""
    return record.reported


def last_updated(record: Revisable) -> dt.date:
    """When the record last changed in the world's reporting (its first report if never revised)."""
    return max([record.reported, *(revision.known for revision in record.revisions)])


def _get(data: dict[str, Any], path: str) -> Any:
    node: Any = data
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            raise KeyError(path)
        node = node[part]
    return node


def _set(data: dict[str, Any], path: str, value: Any) -> None:
    parts = path.split(".")
    node: Any = data
    for part in parts[:-1]:
        node = node[part]
    node[parts[-1]] = value


def _dump(record: BaseModel) -> dict[str, Any]:
    return record.model_dump(mode="json")


def _undo(data: dict[str, Any], revisions: list[Revision]) -> dict[str, Any]:
    for revision in reversed(revisions):
        _set(data, revision.field, revision.old)
    return data


def as_known_on(record: R, known_on: dt.date) -> R | None:
    """The record as it stood on `known_on`: None before it was reported, earlier values before each revision."""
    if getattr(record, "reported", known_on) > known_on:
        return None
    later = [revision for revision in getattr(record, "revisions", ()) if revision.known > known_on]
    if not later:
        return record
    data = _undo(_dump(record), later)
    data["revisions"] = [_dump(r) for r in record.revisions if r.known <= known_on]  # type: ignore[attr-defined]
    return type(record).model_validate(data)


def states(record: R) -> list[tuple[R, dt.date, dt.date | None]]:
    """Every state a record has been in: (record as it stood, known from, known until — None while current)."""
    starts = [record.reported]  # type: ignore[attr-defined]
    for revision in record.revisions:  # type: ignore[attr-defined]
        if revision.known > starts[-1]:
            starts.append(revision.known)
    result: list[tuple[R, dt.date, dt.date | None]] = []
    for n, start in enumerate(starts):
        state = as_known_on(record, start)
        if state is not None:
            result.append((state, start, starts[n + 1] if n + 1 < len(starts) else None))
    return result


def known_mask(frame: pd.DataFrame, known_on: dt.date | None) -> pd.Series:
    """Rows of a states frame (columns known_from, known_until) that held on `known_on`; current rows when None."""
    if known_on is None:
        return frame["known_until"].isna()
    day = pd.Timestamp(known_on)
    return (frame["known_from"] <= day) & (frame["known_until"].isna() | (frame["known_until"] > day))


def revision_problems(
    record: Revisable, *, file: str, label: str, source_ids: set[str], today: dt.date
) -> Iterator[Problem]:
    """Every rule a revision trail must keep, each failure naming file, record and field."""
    if not record.revisions:
        return  # nothing to check (and most records have no trail: skip dumping them)
    current = _dump(record)
    previous_known = record.reported
    newest_for_field: dict[str, int] = {}
    for n, revision in enumerate(record.revisions):
        where = f"revisions[{n}]"
        if revision.known < previous_known:
            if previous_known == record.reported:
                message = N_("{known} is before first reported ({earlier})")
            else:
                message = N_("{known} is before the revision before it ({earlier})")
            yield Problem.of(file, label, f"{where}.known", message, known=revision.known, earlier=previous_known)
        if revision.known > today:
            message = N_("{value} is in the future (today is {today})")
            yield Problem.of(file, label, f"{where}.known", message, value=revision.known, today=today)
        previous_known = max(previous_known, revision.known)
        if revision.field.split(".")[0] in _FIXED_FIELDS:
            yield Problem.of(file, label, f"{where}.field", N_("'{field}' cannot be revised"), field=revision.field)
            continue
        try:
            _get(current, revision.field)
        except KeyError:
            message = N_("'{field}' is not a field of this record")
            yield Problem.of(file, label, f"{where}.field", message, field=revision.field)
            continue
        for m, source in enumerate(revision.sources):
            if source not in source_ids:
                yield Problem.of(file, label, f"{where}.sources[{m}]", N_("unknown source id '{ref}'"), ref=source)
        newest_for_field[revision.field] = n
    # The chain: each revision's `new` is the next one's `old`, and the newest `new` is the current value.
    state = _dump(record)
    valid_revisions = [r for r in record.revisions if r.field.split(".")[0] not in _FIXED_FIELDS]
    try:
        for n in range(len(record.revisions) - 1, -1, -1):
            revision = record.revisions[n]
            if revision not in valid_revisions:
                continue
            value = _get(state, revision.field)
            if value != revision.new:
                if newest_for_field.get(revision.field) != n:
                    message = N_("{new} does not match the next revision's 'old' ({value})")
                else:
                    message = N_("{new} does not match the record's current value ({value})")
                yield Problem.of(file, label, f"revisions[{n}].new", message, new=repr(revision.new), value=repr(value))
            _set(state, revision.field, revision.old)
    except KeyError:
        return
    # Every earlier state must itself be a valid record.
    for n in range(len(record.revisions)):
        before = [r for r in record.revisions[n:] if r in valid_revisions]
        try:
            type(record).model_validate(_undo(_dump(record), before))
        except ValidationError as error:
            for problem in problems_from_validation_error(error, file=file, record=label):
                yield Problem.of(
                    file,
                    label,
                    f"revisions[{n}].old",
                    N_("the record before this revision is invalid: {problem}"),
                    problem=problem.framed,
                )
            break
