"""The real app in headless Chromium: every page, real clicks, URL round trips, no foreign requests."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest

from data.filters import Filters
from data.frames import events_frame
from data.loading import load_dataset
from data.metrics import casualty_summary
from tests.e2e.conftest import screenshot, unexplained_errors
from tests.e2e.support import wait_rendered

pytestmark = pytest.mark.browser

# path, title shown, number of Plotly charts the page draws on the bundled data
PAGES = [
    ("", "Venezuela Crisis Monitor", 1),
    ("timeline", "Timeline", 1),
    ("casualties", "Casualties", 4),
    ("stances", "Stances", 1),
    ("map", "Map", 1),
    ("sources", "Sources & method", 0),
]


def killed_for(filters: Filters) -> str:
    return str(casualty_summary(filters.apply(events_frame(load_dataset()))).killed)


def metric_value(page, label: str) -> str:  # noqa: ANN001
    metric = page.locator('[data-testid="stMetric"]', has_text=label).first
    return metric.locator('[data-testid="stMetricValue"]').inner_text().strip()


def query(page) -> dict[str, list[str]]:  # noqa: ANN001
    return parse_qs(urlparse(page.url).query)


def choose(page, label: str, option: str) -> None:  # noqa: ANN001
    """Pick an option in a sidebar multiselect, as a person would: open, click, close."""
    widget = page.locator('[data-testid="stMultiSelect"]', has_text=label)
    widget.click()
    page.keyboard.type(option)  # narrow the list: long lists only render the options in view
    page.locator('[role="option"]', has_text=re.compile(f"^{re.escape(option)}$")).click()
    page.keyboard.press("Escape")


@pytest.mark.parametrize(("path", "title", "charts"), PAGES, ids=[p[1] for p in PAGES])
def test_page_renders_completely_offline(page, app_url: str, path: str, title: str, charts: int) -> None:  # noqa: ANN001
    page.goto(f"{app_url}/{path}")
    wait_rendered(page, charts=charts)
    assert page.locator("h1", has_text=title).count() == 1
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.foreign_requests == []  # every request outside localhost is blocked and recorded
    assert unexplained_errors(page) == []
    # every chart carries a text equivalent for screen readers
    labels = page.locator('[data-testid="stPlotlyChart"]').evaluate_all(
        "cs => cs.map(c => c.getAttribute('aria-label'))"
    )
    assert len(labels) == charts and all(label and len(label) > 20 for label in labels), labels
    screenshot(page, f"page-{path or 'overview'}")


def test_filter_changes_view_and_url_and_the_link_reproduces_it(page, app_url: str, browser) -> None:  # noqa: ANN001
    page.goto(app_url)
    wait_rendered(page, charts=1)
    assert metric_value(page, "People killed") == killed_for(Filters())
    choose(page, "Theater", "Caribbean")
    page.wait_for_function("() => location.search.includes('theater=caribbean')")
    wait_rendered(page, charts=1)
    expected = killed_for(Filters(theaters=("caribbean",)))
    assert metric_value(page, "People killed") == expected
    choose(page, "Category", "Strike")
    page.wait_for_function("() => location.search.includes('category=strike')")
    wait_rendered(page, charts=1)
    assert query(page) == {"theater": ["caribbean"], "category": ["strike"]}
    shared_link = page.url

    fresh = browser.new_page()
    fresh.goto(shared_link)
    wait_rendered(fresh, charts=1)
    assert metric_value(fresh, "People killed") == expected
    assert fresh.locator('[data-testid="stMultiSelect"]', has_text="Theater").inner_text().count("Caribbean") == 1
    fresh.close()


def test_text_and_date_filters_reach_the_url(page, app_url: str) -> None:  # noqa: ANN001
    page.goto(app_url)
    wait_rendered(page, charts=1)
    search = page.get_by_label("Search titles and summaries")
    search.fill("survivor")
    search.press("Enter")
    page.wait_for_function("() => location.search.includes('q=survivor')")
    wait_rendered(page)
    assert metric_value(page, "People killed") == killed_for(Filters(text="survivor"))
    # The date field is made of year / month / day segments; type into each, as a person would.
    for segment, digits in (("year", "2026"), ("month", "01"), ("day", "01")):
        page.get_by_role("spinbutton", name=f"{segment}, From").click()
        page.keyboard.type(digits)
    page.get_by_role("heading", name="Filters").click()  # the field commits its value when it loses focus
    page.wait_for_function("() => location.search.includes('from=2026-01-01')")
    wait_rendered(page)
    import datetime as dt

    assert metric_value(page, "People killed") == killed_for(Filters(text="survivor", start=dt.date(2026, 1, 1)))


def test_navigation_keeps_the_filters(page, app_url: str) -> None:  # noqa: ANN001
    page.goto(f"{app_url}/?theater=eastern_pacific")
    wait_rendered(page, charts=1)
    page.get_by_role("link", name="Casualties").click()
    page.wait_for_url(re.compile(r"/casualties\?theater=eastern_pacific$"))
    wait_rendered(page, charts=4)
    assert metric_value(page, "People killed") == killed_for(Filters(theaters=("eastern_pacific",)))


def _click_first_point(page, trace_selector: str = ".scatterlayer .trace .points path") -> None:  # noqa: ANN001
    point = page.locator(f'[data-testid="stPlotlyChart"] {trace_selector}').first
    box = point.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def test_clicking_a_timeline_event_shows_its_detail_and_sources(page, app_url: str) -> None:  # noqa: ANN001
    page.goto(f"{app_url}/timeline?category=designation")
    wait_rendered(page, charts=1)
    _click_first_point(page)
    page.wait_for_function("() => location.search.includes('event=')")
    wait_rendered(page, charts=1)
    event_id = query(page)["event"][0]
    assert event_id.startswith("designation-")
    dataset = load_dataset()
    event = next(e for e in dataset.events if e.id == event_id)
    expected_urls = {dataset.source_by_id()[s].url for s in event.sources}
    links = page.locator('[data-testid="stMain"] [data-testid="stMarkdownContainer"] a[href^="http"]')
    shown = {links.nth(n).get_attribute("href") for n in range(links.count())}
    assert expected_urls <= shown
    assert page.locator("h3", has_text=event.title).count() == 1
    for n in range(links.count()):
        assert links.nth(n).get_attribute("target") == "_blank"  # sources open beside the app
    screenshot(page, "timeline-event-detail")


def test_clicking_a_stance_cell_shows_its_evidence(page, app_url: str) -> None:  # noqa: ANN001
    page.goto(f"{app_url}/stances")
    wait_rendered(page, charts=1)
    # the first filled cell (a coloured square) of the matrix
    _click_first_point(page, ".scatterlayer .trace:nth-child(2) .points path")
    page.wait_for_function("() => location.search.includes('cell=')")
    wait_rendered(page, charts=1)
    cell = query(page)["cell"][0]
    assert ":" in cell
    body = page.locator('[data-testid="stMain"]').inner_text()
    assert "stated" in body or "No evidence found" in body
    screenshot(page, "stances-cell-evidence")


def test_map_coastlines_render_with_the_network_blocked(page, app_url: str) -> None:  # noqa: ANN001
    page.goto(f"{app_url}/map")
    wait_rendered(page, charts=1)
    # Plotly draws coastlines only once the base map (served from app/static/) has loaded.
    page.wait_for_function(
        "() => { const c = document.querySelector('.geo .coastlines path');"
        " return !!c && (c.getAttribute('d') || '').length > 1000; }",
        timeout=30_000,
    )
    assert page.locator(".geo .countries path").count() == 1
    assert page.foreign_requests == []
    screenshot(page, "map-offline")


CONTRAST_JS = """
() => {
  const rgb = s => s.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number);
  const channel = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
  const lum = c => { const [r, g, b] = c.map(channel); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const ratio = (a, b) => {
    const [x, y] = [lum(rgb(a)), lum(rgb(b))].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  };
  const bg = getComputedStyle(document.querySelector('[data-testid="stApp"]')).backgroundColor;
  const title = getComputedStyle(document.querySelector('h1')).color;
  const metric = getComputedStyle(document.querySelector('[data-testid="stMetricValue"]')).color;
  const tick = getComputedStyle(document.querySelector('.main-svg .xtick text')).fill;
  return {bg, title: ratio(title, bg), metric: ratio(metric, bg), tick: ratio(tick, bg)};
}
"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_light_and_dark_themes_are_readable(browser, app_url: str, scheme: str) -> None:  # noqa: ANN001
    context = browser.new_context(viewport={"width": 1500, "height": 1000}, color_scheme=scheme)
    themed = context.new_page()
    themed.goto(f"{app_url}/casualties")
    wait_rendered(themed, charts=4)
    contrast = themed.evaluate(CONTRAST_JS)
    is_dark = sum(int(v) for v in contrast["bg"][4:-1].split(",")[:3]) < 3 * 128
    assert is_dark == (scheme == "dark"), contrast
    # WCAG AA: 4.5:1 for text; titles and figures well above it
    assert contrast["title"] >= 7 and contrast["metric"] >= 7 and contrast["tick"] >= 4.5, contrast
    screenshot(themed, f"theme-{scheme}")
    context.close()


