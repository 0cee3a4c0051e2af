"""The app: frames the pages; the pages do the work. Served by `streamlit run dashboard/serve.py` (warmed at start);
`streamlit run dashboard/app.py` also works, unwarmed."""

from __future__ import annotations

import sys
from pathlib import Path

# `streamlit run dashboard/app.py` puts dashboard/ on the path, not the project root.
_ROOT = str(Path(__file__).resolve().parent.parent)
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

import streamlit as st  # noqa: E402

from dashboard import presenter, storyline_panel  # noqa: E402
from dashboard.auth import require_login  # noqa: E402
from dashboard.context import FILTER_KEYS, current_filters, load  # noqa: E402
from dashboard.filter_panel import filters_as_query, render_filter_panel, share_link, show_url_notes  # noqa: E402
from dashboard.i18n import (  # noqa: E402
    KEY_LANG,
    chart_toolbar_css,
    language_query,
    language_switch,
    problem_text,
    seed_language,
    t,
)
from dashboard.reconnect import RECONNECT_KEY, rerun_after_reconnect  # noqa: E402
from dashboard.url_state import publish  # noqa: E402

st.set_page_config(
    page_title="Venezuela Crisis Monitor",
    page_icon=str(Path(__file__).resolve().parent / "static" / "favicon.png"),
    layout="wide",
)
seed_language()  # lang=es in the URL, else the browser's preferred language (the login page speaks it too)
# Shared profile: nothing below runs, and no data is loaded, until the visitor has signed in.
require_login()

# Each page, and the URL keys it owns besides the shared filters.
PAGES = {
    st.Page("views/overview.py", title=t("Overview"), icon=":material/dashboard:", url_path="home", default=True): (),
    st.Page("views/timeline.py", title=t("Timeline"), icon=":material/timeline:", url_path="timeline"): (
        "lane",
        "event",
    ),
    st.Page("views/casualties.py", title=t("Casualties"), icon=":material/bar_chart:", url_path="casualties"): (),
    st.Page("views/stances.py", title=t("Stances"), icon=":material/explore:", url_path="stances"): ("asof", "cell"),
    st.Page("views/map.py", title=t("Map"), icon=":material/map:", url_path="map"): ("color",),
    st.Page("views/changes.py", title=t("What changed"), icon=":material/difference:", url_path="changes"): (
        "since",
        "until",
    ),
    st.Page("views/sources.py", title=t("Sources & method"), icon=":material/menu_book:", url_path="sources"): (),
}

loaded = load()
if not loaded.ok:
    st.title(t("Venezuela Crisis Monitor"))
    st.error(
        t(
            "The dataset in `{folder}` has {n} problem(s), so nothing is shown: a partial record would be "
            "misleading. These are the same messages `crisis-monitor validate` prints.",
            folder=loaded.data_dir,
            n=len(loaded.problems),
        )
    )
    st.code("\n".join(problem_text(p) for p in loaded.problems), language=None, wrap_lines=True)
    st.stop()

# Chart axis labels, legends and titles in the theme's own text colour (Plotly's default grey is too faint on a
# projector: 3.7:1 on white). Our constant CSS only; no dataset text is ever passed to st.html.
st.html(
    "<style>[data-testid='stPlotlyChart'] :is(.xtick, .ytick, .legendtext, .gtitle, .g-xtitle, .g-ytitle) "
    ":is(text, tspan), [data-testid='stPlotlyChart'] :is(.legendtext, .gtitle) { fill: currentColor !important; }"
    f".st-key-{RECONNECT_KEY} {{ display: none; }}"
    f"{storyline_panel.HIDDEN_CSS}"
    f"{chart_toolbar_css()}"  # Streamlit's full-screen button's tooltip in the reader's language (catalog text)
    f"{storyline_panel.uploader_css()}"  # the storyline uploader's button and limit, likewise
    "</style>"
)
# Meeting mode: presenter view (present=1) and storylines (story=<id>&step=N), see README "Meeting mode".
presenter.seed()
presenter.apply_css()
# After a failover or a server restart the tab rebuilds its view on the new process by itself.
rerun_after_reconnect()
OVERVIEW = next(iter(PAGES))


def _open_overview() -> None:
    """/overview — the Overview's own name in links — opens the Overview (the default page lives at /)."""
    st.switch_page(OVERVIEW, query_params=[(k, v) for k in st.query_params for v in st.query_params.get_all(k)])


# Hidden from the navigation; only there so that /overview is not "Page not found".
OVERVIEW_ALIAS = st.Page(_open_overview, title=t("Overview"), url_path="overview", visibility="hidden")
page = st.navigation([*PAGES, OVERVIEW_ALIAS], position="top")
page_id = page.url_path or "overview"
storyline_panel.start(loaded, page_id, {candidate.url_path or "overview": candidate for candidate in PAGES})
if not presenter.is_on():
    with st.sidebar:
        language_switch()
        presenter.toggle()
render_filter_panel(loaded, draw=not presenter.is_on())  # presenter mode: no sidebar, so no filter widgets
if not presenter.is_on():  # the sidebar is hidden in presenter mode: no need to draw the storyline builder
    storyline_panel.sidebar(loaded)
if presenter.is_on():
    presenter.bar(loaded)  # after the filters are seeded: it summarises them
page_keys = next((keys for candidate, keys in PAGES.items() if candidate.url_path == page.url_path), ())
publish(
    {
        **filters_as_query(current_filters(loaded)),
        **storyline_panel.query(),
        presenter.KEY_PRESENT: "1" if presenter.is_on() else None,
        KEY_LANG: language_query(),
    },
    keep=set(page_keys),
)
assert set(FILTER_KEYS).isdisjoint(page_keys)  # noqa: S101 - a programming error, not user input
storyline_panel.step_bar(loaded)
page.run()
show_url_notes()  # notes about the page's own URL keys, seeded while the page ran
if not presenter.is_on():
    share_link()  # after the page ran: the link holds its own keys too
