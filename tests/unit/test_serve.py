"""The server entry (dashboard/serve.py) warms the process: the pages then find the dataset already loaded."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from dashboard import context
from dashboard.serve import warm
from data.loading import load_dataset

MINI = Path(__file__).resolve().parents[1] / "fixtures" / "mini"


@pytest.fixture
def counted_loads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Each call of the loader the pages use, by folder; the process-wide cache starts empty."""
    calls: list[str] = []

    def counting(root: str | Path) -> object:
        calls.append(str(root))
        return load_dataset(root)

    monkeypatch.setattr(context, "load_dataset", counting)
    context._load.clear()
    yield calls
    context._load.clear()


def test_warm_loads_the_dataset_the_pages_then_reuse(
    counted_loads: list[str], monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv(context.DATA_DIR_ENV, str(MINI))
    with caplog.at_level(logging.INFO):
        warm()
    assert counted_loads == [str(MINI)]
    assert context.load().ok
    assert counted_loads == [str(MINI)]  # the first visit's load() found it in the cache
    assert any("Warmed in" in record.getMessage() and "loaded" in record.getMessage() for record in caplog.records)


def test_a_broken_dataset_is_warmed_too_and_left_for_the_app_to_report(
    counted_loads: list[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / "events.yaml").write_text("not: [a, list\n", encoding="utf-8")
    monkeypatch.setenv(context.DATA_DIR_ENV, str(tmp_path))
    with caplog.at_level(logging.INFO):
        warm()  # no exception: the server must start and the page shows the problems
    loaded = context.load()
    assert not loaded.ok and loaded.problems
    assert counted_loads == [str(tmp_path)]
    assert any("problem(s); the app will show them" in record.getMessage() for record in caplog.records)
