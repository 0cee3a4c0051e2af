"""Spanish in a real browser: every page with lang=es shows no English interface string, the numbers are the
English page's, and the switch changes the language in place, keeping the view."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest

from data.i18n import catalog
from tests.e2e.conftest import screenshot, unexplained_errors
from tests.e2e.support import wait_rendered

pytestmark = pytest.mark.browser

PAGES = [("", 1), ("timeline", 1), ("casualties", 4), ("stances", 1), ("map", 1), ("changes", 0), ("sources", 0)]


def english_interface_phrases() -> list[str]:
    """Multi-word interface messages whose Spanish differs: finding one on a Spanish page is a missed string.

    Record text may still be English where a record has no translation (marked [EN]); single words are skipped
    because record text (names, places) can contain them.
    """
    phrases = []
    for message, spanish in catalog("es").items():
        if spanish == message:
            continue
        for part in re.split(r"\{[^}]*\}", message):
            part = part.strip(" ·:;,.()*")
            if len(part.split()) >= 3 and "[EN]" not in part:
                phrases.append(part)
    return phrases


@pytest.mark.parametrize(("path", "charts"), PAGES, ids=[p[0] or "overview" for p in PAGES])
def test_spanish_page_has_no_english_interface_text(page, app_url: str, path: str, charts: int) -> None:  # noqa: ANN001
    page.goto(f"{app_url}/{path}?lang=es")
    wait_rendered(page, charts=charts)
    body = page.inner_text("body")
    found = sorted({p for p in english_interface_phrases() if p in body})
    assert found == [], f"English on the Spanish {path or 'overview'} page"
    assert "Filtros" in body
    assert unexplained_errors(page) == []


def test_the_switch_changes_language_and_keeps_the_view_and_numbers(page, app_url: str) -> None:  # noqa: ANN001
    page.goto(f"{app_url}/casualties?theater=eastern_pacific")
    wait_rendered(page, charts=4)
    killed = page.locator('[data-testid="stMetric"]', has_text="People killed").first
    english_value = killed.locator('[data-testid="stMetricValue"]').inner_text()
    page.get_by_text("Español", exact=True).first.click()
    page.get_by_text("Personas muertas").first.wait_for(timeout=30_000)
    page.wait_for_function("() => window.location.search.includes('lang=es')", timeout=30_000)
    wait_rendered(page, charts=4)
    spanish = page.locator('[data-testid="stMetric"]', has_text="Personas muertas").first
    assert spanish.locator('[data-testid="stMetricValue"]').inner_text() == english_value
    assert parse_qs(urlparse(page.url).query)["theater"] == ["eastern_pacific"]
    screenshot(page, "spanish-casualties")


# What the toolbar's tooltip shows: plotly.js draws it from the button's `data-title` (`content: attr(data-title)`);
# Streamlit's own full-screen button keeps an English `data-title`, its tooltip text is replaced in CSS.
TOOLTIPS = "els => els.map(e => [e.getAttribute('data-title'), getComputedStyle(e, '::after').content.slice(1, -1)])"


def toolbar_tooltips(page, chart) -> list[list[str]]:  # noqa: ANN001
    chart.hover()
    chart.locator(".modebar-btn").first.wait_for(state="attached", timeout=30_000)
    return chart.locator(".modebar-btn").evaluate_all(TOOLTIPS)


@pytest.mark.parametrize(("path", "charts"), [("casualties", 4), ("map", 1), ("stances", 1)])
def test_the_chart_toolbar_speaks_spanish(page, app_url: str, path: str, charts: int) -> None:  # noqa: ANN001
    from dashboard.i18n import PLOTLY_MESSAGES, STREAMLIT_TOOLBAR_MESSAGES

    english = {*PLOTLY_MESSAGES, *STREAMLIT_TOOLBAR_MESSAGES}
    page.goto(f"{app_url}/{path}?lang=es")
    wait_rendered(page, charts=charts)
    chart = page.locator('[data-testid="stPlotlyChart"]').first
    tooltips = toolbar_tooltips(page, chart)
    shown = [tooltip for _title, tooltip in tooltips]
    assert "Acercar" in shown and "Pantalla completa" in shown and "Descargar el gráfico como PNG" in shown
    assert sorted(set(shown) & english) == [], f"English tooltips on the Spanish {path} page"
    zoom_in = chart.locator('.modebar-btn[data-title="Acercar"]')
    zoom_in.hover()
    assert zoom_in.evaluate("e => getComputedStyle(e, '::after').display") != "none"  # the tooltip is showing


def test_the_toolbar_follows_the_switch(page, app_url: str) -> None:  # noqa: ANN001
    page.goto(f"{app_url}/casualties")
    wait_rendered(page, charts=4)
    chart = page.locator('[data-testid="stPlotlyChart"]').first
    assert "Zoom in" in [tooltip for _title, tooltip in toolbar_tooltips(page, chart)]
    page.get_by_text("Español", exact=True).first.click()
    page.get_by_text("Personas muertas").first.wait_for(timeout=30_000)
    wait_rendered(page, charts=4)
    page.wait_for_function(
        '() => document.querySelector(\'[data-testid="stPlotlyChart"] .modebar-btn[data-title="Acercar"]\')',
        timeout=30_000,
    )
    shown = [tooltip for _title, tooltip in toolbar_tooltips(page, page.locator('[data-testid="stPlotlyChart"]').first)]
    assert "Acercar" in shown and "Pantalla completa" in shown and "Zoom in" not in shown


def test_the_storyline_uploader_speaks_spanish(page, app_url: str) -> None:  # noqa: ANN001
    """Streamlit writes the uploader's button and limit in English; with lang=es our words take their place."""
    page.goto(f"{app_url}/?lang=es")
    wait_rendered(page, charts=1)
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_text("Cargar o armar un recorrido").click()
    zone = sidebar.locator('[data-testid="stFileUploaderDropzone"]')
    zone.wait_for()
    shown = zone.evaluate(
        """zone => [zone.querySelector("button [data-testid='stMarkdownContainer'] p"),
                   zone.querySelector("[data-testid='stFileUploaderDropzoneInstructions'] span")]
                  .map(e => [getComputedStyle(e).fontSize, getComputedStyle(e, '::after').content])"""
    )
    assert shown == [["0px", '"Subir"'], ["0px", '"Hasta 1 MB por archivo · YAML"']]
    zone.scroll_into_view_if_needed()
    screenshot(page, "spanish-storyline-uploader")
