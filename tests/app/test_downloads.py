"""Page downloads: what the file is called and what it holds (provenance first, the page's filters, both layouts).

A download's data is built only when clicked (a deferred callable); these tests build it the way the server does.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from data.export import ACLED_COLUMNS, CSV_PROVENANCE_LINES, EXPORT_COLUMNS
from tests.app.conftest import Runner

DEFERRED: dict[str, tuple[Any, str | None]] = {}


@pytest.fixture(autouse=True)
def _record_deferred_downloads(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep each deferred download's callable and file name (AppTest drops its media manager after a run)."""
    original = MediaFileManager.add_deferred

    def add_deferred(
        self: MediaFileManager, data_callable: Any, mimetype: Any, coordinates: str, *a: Any, **k: Any
    ) -> str:
        file_id = original(self, data_callable, mimetype, coordinates, *a, **k)
        DEFERRED[file_id] = (data_callable, k.get("file_name", a[0] if a else None))
        return file_id

    monkeypatch.setattr(MediaFileManager, "add_deferred", add_deferred)


def fetch(app: AppTest, key: str) -> tuple[str, str]:
    """(file name, text) of the download button with widget key `key`, built as a click would build it."""
    (button,) = [b for b in app.get("download_button") if b.proto.id.endswith(f"-{key}")]
    build, name = DEFERRED[button.proto.deferred_file_id]
    data = build()
    return str(name), data if isinstance(data, str) else data.decode("utf-8")


def csv_parts(text: str) -> tuple[dict[str, str], list[dict[str, str]]]:
    lines = text.split("\n")
    head = dict(csv.reader(lines[: CSV_PROVENANCE_LINES - 1]))
    assert lines[CSV_PROVENANCE_LINES - 1] == ""
    return head, list(csv.DictReader(io.StringIO("\n".join(lines[CSV_PROVENANCE_LINES:]))))


def test_timeline_csv_has_provenance_filters_and_a_telling_name(run_app: Runner) -> None:
    app = run_app("views/timeline.py", query={"category": "strike", "theater": "eastern_pacific"})
    name, text = fetch(app, "download_events")
    assert name == "crisis-monitor-strikes-eastern-pacific-2025-09-02_2025-11-17.csv"
    head, rows = csv_parts(text)
    assert [r["id"] for r in rows] == ["strike-2025-10-27-eastern-pacific"]
    assert list(rows[0]) == EXPORT_COLUMNS
    assert head["filters"] == "Eastern Pacific · Strike"  # labels for a reader; the ids are in "source"
    assert head["lang"] == "en"
    assert head["citation"].startswith("Venezuela Crisis Monitor, data through 17 Nov 2025")
    assert head["source"].startswith("app view: timeline?") and "theater=eastern_pacific" in head["source"]
    assert rows[0]["source_publishers"] == "Example Daily (via AP)"


def test_timeline_acled_layout_and_json(run_app: Runner) -> None:
    app = run_app("views/timeline.py", state={"download_layout": "acled"})
    name, text = fetch(app, "download_events")
    assert name == "crisis-monitor-events-2025-09-02_2025-11-17-acled.csv"
    head, rows = csv_parts(text)
    assert head["layout"] == "acled" and list(rows[0]) == list(ACLED_COLUMNS)
    assert len(rows) == 5
    name, text = fetch(app, "download_events_json")
    assert name.endswith("-acled.json")
    document = json.loads(text)
    assert document["provenance"]["rows"] == 5 and document["events"][0]["event_id_cnty"]


