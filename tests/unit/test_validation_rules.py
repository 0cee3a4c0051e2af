"""Every validation rule has a failing example, and its message names the file, the record and the field."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from data.loading import DatasetError, load_dataset
from tests.conftest import MINI

TODAY = dt.date(2026, 11, 25)


def problems_for(root: Path) -> list[str]:
    with pytest.raises(DatasetError) as caught:
        load_dataset(root, today=TODAY)
    return caught.value.lines()


def test_fixture_dataset_is_valid() -> None:
    dataset = load_dataset(MINI, today=TODAY)
    assert len(dataset.events) == 5
    assert dataset.record_count == 18


def _set(field: str, value: Any):  # noqa: ANN202 - a tiny test helper
    def change(record: dict[str, Any]) -> None:
        target = record
        *parents, last = field.split(".")
        for parent in parents:
            target = target[parent]
        target[last] = value

    return change


def _drop(field: str):  # noqa: ANN202
    def change(record: dict[str, Any]) -> None:
        record.pop(field)

    return change


# (file, record index, change, expected record label, expected field, expected words in the message)
CASES = [
    ("events/strikes.yaml", 0, _set("colour", "red"), "'strike-2025-09-02-caribbean'", "colour", "unknown field"),
    ("events/strikes.yaml", 0, _drop("title"), "'strike-2025-09-02-caribbean'", "title", "required field is missing"),
    (
        "events/strikes.yaml",
        0,
        _set("strike.killed", -1),
        "'strike-2025-09-02-caribbean'",
        "strike.killed",
        "greater than or equal to 0",
    ),
    (
        "events/strikes.yaml",
        0,
        _set("strike.killed", "11"),
        "'strike-2025-09-02-caribbean'",
        "strike.killed",
        "valid integer",
    ),
    (
        "events/strikes.yaml",
        1,
        _set("strike.killed_low", 20),
        "'strike-2025-10-27-eastern-pacific'",
        "strike",
        "killed_low (20) is above killed (14)",
    ),
    (
        "events/strikes.yaml",
        1,
        _set("strike.killed_high", 3),
        "'strike-2025-10-27-eastern-pacific'",
        "strike",
        "killed_high (3) is below killed (14)",
    ),
    (
        "events/strikes.yaml",
        1,
        _set("strike.survivors", 4),
        "'strike-2025-10-27-eastern-pacific'",
        "strike",
        "survivor_fates add up to 1 but survivors is 4",
    ),
    (
        "events/strikes.yaml",
        0,
        _set("reported", dt.date(2025, 9, 1)),
        "'strike-2025-09-02-caribbean'",
        "",
        "is after reported",
    ),
    (
        "events/strikes.yaml",
        0,
        _set("date", dt.date(2027, 1, 1)),
        "'strike-2025-09-02-caribbean'",
        "",
        "is after reported",
    ),
    (
        "events/milestones.yaml",
        0,
        _set("reported", dt.date(2027, 1, 1)),
        "'designation-2025-11-16-fto'",
        "reported",
        "is in the future",
    ),
    ("events/strikes.yaml", 0, _drop("strike"), "'strike-2025-09-02-caribbean'", "", "needs a 'strike' block"),
    (
        "events/strikes.yaml",
        0,
        _set("category", "statement"),
        "'strike-2025-09-02-caribbean'",
        "",
        "only events of category 'strike'",
    ),
    (
        "events/strikes.yaml",
        0,
        _set("category", "massacre"),
        "'strike-2025-09-02-caribbean'",
        "category",
        "Input should be",
    ),
    ("events/strikes.yaml", 0, _set("sources", []), "'strike-2025-09-02-caribbean'", "sources", "at least 1 item"),
    (
        "events/strikes.yaml",
        0,
        _set("sources", ["nowhere"]),
        "'strike-2025-09-02-caribbean'",
        "sources[0]",
        "unknown source id 'nowhere'",
    ),
    (
        "events/strikes.yaml",
        0,
        _set("actors", ["us-war-dept", "martians"]),
        "'strike-2025-09-02-caribbean'",
        "actors[1]",
        "unknown actor id 'martians'",
    ),
    (
        "events/strikes.yaml",
        0,
        _set("strike.announced_on", dt.date(2025, 9, 1)),
        "'strike-2025-09-02-caribbean'",
        "",
        "announced_on 2025-09-01 is before date",
    ),
    (
        "events/strikes.yaml",
        1,
        _set("id", "strike-2025-09-02-caribbean"),
        "'strike-2025-09-02-caribbean'",
        "id",
        "duplicate id",
    ),
    ("events/strikes.yaml", 0, _set("id", "Not A Slug"), "'Not A Slug'", "id", "should match pattern"),
    (
        "events/strikes.yaml",
        1,
        _set("coordinates.lat", 123),
        "'strike-2025-10-27-eastern-pacific'",
        "coordinates.lat",
        "less than or equal to 90",
    ),
    ("sources/main.yaml", 0, _set("url", "javascript:alert(1)"), "'src-a'", "url", "absolute http(s) URL"),
    ("sources/main.yaml", 0, _set("url", "/relative/page"), "'src-a'", "url", "absolute http(s) URL"),
    ("sources/main.yaml", 0, _set("kind", "blog"), "'src-a'", "kind", "Input should be"),
    ("sources/main.yaml", 1, _set("published", dt.date(2027, 1, 1)), "'src-b'", "published", "in the future"),
    ("stances.yaml", 0, _set("position", "love"), "'co-boat-2025-09-16'", "position", "Input should be"),
    ("stances.yaml", 0, _set("actor", "atlantis"), "'co-boat-2025-09-16'", "actor", "unknown actor id 'atlantis'"),
    ("stances.yaml", 0, _set("issue", "weather"), "'co-boat-2025-09-16'", "issue", "unknown issue id 'weather'"),
    ("trackers.yaml", 0, _set("killed", -5), "'tracker-2025-11-20'", "killed", "greater than or equal to 0"),
]


@pytest.mark.parametrize(
    ("file", "index", "change", "record", "field", "words"),
    CASES,
    ids=[f"{c[0]}:{c[4] or 'record'}:{c[5][:24]}" for c in CASES],
)
def test_rule_breaks_are_reported_with_file_record_and_field(mutate, file, index, change, record, field, words) -> None:
    root = mutate(file, index, change)
    lines = problems_for(root)
    expected_prefix = f"{root / file}: record {record}"
    matching = [line for line in lines if words in line]
    assert matching, f"no message containing {words!r} in {lines}"
    line = matching[0]
    assert line.startswith(expected_prefix), line
    if field:
        assert f"field '{field}'" in line, line


def test_yaml_syntax_error_names_file_and_line(mini_copy: Path) -> None:
    (mini_copy / "stances.yaml").write_text("- {id: x, actor: [unclosed\n", encoding="utf-8")
    lines = problems_for(mini_copy)
    assert any(line.startswith(f"{mini_copy / 'stances.yaml'}: record (file)") and "line" in line for line in lines)


def test_duplicate_yaml_key_is_an_error_not_a_silent_overwrite(mini_copy: Path) -> None:
    path = mini_copy / "trackers.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("killed: 30,", "killed: 30, killed: 31,"), encoding="utf-8"
    )
    lines = problems_for(mini_copy)
    assert any("duplicate key 'killed'" in line for line in lines), lines


def test_a_file_that_is_not_a_list_is_rejected(mini_copy: Path) -> None:
    (mini_copy / "trackers.yaml").write_text("id: lonely\n", encoding="utf-8")
    assert any("must be a list of records" in line for line in problems_for(mini_copy))


def test_a_record_that_is_not_a_mapping_is_rejected_by_position(mini_copy: Path) -> None:
    (mini_copy / "trackers.yaml").write_text("- just a string\n", encoding="utf-8")
    lines = problems_for(mini_copy)
    assert any(line.startswith(f"{mini_copy / 'trackers.yaml'}: record #1") for line in lines), lines


def test_non_utf8_file_is_rejected(mini_copy: Path) -> None:
    (mini_copy / "trackers.yaml").write_bytes("- {id: caf\xe9}\n".encode("latin-1"))
    assert any("not UTF-8" in line for line in problems_for(mini_copy))


def test_missing_required_kind_is_reported(mini_copy: Path) -> None:
    (mini_copy / "actors.yaml").unlink()
    lines = problems_for(mini_copy)
    assert any("no actors file found" in line for line in lines)


def test_every_problem_is_reported_not_just_the_first(mutate) -> None:
    root = mutate("events/strikes.yaml", 0, _set("strike.killed", -1))
    mutate("stances.yaml", 0, _set("position", "love"))
    lines = problems_for(root)
    assert any("strike.killed" in line for line in lines)
    assert any("position" in line for line in lines)


# Hostile or broken files are refused quickly, with a message, and run no code.
HOSTILE_FILES = {
    "alias bomb": (
        'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n'
        "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n",
        "aliases (*name) are not allowed",
    ),
    "python tag": ("- !!python/object/apply:os.system ['echo pwned']\n", "could not determine a constructor"),
    "deep nesting": ("- " + "[" * 5000 + "]" * 5000 + "\n", "nested"),
    "truncated": ("- id: x\n  title: 'unterminated\n", "cannot be parsed"),
}


@pytest.mark.parametrize("loader", ["fast", "pure"])
@pytest.mark.parametrize("name", list(HOSTILE_FILES))
def test_hostile_yaml_is_rejected_with_a_message(
    mini_copy: Path, name: str, loader: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same protections with libyaml's C loader (the default where installed) and the pure-Python one."""
    import time

    import data.loading

    if loader == "pure":
        monkeypatch.setattr(data.loading, "YAML_LOADER", data.loading._UniqueKeyLoader)
    else:
        assert data.loading.YAML_LOADER is not data.loading._UniqueKeyLoader, "libyaml is not in use"
    text, words = HOSTILE_FILES[name]
    (mini_copy / "trackers.yaml").write_text(text, encoding="utf-8")
    started = time.perf_counter()
    lines = problems_for(mini_copy)
    assert time.perf_counter() - started < 5
    assert any(line.startswith(f"{mini_copy / 'trackers.yaml'}: record (file)") and words in line for line in lines), (
        lines
    )


