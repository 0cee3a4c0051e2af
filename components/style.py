"""Shared colours, labels and text helpers, chosen to read on a projector and for colour-blind viewers."""

from __future__ import annotations

import html

import plotly.graph_objects as go

# Okabe-Ito: distinguishable with the common colour-vision deficiencies.
OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]

THEATER_LABELS = {
    "caribbean": "Caribbean",
    "eastern_pacific": "Eastern Pacific",
    "venezuela": "Venezuela",
    "united_states": "United States",
    "international": "International",
}
THEATER_COLORS = {
    "caribbean": "#0072B2",
    "eastern_pacific": "#E69F00",
    "venezuela": "#009E73",
    "united_states": "#CC79A7",
    "international": "#56B4E9",
}
# One colour per category: Okabe-Ito without its pale yellow, then Paul Tol's muted scheme (both made for
# colour-blind viewers); every lane is also labelled, so colour is never the only cue.
CATEGORY_COLORS = {
    "strike": "#0072B2",
    "deployment": "#E69F00",
    "bounty": "#009E73",
    "designation": "#CC79A7",
    "statement": "#56B4E9",
    "diplomacy": "#D55E00",
    "legal": "#882255",
    "legislative": "#332288",
    "sanctions": "#117733",
    "election": "#999933",
    "military_operation": "#AA4499",
    "other": "#666666",
}
CATEGORY_LABELS = {
    "strike": "Strike",
    "deployment": "Deployment",
    "bounty": "Bounty",
    "designation": "Designation",
    "statement": "Statement",
    "diplomacy": "Diplomacy",
    "legal": "Legal",
    "legislative": "Legislative",
    "sanctions": "Sanctions",
    "election": "Election",
    "military_operation": "Military operation",
    "other": "Other",
}
# Diverging blue (support) to red (oppose), with purple for mixed and grey for neutral;
# every cell also carries a symbol and a word, so colour is never the only cue.
POSITION_COLORS = {"support": "#2166AC", "mixed": "#9970AB", "neutral": "#BABABA", "oppose": "#B2182B"}
POSITION_SYMBOLS = {"support": "▲", "mixed": "◆", "neutral": "●", "oppose": "▼"}
POSITION_LABELS = {"support": "Support", "mixed": "Mixed", "neutral": "Neutral", "oppose": "Oppose"}
GRADE_LABELS = {
    "official_claim": "Official claim only",
    "corroborated": "Corroborated",
    "disputed": "Disputed",
}
BASE_FONT_SIZE = 15


def inert(text: object) -> str:
    """Escape text for Plotly labels, which would otherwise interpret HTML-like tags."""
    return html.escape(str(text), quote=False)  # Plotly shows &quot; literally; quotes are harmless without tags


def base_layout(figure: go.Figure, *, title: str, height: int = 420) -> go.Figure:
    """The look every chart shares: large type, no clutter, a title that says what it shows."""
    figure.update_layout(
        title={"text": inert(title), "x": 0, "xanchor": "left"},
        height=height,
        margin={"l": 10, "r": 10, "t": 60, "b": 10},
        font={"size": BASE_FONT_SIZE},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 1, "xanchor": "right"},
        hoverlabel={"font_size": BASE_FONT_SIZE},
    )
    return figure