def test_stances_exports_matrix_and_evidence_for_the_chosen_date(run_app: Runner) -> None:
    app = run_app("views/stances.py", query={"asof": "2025-10-01"})
    name, text = fetch(app, "download_stance_evidence")
    assert name == "crisis-monitor-stance-evidence-2025-10-01.csv"
    head, rows = csv_parts(text)
    assert head["filters"] == "stances as of 01 Oct 2025"
    colombia = next(r for r in rows if r["actor_id"] == "co-colombia" and r["issue_id"] == "boat-strikes")
    assert (colombia["position"], colombia["stated_on"], colombia["days_before_as_of"]) == (
        "oppose",
        "2025-09-16",
        "15",
    )
    assert colombia["source_urls"] == "https://example.org/a"
    talks = next(r for r in rows if r["actor_id"] == "ve-maduro" and r["issue_id"] == "negotiations")
    assert (talks["position"], talks["stated_on"]) == ("mixed", "2025-09-06"), "the 17 Nov support came later"
    name, text = fetch(app, "download_stance_matrix")
    assert name == "crisis-monitor-stance-matrix-2025-10-01.csv"
    _head, matrix = csv_parts(text)
    assert {r["actor_id"]: r["Boat strikes"] for r in matrix}["co-colombia"] == "oppose"
    name, text = fetch(app, "download_stances_json")
    document = json.loads(text)
    assert name == "crisis-monitor-stances-2025-10-01.json" and document["as_of"] == "2025-10-01"


def test_casualties_exports_its_three_tables(run_app: Runner) -> None:
    app = run_app("views/casualties.py")
    name, text = fetch(app, "download_casualties_by_theater")
    assert name == "crisis-monitor-casualties-by-theater-2025-09-02_2025-11-17.csv"
    head, rows = csv_parts(text)
    assert head["table"] == "by_theater"
    assert sum(int(r["killed"]) for r in rows) == 11 + 14 + 4
    _name, text = fetch(app, "download_casualties_by_month")
    _head, months = csv_parts(text)
    assert {r["month"] for r in months} == {"2025-09", "2025-10", "2025-11"}
    _name, text = fetch(app, "download_casualties_tracker_comparison")
    _head, trackers = csv_parts(text)
    (snapshot,) = trackers
    assert (snapshot["tracker"], snapshot["killed"], snapshot["ours_killed"]) == ("Example Tracker", "30", "29")
    assert snapshot["killed_difference"] == "1" and snapshot["unit"] == "strikes announced"
    name, text = fetch(app, "download_casualties_json")
    document = json.loads(text)
    assert name.endswith(".json") and set(document) == {"provenance", "by_theater", "by_month", "tracker_comparison"}


def test_a_truncated_file_stops_the_app_with_the_manifest_message(run_app: Runner, mini_copy: Path) -> None:
    """The app's load check is the validator's: a record lost since the manifest shows instead of any page."""
    from data.loading import load_dataset
    from data.manifest import MANIFEST_FILE, build_manifest, manifest_text

    dataset = load_dataset(mini_copy, check_manifest_file=False)
    manifest = build_manifest(mini_copy, dataset.file_facts, title="t", version="2026-01-01")
    (mini_copy / MANIFEST_FILE).write_text(manifest_text(manifest), encoding="utf-8")
    stances = mini_copy / "stances.yaml"
    stances.write_text("\n".join(stances.read_text(encoding="utf-8").splitlines()[:2]) + "\n", encoding="utf-8")
    app = run_app(data_dir=mini_copy)
    # The lost record, and its now orphaned Spanish text.
    assert "has 2 problem(s), so nothing is shown" in app.error[0].value
    assert "stances.yaml: record (file): holds 2 records, datapackage.json expects 3" in app.code[0].value
    assert f"crisis-monitor manifest {mini_copy}" in app.code[0].value
    assert not app.metric


def test_a_spanish_download_says_its_language_and_keeps_columns_ids_and_numbers(run_app: Runner) -> None:
    english = csv_parts(fetch(run_app("views/timeline.py", query={"theater": "caribbean"}), "download_events")[1])
    spanish = csv_parts(
        fetch(run_app("views/timeline.py", query={"theater": "caribbean", "lang": "es"}), "download_events")[1]
    )
    (en_head, en_rows), (es_head, es_rows) = english, spanish
    assert (en_head["lang"], es_head["lang"]) == ("en", "es")
    assert es_head["citation"].startswith("Venezuela Crisis Monitor, datos hasta el 17 nov 2025")
    assert list(es_rows[0]) == list(en_rows[0]) == EXPORT_COLUMNS
    assert [(r["id"], r["killed"]) for r in es_rows] == [(r["id"], r["killed"]) for r in en_rows]
    first = {r["id"]: r["title"] for r in es_rows}
    assert first["strike-2025-09-02-caribbean"] == "Primer ataque"  # record text in the chosen language
    assert first["strike-2025-11-10-caribbean"] == "Ataque en el Caribe"