@pytest.mark.parametrize("loader", ["fast", "pure"])
def test_duplicate_keys_and_shallow_anchors_with_either_loader(loader: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import yaml

    import data.loading

    chosen = data.loading._UniqueKeyLoader if loader == "pure" else data.loading.YAML_LOADER
    assert data.loading.parse_yaml("- {a: 1, b: [1, 2]}\n", chosen) == [{"a": 1, "b": [1, 2]}]
    with pytest.raises(yaml.YAMLError, match="duplicate key 'a'"):
        data.loading.parse_yaml("- {a: 1, a: 2}\n", chosen)
    # an anchor never used is harmless; its alias is not
    assert data.loading.parse_yaml("- &x {a: 1}\n", chosen) == [{"a": 1}]
    with pytest.raises(yaml.YAMLError, match="aliases"):
        data.loading.parse_yaml("- &x {a: 1}\n- *x\n", chosen)
    # 20 levels are fine, 21 are not
    assert data.loading.parse_yaml("[" * 20 + "]" * 20, chosen) is not None
    with pytest.raises(yaml.YAMLError, match="nested more than 20"):
        data.loading.parse_yaml("[" * 22 + "]" * 22, chosen)


def test_oversized_file_is_rejected_before_parsing(mini_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import data.loading

    monkeypatch.setattr(data.loading, "MAX_YAML_BYTES", 100)
    lines = problems_for(mini_copy)
    assert any("over the limit of 100 bytes for YAML files" in line for line in lines)


@pytest.mark.parametrize(("name", "size"), [("trackers.yaml", 50 * 1024 * 1024), ("trackers.json", 200 * 1024 * 1024)])
def test_a_huge_file_is_refused_unread_in_well_under_a_second(mini_copy: Path, name: str, size: int) -> None:
    """A 50 MB YAML file once cost a minute and 1.5 GB; now it is refused from its size alone."""
    import time
    import tracemalloc

    path = mini_copy / name
    with path.open("wb") as handle:
        handle.truncate(size)  # sparse: only the size matters
    if name.endswith(".json"):
        (mini_copy / "trackers.yaml").unlink()
    tracemalloc.start()
    started = time.perf_counter()
    lines = problems_for(mini_copy)
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert elapsed < 1, elapsed
    assert peak < 20 * 1024 * 1024, peak
    kind, limit = ("JSON", "134,217,728") if name.endswith(".json") else ("YAML", "2,097,152")
    assert any(
        line.startswith(f"{path}: record (file)") and f"over the limit of {limit} bytes for {kind} files" in line
        for line in lines
    ), lines


def test_the_limits_leave_headroom_over_the_real_files() -> None:
    """The limits come from the bundled files (largest ~52 KB) with room for growth (Spanish text doubles it)."""
    import data.loading
    from tests.conftest import BUNDLED

    largest = max(p.stat().st_size for p in BUNDLED.rglob("*.yaml"))
    assert largest * 10 < data.loading.MAX_YAML_BYTES
