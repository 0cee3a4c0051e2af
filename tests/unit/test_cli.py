"""The `crisis-monitor` command, run as a real subprocess: exit codes, messages, CSV columns."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

from data.export import CSV_PROVENANCE_LINES
from tests.conftest import MINI, REQUIRED_EXPORT_COLUMNS, ROOT


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    executable = shutil.which("crisis-monitor", path=str(Path(sys.executable).parent))
    command = [executable] if executable else [sys.executable, "-m", "data.cli"]
    return subprocess.run([*command, *args], capture_output=True, text=True, cwd=cwd, timeout=120, check=False)


def csv_table(text: str) -> tuple[dict[str, str], list[dict[str, str]]]:
    """The provenance block (first CSV_PROVENANCE_LINES lines) and the table's rows."""
    lines = text.split("\n")
    head = dict(csv.reader(lines[: CSV_PROVENANCE_LINES - 1]))
    assert lines[CSV_PROVENANCE_LINES - 1] == "", "a blank line ends the provenance block"
    return head, list(csv.DictReader(io.StringIO("\n".join(lines[CSV_PROVENANCE_LINES:]))))


def test_validate_passes_on_the_bundled_data() -> None:
    result = run("validate")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("OK: ") and "0 errors" in result.stdout


def test_validate_fails_with_one_line_per_problem_and_no_traceback(tmp_path: Path) -> None:
    broken = tmp_path / "records"
    shutil.copytree(MINI, broken)
    path = broken / "events" / "strikes.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("killed: 11", "killed: -11"), encoding="utf-8")
    stances = broken / "stances.yaml"
    stances.write_text(
        stances.read_text(encoding="utf-8").replace("position: oppose", "position: furious"), encoding="utf-8"
    )
    result = run("validate", str(broken))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines[-1] == "2 problem(s) found; nothing was loaded."
    assert f"{path}: record 'strike-2025-09-02-caribbean' (item 1), field 'strike.killed':" in lines[0]
    assert f"{stances}: record 'co-boat-2025-09-16' (item 1), field 'position':" in lines[1]


def test_validate_on_a_missing_folder_fails_cleanly(tmp_path: Path) -> None:
    result = run("validate", str(tmp_path / "nope"))
    assert result.returncode == 1
    assert "data folder not found" in result.stderr and "Traceback" not in result.stderr


def test_export_csv_columns_and_filters() -> None:
    result = run("export", "--format", "csv", "--data-dir", str(MINI), "--category", "strike", "--since", "2025-10-01")
    assert result.returncode == 0, result.stderr
    head, rows = csv_table(result.stdout)
    assert [r["id"] for r in rows] == ["strike-2025-10-27-eastern-pacific", "strike-2025-11-10-caribbean"]
    for column in REQUIRED_EXPORT_COLUMNS:
        assert column in rows[0]
    assert head["filters"] == "01 Oct 2025 – latest; categories: strike"
    assert head["rows"] == "2" and head["layout"] == "standard"
    assert head["citation"].startswith("Venezuela Crisis Monitor, data through 17 Nov 2025")
    assert "--category strike" in head["source"] and "--since 2025-10-01" in head["source"]


def test_export_acled_layout_to_a_named_file_in_a_folder(tmp_path: Path) -> None:
    result = run(
        "export", "--data-dir", str(MINI), "--layout", "acled", "--theater", "eastern_pacific", "--out", str(tmp_path)
    )
    assert result.returncode == 0, result.stderr
    (path,) = tmp_path.iterdir()
    assert path.name == "crisis-monitor-events-eastern-pacific-2025-09-02_2025-11-17-acled.csv"
    head, rows = csv_table(path.read_text(encoding="utf-8"))
    assert head["layout"] == "acled"
    (row,) = rows
    assert (row["event_id_cnty"], row["event_date"], row["fatalities"]) == (
        "strike-2025-10-27-eastern-pacific",
        "2025-10-27",
        "14",
    )
    assert (row["latitude"], row["longitude"], row["geo_precision"], row["time_precision"]) == (
        "11.6",
        "-105.3",
        "2",
        "1",
    )


