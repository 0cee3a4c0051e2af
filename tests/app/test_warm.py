"""The server's warm-up (dashboard/serve.py) computes the first visit's Overview: the page then finds it cached."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import streamlit as st

import components.casualties
from dashboard import derived
from dashboard.context import DATA_DIR_ENV
from dashboard.serve import warm
from tests.app.conftest import Runner
from tests.conftest import MINI


def _counting(calls: list[str], name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(name)
        return function(*args, **kwargs)

    return counted


@pytest.fixture
def warmed_and_counted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Fresh caches, the server's warm-up on the fixture dataset, then every computation of the Overview counted."""
    monkeypatch.setenv(DATA_DIR_ENV, str(MINI))
    st.cache_data.clear()
    st.cache_resource.clear()
    warm()
    computed: list[str] = []
    monkeypatch.setattr(derived, "casualty_summary", _counting(computed, "counters", derived.casualty_summary))
    monkeypatch.setattr(derived, "cumulative", _counting(computed, "running totals", derived.cumulative))
    chart = components.casualties.cumulative_figure
    monkeypatch.setattr(components.casualties, "cumulative_figure", _counting(computed, "chart", chart))
    return computed


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_first_visit_finds_its_overview_computed_by_the_warm_up(
    language: str, run_app: Runner, warmed_and_counted: list[str]
) -> None:
    app = run_app(query={"lang": language})
    assert app.metric[0].label == {"en": "Strikes", "es": "Ataques"}[language]
    assert warmed_and_counted == []  # counters, running totals and chart all came from the warm-up


def test_another_view_is_computed_on_the_visit(run_app: Runner, warmed_and_counted: list[str]) -> None:
    app = run_app()
    app.multiselect(key="theater").set_value(["caribbean"]).run()
    assert app.metric[0].value == "2"
    assert warmed_and_counted == ["counters", "running totals", "chart"]
