"""AppTest helpers: run the real entry point on a chosen dataset, optionally with URL query parameters."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.context import DATA_DIR_ENV
from tests.conftest import MINI, ROOT

APP = str(ROOT / "dashboard" / "app.py")
PAGES = [
    "views/overview.py",
    "views/timeline.py",
    "views/casualties.py",
    "views/stances.py",
    "views/map.py",
    "views/changes.py",
    "views/sources.py",
]

Runner = Callable[..., AppTest]


@pytest.fixture
def run_app(monkeypatch: pytest.MonkeyPatch) -> Runner:
    """Run the app on `data_dir` (default: the fixture dataset), on `page`, with `query` parameters."""

    def run(
        page: str | None = None,
        *,
        data_dir: Path = MINI,
        query: dict[str, str | list[str]] | None = None,
        state: dict[str, object] | None = None,
    ) -> AppTest:
        monkeypatch.setenv(DATA_DIR_ENV, str(data_dir))
        app = AppTest.from_file(APP, default_timeout=60)
        for key, value in (query or {}).items():
            app.query_params[key] = value
        for key, value in (state or {}).items():
            app.session_state[key] = value
        if page is not None:
            app.switch_page(page)  # the first run is on this page, as when a link to it is opened
        app.run()
        assert not app.exception, [e.value for e in app.exception]
        return app

    return run
