"""Export: the columns the issue names, one row per event, numbers as announced, formulas neutralised."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

from data.export import EXPORT_COLUMNS, neutralise_formula, to_csv, to_json
from data.frames import events_frame
from data.loading import load_dataset
from tests.conftest import MINI, REQUIRED_EXPORT_COLUMNS

REQUIRED = REQUIRED_EXPORT_COLUMNS


def _events():  # noqa: ANN202
    return events_frame(load_dataset(MINI, today=dt.date(2026, 11, 25)))


def test_csv_has_required_columns_and_one_row_per_event() -> None:
    rows = list(csv.DictReader(io.StringIO(to_csv(_events()))))
    assert set(REQUIRED) <= set(rows[0])
    assert len(rows) == 5
    pacific = next(r for r in rows if r["id"] == "strike-2025-10-27-eastern-pacific")
    assert (pacific["killed"], pacific["killed_low"], pacific["killed_high"]) == ("14", "", "15")
    assert (pacific["survivors"], pacific["presumed_dead"], pacific["vessels"]) == ("1", "1", "4")
    assert pacific["source_urls"] == "https://example.org/b"
    statement = next(r for r in rows if r["category"] == "statement")
    assert statement["killed"] == ""


def test_json_numbers_are_integers_and_urls_a_list() -> None:
    records = json.loads(to_json(_events()))
    first = next(r for r in records if r["id"] == "strike-2025-09-02-caribbean")
    assert first["killed"] == 11 and first["killed_low"] is None
    assert first["source_urls"] == ["https://example.org/a"]
    assert list(first) == EXPORT_COLUMNS


def test_spreadsheet_formulas_are_neutralised() -> None:
    for dangerous in ['=HYPERLINK("x")', "+1", "-1+2", "@SUM(A1)", "\tx", "\rx"]:
        assert neutralise_formula(dangerous).startswith("'")
    assert neutralise_formula("Harmless") == "Harmless"
    events = _events()
    events.loc[events.index[0], "title"] = "=cmd|' /C calc'!A0"
    rows = list(csv.DictReader(io.StringIO(to_csv(events))))
    assert any(r["title"] == "'=cmd|' /C calc'!A0" for r in rows)
