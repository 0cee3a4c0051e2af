"""Export: the documented columns, the research columns, the ACLED layout, provenance, file names, hostile text."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pandas as pd
import pytest

from data.export import (
    ACLED_COLUMNS,
    CSV_PROVENANCE_LINES,
    EXPORT_COLUMNS,
    Provenance,
    export_file_name,
    frame_to_csv,
    neutralise_formula,
    stance_evidence_frame,
    stance_matrix_wide,
    stances_json,
    tables_json,
    to_csv,
    to_json,
)
from data.frames import events_frame, sources_frame, stances_frame
from data.loading import load_dataset
from data.metrics import stance_matrix
from tests.conftest import MINI, REQUIRED_EXPORT_COLUMNS

REQUIRED = REQUIRED_EXPORT_COLUMNS
TODAY = dt.date(2026, 11, 25)
PROVENANCE = Provenance(
    title="Venezuela Crisis Monitor",
    version="2026-11-29",
    coverage_end=dt.date(2026, 6, 22),
    exported_at=dt.datetime(2026, 11, 29, 12, 30, tzinfo=dt.UTC),
    filters="01 Jan 2026 – 28 Feb 2026; theaters: eastern_pacific",
)
HOSTILE = [
    '=HYPERLINK("http://evil.example","x")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
]


def _dataset():  # noqa: ANN202
    return load_dataset(MINI, today=TODAY)


def _events():  # noqa: ANN202
    return events_frame(_dataset())


def split(text: str) -> tuple[dict[str, str], list[dict[str, str]]]:
    lines = text.split("\n")
    head = dict(csv.reader(lines[: CSV_PROVENANCE_LINES - 1]))
    assert lines[CSV_PROVENANCE_LINES - 1] == ""
    return head, list(csv.DictReader(io.StringIO("\n".join(lines[CSV_PROVENANCE_LINES:]))))


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


def test_the_documented_columns_come_first_in_their_old_order() -> None:
    old = ["id", "date", "reported", "category", "theater", "title", "summary", "location", "strikes", "killed"]
    assert EXPORT_COLUMNS[: len(old)] == old
    assert EXPORT_COLUMNS.index("source_urls") == 18


def test_research_columns_cite_each_source_and_place() -> None:
    _head, rows = split(to_csv(_events(), sources=sources_frame(_dataset()), provenance=PROVENANCE))
    pacific = next(r for r in rows if r["id"] == "strike-2025-10-27-eastern-pacific")
    assert pacific["source_publishers"] == "Example Daily (via AP)"
    assert pacific["source_titles"] == "Second strike"
    assert pacific["source_published"] == "2025-10-28"
    assert pacific["source_tiers"] == "2"
    assert (pacific["latitude"], pacific["longitude"], pacific["location_precision"]) == (
        "11.6",
        "-105.3",
        "approximate",
    )
    assert pacific["date_precision"] == "day"
    assert pacific["figure_note"] == "One outlet adds the survivor to the dead."
    assert pacific["actors"] == "us-war-dept" and pacific["actor_names"] == "Department of War"
    assert (pacific["first_reported"], pacific["last_updated"]) == ("2025-10-28", "2025-11-03")
    first = next(r for r in rows if r["id"] == "strike-2025-09-02-caribbean")
    assert first["milestone"] == "True" and pacific["milestone"] == "False"


def test_json_has_a_provenance_header_and_full_sources() -> None:
    document = json.loads(to_json(_events(), sources=sources_frame(_dataset()), provenance=PROVENANCE))
    head = document["provenance"]
    assert head["citation"] == (
        "Venezuela Crisis Monitor, data through 22 Jun 2026 (dataset version 2026-11-29), accessed 29 Nov 2026, "
        "filters: 01 Jan 2026 – 28 Feb 2026; theaters: eastern_pacific."
    )
    assert (head["dataset_version"], head["exported_at"], head["rows"]) == (
        "2026-11-29",
        "2026-11-29T12:30:00+00:00",
        5,
    )
    first = next(r for r in document["events"] if r["id"] == "strike-2025-09-02-caribbean")
    assert first["killed"] == 11 and first["killed_low"] is None
    assert first["source_urls"] == ["https://example.org/a"]
    assert list(first)[: len(EXPORT_COLUMNS)] == EXPORT_COLUMNS
    (source,) = first["sources"]
    assert source == {
        "id": "src-a",
        "publisher": "Example Wire",
        "original_outlet": None,
        "title": "First strike",
        "published": "2025-09-02",
        "url": "https://example.org/a",
        "tier": 1,
    }


def test_json_without_provenance_keeps_the_old_list_shape() -> None:
    records = json.loads(to_json(_events()))
    assert isinstance(records, list) and len(records) == 5


def test_csv_provenance_block_has_a_fixed_documented_size() -> None:
    text = to_csv(_events(), provenance=PROVENANCE)
    head, rows = split(text)
    assert list(head) == [
        "citation",
        "dataset",
        "dataset_version",
        "data_through",
        "exported_at",
        "filters",
        "table",
        "layout",
        "rows",
        "source",
        "lang",
    ]
    assert head["rows"] == "5" and len(rows) == 5 and head["lang"] == "en"
    assert len(pd.read_csv(io.StringIO(text), skiprows=CSV_PROVENANCE_LINES)) == 5


def test_acled_layout_uses_acled_names_and_codes() -> None:
    _head, rows = split(to_csv(_events(), sources=sources_frame(_dataset()), provenance=PROVENANCE, layout="acled"))
    assert list(rows[0]) == list(ACLED_COLUMNS)
    pacific = next(r for r in rows if r["event_id_cnty"] == "strike-2025-10-27-eastern-pacific")
    assert pacific["event_date"] == "2025-10-27" and pacific["year"] == "2025"
    assert pacific["fatalities"] == "14" and pacific["fatalities_high"] == "15"
    assert (pacific["geo_precision"], pacific["time_precision"]) == ("2", "1")
    assert pacific["source"] == "Example Daily (via AP)"
    assert pacific["notes"].startswith("Four boats were struck")
    assert pacific["actor1"] == "Department of War"
    assert pacific["timestamp"] == str(int(dt.datetime(2025, 11, 3, tzinfo=dt.UTC).timestamp()))
    statement = next(r for r in rows if r["event_type"] == "statement")
    assert statement["fatalities"] == "", "no counted dead is blank, never a made-up zero"


def test_month_precision_is_exported_as_such() -> None:
    events = _events()
    events.loc[events["id"] == "strike-2025-11-10-caribbean", "date_precision"] = "month"
    rows = list(csv.DictReader(io.StringIO(to_csv(events, layout="acled"))))
    row = next(r for r in rows if r["event_id_cnty"] == "strike-2025-11-10-caribbean")
    assert row["time_precision"] == "3"
    rows = list(csv.DictReader(io.StringIO(to_csv(events))))
    assert next(r for r in rows if r["id"] == "strike-2025-11-10-caribbean")["date_precision"] == "month"


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        (
            {"categories": ["strike"], "theaters": ["eastern_pacific"]},
            "crisis-monitor-strikes-eastern-pacific-2026-01-01_2026-02-28.csv",
        ),
        ({}, "crisis-monitor-events-2026-01-01_2026-02-28.csv"),
        ({"categories": ["statement", "legal"]}, "crisis-monitor-events-legal-statement-2026-01-01_2026-02-28.csv"),
        (
            {"actors": ["a", "b", "c"], "layout": "acled"},
            "crisis-monitor-events-3-actors-2026-01-01_2026-02-28-acled.csv",
        ),
        (
            {"text": "Hegseth / '; rm -rf", "strong_only": True, "known_on": dt.date(2026, 1, 5)},
            "crisis-monitor-events-search-hegseth-rm-rf-tier-1-2-as-known-2026-01-05-2026-01-01_2026-02-28.csv",
        ),
    ],
)
def test_file_names_say_what_is_in_the_file(kwargs: dict[str, object], name: str) -> None:
    assert export_file_name("events", first=dt.date(2026, 1, 1), last=dt.date(2026, 2, 28), ext="csv", **kwargs) == name  # type: ignore[arg-type]


def test_file_name_of_a_single_date() -> None:
    day = dt.date(2026, 6, 22)
    assert export_file_name("stances", first=day, last=day, ext="json") == "crisis-monitor-stances-2026-06-22.json"


def test_spreadsheet_formulas_are_neutralised() -> None:
    for dangerous in ['=HYPERLINK("x")', "+1", "-1+2", "@SUM(A1)", "\tx", "\rx"]:
        assert neutralise_formula(dangerous).startswith("'")
    assert neutralise_formula("Harmless") == "Harmless"


def _hostile_events() -> pd.DataFrame:
    events = _events()
    for n, row in enumerate(events.index):
        for k, column in enumerate(("title", "summary", "location", "announced_by", "figure_note", "actor_names")):
            events.loc[row, column] = HOSTILE[(n + k) % len(HOSTILE)]
    return events


def _assert_inert(rows: list[dict[str, str]]) -> None:
    for row in rows:
        for value in row.values():
            assert not (value or "").startswith(("=", "+", "-", "@", "\t", "\r")) or _is_number(value), value


def _is_number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


@pytest.mark.parametrize("layout", ["standard", "acled"])
def test_every_event_export_is_inert_on_hostile_text(layout: str) -> None:
    hostile_provenance = Provenance(
        title="Venezuela Crisis Monitor",
        version="1",
        coverage_end=dt.date(2026, 6, 22),
        exported_at=dt.datetime(2026, 11, 29, tzinfo=dt.UTC),
        filters='=HYPERLINK("http://evil.example")\ntext: "@x"',
    )
    text = to_csv(_hostile_events(), sources=sources_frame(_dataset()), provenance=hostile_provenance, layout=layout)  # type: ignore[arg-type]
    head, rows = split(text)
    assert head["filters"].startswith("'=HYPERLINK"), "the filter text is neutralised and kept on one line"
    _assert_inert(rows)
    titles = {r.get("title") for r in rows}
    assert "'" + HOSTILE[0] in titles
    document = json.loads(to_json(_hostile_events(), provenance=hostile_provenance, layout=layout))  # type: ignore[arg-type]
    assert HOSTILE[0] in {r["title"] for r in document["events"]}, "JSON keeps the text as it is (no spreadsheet)"


def _stances(hostile: bool = False) -> tuple[pd.DataFrame, pd.DataFrame]:
    dataset = _dataset()
    stances = stances_frame(dataset)
    if hostile:
        stances["evidence"] = HOSTILE[0]
    matrix = stance_matrix(stances, dt.date(2026, 6, 22))
    evidence = stance_evidence_frame(
        matrix,
        as_of=dt.date(2026, 6, 22),
        actors=[(a.id, "@" + a.name if hostile else a.name) for a in dataset.actors],
        issues=[(i.id, i.short_name) for i in dataset.issues],
        sources=sources_frame(dataset),
    )
    return matrix, evidence


def test_stance_export_has_every_cell_with_its_age_and_sources() -> None:
    _matrix, evidence = _stances()
    assert len(evidence) == 3 * 2
    talks = evidence.loc[(evidence["actor_id"] == "ve-maduro") & (evidence["issue_id"] == "negotiations")].iloc[0]
    assert (talks["position"], talks["stated_on"], talks["days_before_as_of"]) == ("support", "2025-11-17", 217)
    assert talks["source_publishers"] == "Example Gov" and talks["source_urls"] == "https://example.org/c"
    empty = evidence.loc[(evidence["actor_id"] == "us-war-dept") & (evidence["issue_id"] == "negotiations")].iloc[0]
    assert empty["position"] == "" and pd.isna(empty["days_before_as_of"])
    wide = stance_matrix_wide(evidence)
    assert list(wide.columns) == ["actor_id", "actor", "Boat strikes", "Talks"]
    assert wide.set_index("actor_id").loc["co-colombia", "Boat strikes"] == "oppose"
    document = json.loads(stances_json(evidence, PROVENANCE, as_of=dt.date(2026, 6, 22)))
    assert document["provenance"]["table"] == "stances" and document["as_of"] == "2026-06-22"
    assert len(document["matrix"]) == 3 and len(document["evidence"]) == 6
    cell = next(r for r in document["evidence"] if r["stance_id"] == "ve-talks-2025-11-17")
    assert cell["source_urls"] == ["https://example.org/c"] and cell["source_tiers"] == [1]


def test_stance_and_table_exports_are_inert_on_hostile_text() -> None:
    _matrix, evidence = _stances(hostile=True)
    _head, rows = split(frame_to_csv(evidence, PROVENANCE))
    _assert_inert(rows)
    assert any(r["evidence"] == "'" + HOSTILE[0] for r in rows)
    _head, rows = split(frame_to_csv(stance_matrix_wide(evidence), PROVENANCE))
    _assert_inert(rows)
    table = pd.DataFrame({"theater": HOSTILE, "killed": range(len(HOSTILE))})
    _head, rows = split(frame_to_csv(table, PROVENANCE))
    _assert_inert(rows)
    document = json.loads(tables_json({"by_theater": table, "by_month": table.head(1)}, PROVENANCE))
    assert document["provenance"]["rows"] == len(HOSTILE) + 1
    assert document["by_theater"][0] == {"theater": HOSTILE[0], "killed": 0}
