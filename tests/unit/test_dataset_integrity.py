"""Nothing vanishes without a message: the manifest (datapackage.json), empty and unread files, empty actors."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from data.loading import DatasetError, load_dataset
from data.manifest import MANIFEST_FILE
from tests.conftest import BUNDLED, ROOT

TODAY = dt.date(2026, 11, 25)


def problems_for(root: Path) -> list[str]:
    with pytest.raises(DatasetError) as caught:
        load_dataset(root, today=TODAY)
    return caught.value.lines()


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "data.cli", *args], capture_output=True, text=True, cwd=ROOT, timeout=120, check=False
    )


@pytest.fixture
def with_manifest(mini_copy: Path) -> Path:
    result = cli("manifest", str(mini_copy))
    assert result.returncode == 0, result.stderr
    assert "12 files, 32 records" in result.stdout
    return mini_copy


def test_manifest_is_a_data_package_with_bytes_hash_and_records(with_manifest: Path) -> None:
    manifest = json.loads((with_manifest / MANIFEST_FILE).read_text(encoding="utf-8"))
    assert manifest["$schema"].endswith("datapackage.json")
    by_path = {r["path"]: r for r in manifest["resources"]}
    strikes = by_path["events/strikes.yaml"]
    raw = (with_manifest / "events" / "strikes.yaml").read_bytes()
    import hashlib

    assert strikes["bytes"] == len(raw)
    assert strikes["hash"] == "sha256:" + hashlib.sha256(raw).hexdigest()
    assert strikes["records"] == 3
    assert load_dataset(with_manifest, today=TODAY).record_count == 18


def test_a_file_truncated_at_a_record_boundary_is_an_error(with_manifest: Path) -> None:
    path = with_manifest / "events" / "strikes.yaml"
    records = yaml.safe_load(path.read_text(encoding="utf-8"))
    path.write_text(yaml.safe_dump(records[:1], sort_keys=False), encoding="utf-8")
    lines = problems_for(with_manifest)
    line = next(line for line in lines if line.startswith(f"{path}: record (file)"))
    assert "holds 1 records, datapackage.json expects 3" in line
    assert f"crisis-monitor manifest {with_manifest}" in line


def test_a_missing_file_and_an_added_file_are_errors(with_manifest: Path) -> None:
    (with_manifest / "events" / "milestones.yaml").rename(with_manifest / "events" / "more.yaml")
    lines = problems_for(with_manifest)
    assert any(
        line.startswith(f"{with_manifest / 'events' / 'milestones.yaml'}: record (file)")
        and "missing (expected 2 records, found none)" in line
        for line in lines
    ), lines
    assert any(
        line.startswith(f"{with_manifest / 'events' / 'more.yaml'}: record (file)")
        and "not in datapackage.json (found 2 records)" in line
        for line in lines
    ), lines


def test_an_edit_with_the_same_count_is_a_warning_and_manifest_rewrites(with_manifest: Path) -> None:
    path = with_manifest / "trackers.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("killed: 30", "killed: 31"), encoding="utf-8")
    dataset = load_dataset(with_manifest, today=TODAY)
    assert any("trackers.yaml: changed since datapackage.json (same 1 records)" in w for w in dataset.warnings)
    assert cli("manifest", str(with_manifest)).returncode == 0
    assert not any("changed since" in w for w in load_dataset(with_manifest, today=TODAY).warnings)


def test_validate_names_the_file_counts_and_command(with_manifest: Path) -> None:
    path = with_manifest / "stances.yaml"
    records = yaml.safe_load(path.read_text(encoding="utf-8"))
    path.write_text(yaml.safe_dump(records[:2], sort_keys=False), encoding="utf-8")
    result = cli("validate", str(with_manifest))
    assert result.returncode == 1
    assert "stances.yaml: record (file): holds 2 records, datapackage.json expects 3" in result.stderr
    assert f"run 'crisis-monitor manifest {with_manifest}'" in result.stderr


def test_manifest_refuses_to_record_an_invalid_dataset(mini_copy: Path) -> None:
    (mini_copy / "stances.yaml").write_text("", encoding="utf-8")
    result = cli("manifest", str(mini_copy))
    assert result.returncode == 1
    assert "file is empty" in result.stderr
    assert not (mini_copy / MANIFEST_FILE).exists()


def test_an_unreadable_manifest_is_an_error(with_manifest: Path) -> None:
    (with_manifest / MANIFEST_FILE).write_text("{not json", encoding="utf-8")
    assert any("manifest cannot be read" in line for line in problems_for(with_manifest))


def test_no_manifest_is_a_warning(mini_copy: Path) -> None:
    dataset = load_dataset(mini_copy, today=TODAY)
    assert any(w.startswith("datapackage.json: no manifest") for w in dataset.warnings)


@pytest.mark.parametrize("name", ["events/strikes.yaml", "stances.yaml", "trackers.yaml", "sources/main.yaml"])
@pytest.mark.parametrize("content", ["", "[]\n", "# nothing here\n"])
def test_an_empty_file_is_an_error_naming_it(mini_copy: Path, name: str, content: str) -> None:
    (mini_copy / name).write_text(content, encoding="utf-8")
    lines = problems_for(mini_copy)
    assert any(line.startswith(f"{mini_copy / name}: record (file)") and "file is empty" in line for line in lines)


def test_an_empty_actors_file_says_so_instead_of_dangling_references(mini_copy: Path) -> None:
    (mini_copy / "actors.yaml").write_text("", encoding="utf-8")
    lines = problems_for(mini_copy)
    assert lines == [
        f"{mini_copy / 'actors.yaml'}: record (file): file is empty: no records (delete the file if that is intended)"
    ]


def test_an_empty_sources_file_does_not_list_every_citation(mini_copy: Path) -> None:
    (mini_copy / "sources" / "main.yaml").write_text("[]\n", encoding="utf-8")
    lines = problems_for(mini_copy)
    assert not any("unknown source id" in line for line in lines), lines


def test_a_data_file_the_loader_would_not_read_is_an_error(mini_copy: Path) -> None:
    (mini_copy / "event").mkdir()
    stray = mini_copy / "event" / "strikes.yaml"
    stray.write_text((mini_copy / "events" / "strikes.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    lines = problems_for(mini_copy)
    assert any(line.startswith(f"{stray}: record (file): not read") for line in lines), lines


def test_the_bundled_record_matches_its_manifest() -> None:
    """datapackage.json ships with the record and lists every file with its record count."""
    manifest = json.loads((BUNDLED / MANIFEST_FILE).read_text(encoding="utf-8"))
    listed = {r["path"] for r in manifest["resources"]}
    on_disk = {p.relative_to(BUNDLED).as_posix() for p in BUNDLED.rglob("*.yaml")}
    assert listed == on_disk
    assert any(path.startswith("translations/") for path in listed)
