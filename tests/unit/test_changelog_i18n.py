"""The data changelog has Spanish text through the translation files, like every other record kind."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from data.loading import DatasetError, load_dataset
from data.schema import ChangelogText
from tests.conftest import BUNDLED
from tests.unit.test_validation_rules import TODAY


def _write(path: Path, content: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(content, sort_keys=False, allow_unicode=True), encoding="utf-8")


ENTRY = {"id": "2025-11-20-first", "date": "2025-11-20", "change": "First release."}


def test_every_bundled_changelog_entry_has_spanish_text() -> None:
    dataset = load_dataset(BUNDLED)
    spanish = dataset.translations["es"]["changelog"]
    assert {entry.id for entry in dataset.changelog} == set(spanish)
    for entry in dataset.changelog:
        translated = spanish[entry.id]
        assert isinstance(translated, ChangelogText)
        text = translated.change
        assert text != entry.change and len(text) > len(entry.change) * 0.7


def test_a_changelog_entry_needs_an_id(mini_copy: Path) -> None:
    _write(mini_copy / "changelog.yaml", [{k: v for k, v in ENTRY.items() if k != "id"}])
    with pytest.raises(DatasetError) as caught:
        load_dataset(mini_copy, today=TODAY)
    assert any(
        "changelog.yaml: record #1, field 'id': required field is missing" in line for line in caught.value.lines()
    )


def test_changelog_translations_are_checked_and_missing_ones_are_warnings(mini_copy: Path) -> None:
    _write(mini_copy / "changelog.yaml", [ENTRY])
    warnings = load_dataset(mini_copy, today=TODAY).warnings
    assert any("translations/es/changelog.yaml: 1 changelog without 'es' text: 2025-11-20-first" in w for w in warnings)
    _write(mini_copy / "translations" / "es" / "changelog.yaml", [{"id": "2025-11-20-first", "change": "Primera."}])
    dataset = load_dataset(mini_copy, today=TODAY)
    translated = dataset.translations["es"]["changelog"]["2025-11-20-first"]
    assert isinstance(translated, ChangelogText) and translated.change == "Primera."
    assert not any("changelog without" in w for w in dataset.warnings)
    _write(mini_copy / "translations" / "es" / "changelog.yaml", [{"id": "nope", "change": "x"}])
    with pytest.raises(DatasetError) as caught:
        load_dataset(mini_copy, today=TODAY)
    assert any("field 'id': translates unknown changelog id 'nope'" in line for line in caught.value.lines())
