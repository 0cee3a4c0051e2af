"""Event export (CSV / JSON): one row per event, strike figures included."""

from __future__ import annotations

import json
from typing import Any

import pandas as pd

EXPORT_COLUMNS = [
    "id",
    "date",
    "reported",
    "category",
    "theater",
    "title",
    "summary",
    "location",
    "strikes",
    "killed",
    "killed_low",
    "killed_high",
    "survivors",
    "presumed_dead",
    "vessels",
    "announced_by",
    "grade",
    "running_number",
    "source_urls",
]
COUNT_COLUMNS = (
    "strikes",
    "killed",
    "killed_low",
    "killed_high",
    "survivors",
    "presumed_dead",
    "vessels",
    "running_number",
)
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def export_frame(events: pd.DataFrame) -> pd.DataFrame:
    """The export's columns, in order; dates as ISO text and source URLs joined by spaces.

    `killed_low` / `killed_high` are left empty unless sources actually differ.
    """
    frame = events.copy()
    frame["killed_low"] = frame["killed_low"].where(frame["killed_low"] != frame["killed"])
    frame["killed_high"] = frame["killed_high"].where(frame["killed_high"] != frame["killed"])
    frame["date"] = frame["date"].dt.strftime("%Y-%m-%d")
    frame["reported"] = frame["reported"].dt.strftime("%Y-%m-%d")
    frame["source_urls"] = frame["source_urls"].map(" ".join)
    return frame[EXPORT_COLUMNS].reset_index(drop=True)


def neutralise_formula(value: Any) -> Any:
    """Stop a spreadsheet from running text as a formula (CSV injection)."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def to_csv(events: pd.DataFrame) -> str:
    frame = export_frame(events)
    text_columns = frame.select_dtypes(include=["object", "string"]).columns
    for column in text_columns:
        frame[column] = frame[column].map(neutralise_formula)
    return frame.to_csv(index=False, lineterminator="\n")


def to_json(events: pd.DataFrame) -> str:
    frame = export_frame(events)
    records = []
    for row in frame.to_dict(orient="records"):
        clean = {key: (None if pd.isna(value) else value) for key, value in row.items()}
        clean["source_urls"] = clean["source_urls"].split() if clean["source_urls"] else []
        for key in COUNT_COLUMNS:
            value: Any = clean[key]
            if value is not None:
                clean[key] = int(value)
        records.append(clean)
    return json.dumps(records, ensure_ascii=False, indent=2) + "\n"