def test_export_provenance_sidecar_leaves_a_bare_table(tmp_path: Path) -> None:
    out = tmp_path / "events.csv"
    result = run("export", "--data-dir", str(MINI), "--provenance", "sidecar", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert out.read_text(encoding="utf-8").startswith("id,date,")
    sidecar = json.loads((tmp_path / "events.csv.provenance.json").read_text(encoding="utf-8"))
    assert sidecar["provenance"]["rows"] == 5
    assert run("export", "--data-dir", str(MINI), "--provenance", "sidecar").returncode == 2
    out = tmp_path / "events.json"
    result = run("export", "--data-dir", str(MINI), "--format", "json", "--provenance", "sidecar", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert len(json.loads(out.read_text(encoding="utf-8"))) == 5, "a bare list, as before provenance"
    assert (tmp_path / "events.json.provenance.json").is_file()


def test_export_json_to_a_file(tmp_path: Path) -> None:
    out = tmp_path / "events.json"
    result = run("export", "--format", "json", "--data-dir", str(MINI), "--until", "2025-09-30", "--out", str(out))
    assert result.returncode == 0, result.stderr
    document = json.loads(out.read_text(encoding="utf-8"))
    assert [e["id"] for e in document["events"]] == ["strike-2025-09-02-caribbean"]
    assert document["provenance"]["filters"] == "start – 30 Sep 2025"
    assert document["provenance"]["rows"] == 1


def test_export_rejects_a_bad_date_without_traceback() -> None:
    result = run("export", "--since", "yesterday")
    assert result.returncode == 2
    assert "'yesterday' is not a date" in result.stderr and "Traceback" not in result.stderr


def test_export_refuses_to_run_on_invalid_data(tmp_path: Path) -> None:
    broken = tmp_path / "records"
    shutil.copytree(MINI, broken)
    (broken / "actors.yaml").unlink()
    result = run("export", "--data-dir", str(broken))
    assert result.returncode == 1 and result.stdout == ""


def test_schema_command_writes_json_schemas(tmp_path: Path) -> None:
    result = run("schema", "--out-dir", str(tmp_path))
    assert result.returncode == 0, result.stderr
    schema = json.loads((tmp_path / "events.schema.json").read_text(encoding="utf-8"))
    item = schema["items"]
    assert item["additionalProperties"] is False
    assert "strike" in item["properties"] and "killed" in schema["items"]["$defs"]["StrikeDetail"]["properties"]


def test_committed_schemas_are_up_to_date(tmp_path: Path) -> None:
    run("schema", "--out-dir", str(tmp_path))
    for generated in tmp_path.glob("*.schema.json"):
        committed = ROOT / "data" / "schema" / generated.name
        assert committed.read_text(encoding="utf-8") == generated.read_text(encoding="utf-8"), (
            f"{committed} is stale: run `crisis-monitor schema`"
        )


def test_counters_agree_with_the_export() -> None:
    """The casualty counters and `crisis-monitor export` sum the same records to the same totals."""
    from data.frames import events_frame
    from data.loading import load_dataset
    from data.metrics import casualty_summary

    result = run("export", "--format", "csv", "--category", "strike")
    assert result.returncode == 0, result.stderr
    _head, rows = csv_table(result.stdout)
    summary = casualty_summary(events_frame(load_dataset()))
    assert len(rows) == summary.announcements
    assert sum(int(r["killed"]) for r in rows) == summary.killed
    assert sum(int(r["vessels"]) for r in rows) == summary.vessels
    assert sum(int(r["strikes"]) for r in rows) == summary.strikes
    assert sum(int(r["survivors"]) for r in rows) == summary.survivors
    assert sum(int(r["presumed_dead"]) for r in rows) == summary.presumed_dead


def test_export_in_spanish_keeps_ids_and_numbers_and_says_its_language() -> None:
    english = json.loads(run("export", "--format", "json", "--data-dir", str(MINI)).stdout)
    spanish = json.loads(run("export", "--format", "json", "--lang", "es", "--data-dir", str(MINI)).stdout)
    assert (english["provenance"]["lang"], spanish["provenance"]["lang"]) == ("en", "es")
    assert [(e["id"], e["killed"]) for e in spanish["events"]] == [(e["id"], e["killed"]) for e in english["events"]]
    titles = {e["id"]: e["title"] for e in spanish["events"]}
    assert titles["strike-2025-09-02-caribbean"] == "Primer ataque"
    assert spanish["provenance"]["citation"].startswith("Venezuela Crisis Monitor, datos hasta el 17 nov 2025")


def test_validate_checks_the_shipped_storylines_and_names_a_bad_one(tmp_path: Path) -> None:
    shipped = run("validate")
    assert shipped.returncode == 0 and "storyline(s), 0 errors" in shipped.stdout
    (tmp_path / "x.yaml").write_text(
        "id: x\ntitle: X\nsteps:\n  - headline: One\n    page: nowhere\n    view: {}\n", encoding="utf-8"
    )
    bad = run("validate", "--storylines", str(tmp_path))
    assert bad.returncode == 1
    assert f"{tmp_path / 'x.yaml'}: record step 1 ('One'), field 'page': Input should be" in bad.stderr
