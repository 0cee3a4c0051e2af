"""Plotly's toolbar strings we translate are the ones the plotly.js bundled with Streamlit actually uses: a Streamlit
upgrade that renames one fails here instead of leaving an English tooltip on a Spanish page."""

from __future__ import annotations

import re
from pathlib import Path

import streamlit

from dashboard.i18n import PLOTLY_MESSAGES, STREAMLIT_TOOLBAR_MESSAGES
from data.i18n import catalog


def plotly_bundle() -> str:
    (path,) = (Path(streamlit.__file__).parent / "static" / "static" / "js").glob("PlotlyChart.*.js")
    return path.read_text(encoding="utf-8")


def modebar_strings(bundle: str) -> set[str]:
    """Every string plotly.js's modebar buttons pass through its localiser."""
    start = bundle.index('"src/components/modebar/buttons.js"')
    end = bundle.index('"src/', start + 10)
    return set(re.findall(r"\b[a-z]\([a-z],`([^`]+)`\)", bundle[start:end]))


def test_every_toolbar_string_of_the_bundled_plotly_is_translated() -> None:
    bundle = plotly_bundle()
    found = modebar_strings(bundle)
    assert {"Zoom in", "Autoscale", "Download plot as a PNG"} <= found  # the extraction itself works
    assert sorted(found - set(PLOTLY_MESSAGES)) == []
    for message in PLOTLY_MESSAGES:
        assert f"`{message}`" in bundle, f"plotly.js no longer says {message!r}"
    for message in STREAMLIT_TOOLBAR_MESSAGES:
        assert f"`{message}`" in bundle, f"Streamlit's toolbar no longer says {message!r}"


def test_the_spanish_toolbar_strings_are_spanish() -> None:
    spanish = catalog("es")
    for message in (*PLOTLY_MESSAGES, *STREAMLIT_TOOLBAR_MESSAGES):
        assert spanish.get(message, message) != message, message
