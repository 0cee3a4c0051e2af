"""Shared fixtures: the small fixture dataset (known numbers) and mutable copies of it."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini"
BUNDLED = ROOT / "data" / "records"
# The export columns the data contract promises (issue text), restated here on purpose, not imported.
REQUIRED_EXPORT_COLUMNS = [
    "id",
    "date",
    "category",
    "theater",
    "title",
    "killed",
    "killed_low",
    "killed_high",
    "survivors",
    "presumed_dead",
    "vessels",
    "announced_by",
    "grade",
    "source_urls",
]


@pytest.fixture
def mini_copy(tmp_path: Path) -> Path:
    """A writable copy of the fixture dataset."""
    target = tmp_path / "records"
    shutil.copytree(MINI, target)
    return target


Mutator = Callable[[str, int, Callable[[dict[str, Any]], None]], Path]


@pytest.fixture
def mutate(mini_copy: Path) -> Mutator:
    """Edit record `index` (0-based) of `relative_file` in the copy with `change(record)`."""

    def apply(relative_file: str, index: int, change: Callable[[dict[str, Any]], None]) -> Path:
        path = mini_copy / relative_file
        records = yaml.safe_load(path.read_text(encoding="utf-8"))
        change(records[index])
        path.write_text(yaml.safe_dump(records, sort_keys=False, allow_unicode=True), encoding="utf-8")
        return mini_copy

    return apply
