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


def test_the_first_visit_finds_its_overview_computed_by_the_warm_up(
    run_app: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(DATA_DIR_ENV, str(MINI))
    st.cache_data.clear()
    st.cache_resource.clear()
    warm()
    computed: list[str] = []
    monkeypatch.setattr(derived, "casualty_summary", _counting(computed, "counters", derived.casualty_summary))
    monkeypatch.setattr(derived, "cumulative", _counting(computed, "running totals", derived.cumulative))
    chart = components.casualties.cumulative_figure
    monkeypatch.setattr(components.casualties, "cumulative_figure", _counting(computed, "chart", chart))
    app = run_app()
    assert app.metric[0].label == "Strikes"
    assert computed == []  # counters, running totals and chart all came from the warm-up
    app.multiselect(key="theater").set_value(["caribbean"]).run()
    assert computed == ["counters", "running totals", "chart"]  # another view is computed on the visit