def test_actor_and_end_date_filters_reach_the_url(page, app_url: str) -> None:  # noqa: ANN001
    page.goto(f"{app_url}/timeline")
    wait_rendered(page, charts=1)
    total = len(events_frame(load_dataset()))
    assert (
        f"{total} events"
        in page.locator('[data-testid="stMain"] [data-testid="stCaptionContainer"]').first.inner_text()
    )
    choose(page, "Actor", "Colombia")
    page.wait_for_function("() => location.search.includes('actor=co-colombia')")
    wait_rendered(page, charts=1)
    expected = len(Filters(actors=("co-colombia",)).apply(events_frame(load_dataset())))
    assert (
        f"{expected} events"
        in page.locator('[data-testid="stMain"] [data-testid="stCaptionContainer"]').first.inner_text()
    )
    for segment, digits in (("year", "2025"), ("month", "12"), ("day", "31")):
        page.get_by_role("spinbutton", name=f"{segment}, To").click()
        page.keyboard.type(digits)
    page.get_by_role("heading", name="Filters").click()
    page.wait_for_function("() => location.search.includes('to=2025-12-31')")
    wait_rendered(page)
    import datetime as dt

    narrowed = Filters(actors=("co-colombia",), end=dt.date(2025, 12, 31)).apply(events_frame(load_dataset()))
    assert (
        f"{len(narrowed)} events"
        in page.locator('[data-testid="stMain"] [data-testid="stCaptionContainer"]').first.inner_text()
    )


def test_overview_by_name_opens_the_overview_with_its_filters(page, app_url: str) -> None:  # noqa: ANN001
    page.goto(f"{app_url}/overview?theater=caribbean")
    wait_rendered(page, charts=1)
    assert page.locator("h1", has_text="Venezuela Crisis Monitor").count() == 1
    assert "page not found" not in page.inner_text("body").lower()
    assert query(page)["theater"] == ["caribbean"]
