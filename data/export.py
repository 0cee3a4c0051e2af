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
    # Added with the record's history and source tiers; appended so scripts reading the columns above keep working.
    "date_precision",
    "first_reported",
    "last_updated",
    "revision_count",
    "source_tiers",
    "best_tier",
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
    "revision_count",
    "best_tier",
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
    for column in ("reported", "first_reported", "last_updated"):
        frame[column] = frame[column].dt.strftime("%Y-%m-%d")
    frame["source_urls"] = frame["source_urls"].map(" ".join)
    frame["source_tiers"] = frame["source_tiers"].map(lambda tiers: " ".join(str(t) for t in tiers))
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
        clean["source_tiers"] = [int(t) for t in clean["source_tiers"].split()] if clean["source_tiers"] else []
        for key in COUNT_COLUMNS:
            value: Any = clean[key]
            if value is not None:
                clean[key] = int(value)
        records.append(clean)
    return json.dumps(records, ensure_ascii=False, indent=2) + "\n"
