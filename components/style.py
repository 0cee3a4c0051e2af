"""Shared colours, labels and text helpers, chosen to read on a projector and for colour-blind viewers."""

from __future__ import annotations

import datetime as dt
import html

import pandas as pd
import plotly.graph_objects as go
from babel.dates import format_date
from babel.numbers import get_decimal_symbol, get_group_symbol

from data.i18n import SOURCE_LANGUAGE, format_day

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
# Tick labels, legends and axis titles: Streamlit's Plotly theme sets them to 12 px unless a figure says otherwise,
# too small for a projector; 15 px everywhere, 18 px for titles.
TICK_FONT_SIZE = 15
TITLE_FONT_SIZE = 18
# Figures with at least this many legend entries keep a band for two legend rows under their title.
WRAPPING_LEGEND_ENTRIES = 3
LEGEND_MARGIN_TOP = 100
# Presenter mode ("meeting mode"): type sizes a room can read at 1280x720, by name (the presenter's choice), and
# the height of a chart so that a one-chart page fits a 720 px screen under the step bar.
PRESENTER_FONT_SIZES = {"large": 18, "larger": 22}
PRESENTER_DEFAULT_SIZE = "large"
PRESENTER_CHART_HEIGHT = 400
# Date ticks formatted as dates at every zoom: Plotly's own default shows "23:59:59.999 Jan 2" on a one-day range.
DATE_TICKFORMATSTOPS = [
    {"dtickrange": [None, 86_400_000], "value": "%d %b %Y"},
    {"dtickrange": [86_400_000, "M1"], "value": "%d %b"},
    {"dtickrange": ["M1", "M12"], "value": "%b %Y"},
    {"dtickrange": ["M12", None], "value": "%Y"},
]
# Date ticks in another language: Plotly's month names are English and the offline bundle has no locale, so the
# ticks are placed and written here (Babel), at most about this many on an axis.
MAX_DATE_TICKS = 9
MONTH_STEPS = (1, 2, 3, 4, 6, 12)
DAY_STEPS = (1, 2, 7, 14)


def inert(text: object) -> str:
    """Escape text for Plotly labels, which would otherwise interpret HTML-like tags."""
    return html.escape(str(text), quote=False)  # Plotly shows &quot; literally; quotes are harmless without tags


def separators(lang: str) -> str:
    """Plotly's `layout.separators` (decimal mark, then thousands mark) as the language writes numbers."""
    return get_decimal_symbol(lang) + get_group_symbol(lang)


