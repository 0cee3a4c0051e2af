"""Server entry point: `streamlit run dashboard/serve.py` serves dashboard/app.py, warmed before its first visitor.

Without it the first visit after a start — what an analyst sees right after `./dev.sh run`, and every replica's
first user — also pays for importing pandas and the app and for loading and checking the dataset (about 0.65 s of
a 3.2 s first visit on the bundled record, measured by `./dev.sh bench`). Here that work runs while the server
starts, before it accepts a connection: the server is healthy a little later and the first page is as quick as
any other. The app itself is unchanged (`streamlit run dashboard/app.py` still works, unwarmed).
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import streamlit as st
from streamlit.logger import get_logger

# `streamlit run dashboard/serve.py` puts dashboard/ on the path, not the project root.
_ROOT = str(Path(__file__).resolve().parent.parent)
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

if TYPE_CHECKING:
    from dashboard.context import Loaded

_LOG = get_logger(__name__)
# Streamlit warns once that a cached function ran outside a script run; here that is the point.
_NO_CONTEXT_LOGGER = "streamlit.runtime.scriptrunner_utils.script_run_context"


def warm() -> None:
    """Import what the pages use and load the dataset into the process-wide cache the pages read."""
    started = time.perf_counter()
    import components.casualties  # noqa: F401, PLC0415 - imported for its cost, now rather than on a visit
    import components.geo  # noqa: F401, PLC0415
    import components.stances  # noqa: F401, PLC0415
    import components.timeline  # noqa: F401, PLC0415
    from dashboard import (  # noqa: F401, PLC0415 - everything app.py and the pages import
        auth,
        context,
        derived,
        exports,
        filter_panel,
        last_visit,
        presenter,
        reconnect,
        storyline_panel,
        url_state,
        widgets,
    )

    quiet = logging.getLogger(_NO_CONTEXT_LOGGER)
    level = quiet.level
    quiet.setLevel(logging.ERROR)
    try:
        loaded = context.load()
    finally:
        quiet.setLevel(level)
    if loaded.ok:
        _first_figure(loaded)
        storyline_panel.shipped(loaded)  # the shipped storylines, checked against the dataset (every page offers them)
    # Streamlit reads its emoji and icon tables on first use (a button label, a page icon): ~0.1 s.
    import streamlit.emojis  # noqa: F401, PLC0415
    import streamlit.material_icon_names  # noqa: F401, PLC0415

    state = "loaded" if loaded.ok else f"has {len(loaded.problems)} problem(s); the app will show them"
    _LOG.info("Warmed in %.2f s: the dataset in %s %s", time.perf_counter() - started, loaded.data_dir, state)


def _first_figure(loaded: Loaded) -> None:
    """Build and serialise the Overview's chart once: Plotly sets up its validators on a process's first figure."""
    from components.casualties import cumulative_figure  # noqa: PLC0415
    from data.filters import Filters  # noqa: PLC0415
    from data.metrics import cumulative  # noqa: PLC0415

    cumulative_figure(cumulative(Filters().apply(loaded.events))).to_json()


@asynccontextmanager
async def _warm_first(_app: Any) -> AsyncIterator[None]:
    try:
        warm()
    except Exception:  # a failed warm-up must not stop the server: the first visit loads as usual and reports
        _LOG.exception("Warming the app failed; the first visit will load the dataset instead")
    yield


app = st.App("app.py", lifespan=_warm_first)
