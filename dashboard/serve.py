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
from typing import Any

import streamlit as st
from streamlit.logger import get_logger

# `streamlit run dashboard/serve.py` puts dashboard/ on the path, not the project root.
_ROOT = str(Path(__file__).resolve().parent.parent)
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

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
    from data.i18n import LANGUAGES  # noqa: PLC0415

    if loaded.ok:
        # The first visit's Overview (counters, running totals, chart) computed now, in every language (a visitor's
        # browser picks it); serialising a figure also sets up Plotly's validators and JSON encoder, which a
        # process's first figure pays for.
        for language in LANGUAGES:
            derived.warm_default_view(loaded, language).to_json()
        storyline_panel.shipped(loaded)  # the shipped storylines, checked against the dataset (every page offers them)
    # Streamlit reads its emoji and icon tables on first use (a button label, a page icon): ~0.1 s.
    import streamlit.emojis  # noqa: F401, PLC0415
    import streamlit.material_icon_names  # noqa: F401, PLC0415

    _first_run_extras()

    state = "loaded" if loaded.ok else f"has {len(loaded.problems)} problem(s); the app will show them"
    _LOG.info("Warmed in %.2f s: the dataset in %s %s", time.perf_counter() - started, loaded.data_dir, state)


def _first_run_extras() -> None:
    """What Streamlit itself does on a process's first script run, measured there (~0.1 s of its 0.15 s): reading
    the favicon with Pillow (its image plugins), and, on the first element drawn, a look up the call stack to
    warn a REPL user (`inspect.stack()`, which resolves the path of every loaded module). Done once, here."""
    from PIL import Image  # noqa: PLC0415

    Image.preinit()
    from streamlit import delta_generator  # noqa: PLC0415

    warn_once = getattr(delta_generator, "_maybe_print_use_warning", None)
    if warn_once is not None:  # a private helper: if a Streamlit version drops it, the first visit pays as before
        warn_once()


@asynccontextmanager
async def _warm_first(_app: Any) -> AsyncIterator[None]:
    try:
        warm()
    except Exception:  # a failed warm-up must not stop the server: the first visit loads as usual and reports
        _LOG.exception("Warming the app failed; the first visit will load the dataset instead")
    yield


app = st.App("app.py", lifespan=_warm_first)