def base_layout(figure: go.Figure, *, title: str, height: int = 420, lang: str = SOURCE_LANGUAGE) -> go.Figure:
    """The look every chart shares: large type, no clutter, a title that says what it shows, numbers written as
    `lang` writes them."""
    figure.update_layout(
        separators=separators(lang),
        title={"text": inert(title), "x": 0, "xanchor": "left"},
        height=height,
        margin={"l": 10, "r": 10, "t": 60, "b": 10},
        font={"size": BASE_FONT_SIZE},
        legend={
            "orientation": "h",
            "yanchor": "bottom",
            "y": 1.0,
            "x": 1,
            "xanchor": "right",
            "font": {"size": TICK_FONT_SIZE},
        },
        hoverlabel={"font_size": BASE_FONT_SIZE},
    )
    figure.update_layout(title_font_size=TITLE_FONT_SIZE)
    figure.update_xaxes(tickfont_size=TICK_FONT_SIZE, title_font_size=TICK_FONT_SIZE)
    figure.update_yaxes(tickfont_size=TICK_FONT_SIZE, title_font_size=TICK_FONT_SIZE)
    legend_entries = sum(1 for trace in figure.data if trace.name and trace.showlegend is not False)
    if legend_entries >= WRAPPING_LEGEND_ENTRIES:
        # A legend this long wraps in a narrow column and grows upward from the plot: the title goes to the top of
        # the figure and the band under it holds the legend's rows (about two entries a row), so they never overlap.
        rows = -(-legend_entries // 2)  # a narrow column fits about two entries per row
        figure.update_layout(
            margin_t=min(LEGEND_MARGIN_TOP + 25 * (rows - 2), 130) if rows > 2 else LEGEND_MARGIN_TOP,
            title={"y": 1, "yref": "container", "yanchor": "top", "pad": {"t": 10}},
        )
    return figure


def date_ticks(first: pd.Timestamp, last: pd.Timestamp, lang: str) -> tuple[list[dt.date], list[str]]:
    """Tick positions and labels for a date axis from `first` to `last`, written in `lang` ("ene 2026", "3 ene"):
    days on a short range, else month starts (every 1–12 months), at most about `MAX_DATE_TICKS`."""
    start, end = first.date(), last.date()
    span = (end - start).days
    for step in DAY_STEPS:
        if span / step <= MAX_DATE_TICKS:
            days = [start + dt.timedelta(days=n) for n in range(0, span + 1, step)]
            return days, [format_date(d, "d MMM", locale=lang) for d in days]
    months = (end.year - start.year) * 12 + end.month - start.month
    step = next((s for s in MONTH_STEPS if months / s <= MAX_DATE_TICKS), 12 * (months // (12 * MAX_DATE_TICKS) + 1))
    if step < 12:
        ticks = []
        index = start.year * 12 + start.month - 1
        index = index + (-index % step)  # months that are multiples of the step: Jan, Apr, Jul, Oct for 3
        while (day := dt.date(index // 12, index % 12 + 1, 1)) <= end:
            if day >= start:
                ticks.append(day)
            index += step
        return ticks, [format_day(d, lang, "month") for d in ticks]
    years = [dt.date(year, 1, 1) for year in range(start.year + (start.month > 1 or start.day > 1), end.year + 1)]
    years = years[:: max(1, step // 12)]
    return years, [format_date(d, "y", locale=lang) for d in years]


def date_axis(
    figure: go.Figure, dates: pd.Series | None = None, *, minimum_days: int = 14, lang: str = SOURCE_LANGUAGE
) -> go.Figure:
    """Dates on the x axis read as dates at every zoom, and a short range of `dates` (one day) is widened to
    `minimum_days` around them instead of showing hours.

    In a language other than English the ticks are placed and written here (`date_ticks`), since Plotly writes
    month names in English only; they stay where they are on zoom (English ticks follow the zoom)."""
    figure.update_xaxes(type="date", tickformatstops=DATE_TICKFORMATSTOPS)
    if dates is None or not len(dates):
        return figure
    first, last = pd.Timestamp(dates.min()), pd.Timestamp(dates.max())
    if last - first < pd.Timedelta(days=minimum_days):
        middle = first + (last - first) / 2
        half = pd.Timedelta(days=minimum_days / 2)
        first, last = middle - half, middle + half
        figure.update_xaxes(range=[first, last])
    if lang != SOURCE_LANGUAGE:
        values, texts = date_ticks(first, last, lang)
        figure.update_xaxes(tickmode="array", tickvals=values, ticktext=texts)
    return figure


def for_the_room(
    figure: go.Figure, *, size: str = PRESENTER_DEFAULT_SIZE, height: int | None = PRESENTER_CHART_HEIGHT
) -> go.Figure:
    """Presenter mode: every chart text at the chosen size (titles larger) and at most `height` px tall, so a
    one-chart page fits the screen. Changes `figure` (pass a freshly built one) and returns it."""
    font = PRESENTER_FONT_SIZES.get(size, PRESENTER_FONT_SIZES[PRESENTER_DEFAULT_SIZE])
    current = figure.layout.height or height or 450
    figure.update_layout(
        font_size=font,
        title_font_size=round(font * 1.3),
        legend_font_size=font,
        hoverlabel_font_size=font,
        height=current if height is None else min(current, height),  # None: a chart that must keep its height
        margin_t=max(figure.layout.margin.t or 0, 70, round(font * 3.6)),
    )
    figure.update_xaxes(tickfont_size=font, title_font_size=font)
    figure.update_yaxes(tickfont_size=font, title_font_size=font)
    if figure.layout.annotations:
        figure.update_annotations(font_size=font)
    for trace in figure.data:  # labels drawn on the chart (e.g. the key milestones)
        if getattr(trace, "text", None) is not None and "textfont" in trace:
            trace.textfont.size = font - 2
    return figure
