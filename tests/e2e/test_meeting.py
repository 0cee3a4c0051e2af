"""Meeting mode in headless Chromium at a projector's 1280x720: a storyline link, stepping with the keyboard and the
button, URL, headline and content of every step, measured type sizes, no sidebar; leaving presenter mode keeps the
filters. Screenshots of each step land in test-artifacts/ (meeting-step-N.png)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from data.storylines import STORYLINES_DIR, load_storylines, parse_storyline
from tests.e2e.conftest import screenshot, unexplained_errors
from tests.e2e.support import wait_rendered

pytestmark = pytest.mark.browser

BRIEFING = load_storylines(STORYLINES_DIR)[0]["briefing"]
# The page title each step's page shows, and the Plotly charts it draws on the bundled record.
TITLES = {
    "overview": ("Venezuela Crisis Monitor", 1),
    "casualties": ("Casualties", 4),
    "timeline": ("Timeline", 1),
    "map": ("Map", 1),
    "stances": ("Stances", 1),
    "changes": ("What changed", 0),
}
SIZES_JS = """
() => {
  const px = (el) => parseFloat(getComputedStyle(el).fontSize);
  const all = (selector) => [...document.querySelectorAll(selector)].filter((el) => el.getClientRects().length);
  const least = (selector) => { const sizes = all(selector).map(px); return sizes.length ? Math.min(...sizes) : null; };
  return {
    counters: least('[data-testid="stMetricValue"] p'),
    ticks: least('[data-testid="stPlotlyChart"] :is(.xtick, .ytick) text'),
    legends: least('[data-testid="stPlotlyChart"] .legendtext'),
    chartText: least('[data-testid="stPlotlyChart"] .main-svg text'),
  };
}
"""


def query(page) -> dict[str, list[str]]:  # noqa: ANN001
    return parse_qs(urlparse(page.url).query)


def expect_step(page, number: int) -> None:  # noqa: ANN001
    """The URL, the step bar and the page of step `number` of the shipped briefing."""
    step = BRIEFING.steps[number - 1]
    page.wait_for_function(
        "(n) => new URLSearchParams(location.search).get('step') === String(n)", arg=number, timeout=30_000
    )
    title, charts = TITLES[step.page]
    wait_rendered(page, charts=charts)
    url = query(page)
    assert url["story"] == ["briefing"] and url["present"] == ["1"]
    for key, value in step.query().items():
        assert url[key] == ([value] if isinstance(value, str) else value), (number, key)
    bar = page.locator(".st-key-story_bar").inner_text()
    assert f"{number} / {len(BRIEFING.steps)} · {step.headline}" in bar.replace("\n", " ")
    assert page.locator("h1").first.inner_text().startswith(title)
    assert not page.locator('[data-testid="stSidebar"]').is_visible()
    assert page.locator('[data-testid="stException"]').count() == 0
    sizes = page.evaluate(SIZES_JS)
    assert sizes["chartText"] is None or sizes["chartText"] >= 16, (number, sizes)  # no chart text below 16 px
    screenshot(page, f"meeting-step-{number}")


def test_step_through_the_briefing_on_a_projector(browser, app_url: str) -> None:  # noqa: ANN001
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{app_url}/?story=briefing&step=1&present=1")
    expect_step(page, 1)
    sizes = page.evaluate(SIZES_JS)
    assert sizes["counters"] >= 48, sizes
    assert sizes["ticks"] >= 16 and sizes["legends"] >= 16 and sizes["chartText"] >= 16, sizes

    page.keyboard.press("ArrowRight")  # a clicker's "next"
    expect_step(page, 2)
    page.get_by_role("button", name="Next ▶").click()
    expect_step(page, 3)
    sizes = page.evaluate(SIZES_JS)
    assert sizes["ticks"] >= 16 and sizes["chartText"] >= 16, sizes
    # the date axis is on screen, and its ticks are dates
    ticks = page.locator('[data-testid="stPlotlyChart"] .xtick text')
    assert ticks.first.bounding_box()["y"] < 720
    assert all(":" not in text for text in ticks.all_text_contents())
    page.keyboard.press("PageDown")
    expect_step(page, 4)
    page.keyboard.press("PageUp")
    expect_step(page, 3)
    for number in range(4, len(BRIEFING.steps) + 1):
        page.keyboard.press("ArrowRight")
        expect_step(page, number)
    assert page.get_by_role("button", name="Next ▶").is_disabled()
    page.keyboard.press("ArrowLeft")
    expect_step(page, len(BRIEFING.steps) - 1)
    assert errors == []
    context.close()


def test_leaving_presenter_mode_shows_the_same_filters(page, app_url: str) -> None:  # noqa: ANN001
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(f"{app_url}/?story=briefing&step=3&present=1")
    page.wait_for_function("() => location.pathname.endsWith('/timeline')", timeout=30_000)
    wait_rendered(page, charts=1)
    summary = page.locator(".st-key-presenter_bar").inner_text()
    assert "Eastern Pacific · Strike · 1 Jan 2026 – latest" in summary
    page.locator(".st-key-presenter_bar").get_by_text("Presenter mode").click()
    page.wait_for_function("() => !new URLSearchParams(location.search).has('present')", timeout=30_000)
    wait_rendered(page, charts=1)
    sidebar = page.locator('[data-testid="stSidebar"]')
    assert sidebar.is_visible()
    assert "Eastern Pacific" in sidebar.locator('[data-testid="stMultiSelect"]', has_text="Theater").inner_text()
    assert "Strike" in sidebar.locator('[data-testid="stMultiSelect"]', has_text="Category").inner_text()
    url = query(page)
    assert url["theater"] == ["eastern_pacific"] and url["from"] == ["2026-01-01"] and url["step"] == ["3"]
    screenshot(page, "meeting-left-presenter-mode")
    assert page.foreign_requests == [] and unexplained_errors(page) == []


def test_build_a_storyline_of_three_views_and_download_it(page, app_url: str) -> None:  # noqa: ANN001
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(f"{app_url}/timeline?theater=caribbean&lane=theater")
    wait_rendered(page, charts=1)
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_text("Load or build a storyline").click()
    for headline, nav, charts in (("Caribbean lanes", None, 1), ("The toll", "Casualties", 4), ("Where", "Map", 1)):
        if nav is not None:
            page.locator('[data-testid="stTopNav"]').get_by_text(nav, exact=True).click()
            page.wait_for_function("(p) => location.pathname.endsWith(p)", arg=nav.lower(), timeout=30_000)
            wait_rendered(page, charts=charts)
        field = sidebar.get_by_label("Headline for this view")
        field.fill(headline)
        field.press("Enter")
        wait_rendered(page, charts=charts)
        sidebar.get_by_role("button", name="Add this view as a step").click()
        sidebar.get_by_text(headline).first.wait_for()
        wait_rendered(page, charts=charts)
    with page.expect_download() as download_info:
        sidebar.get_by_role("button", name="Download storyline (YAML)").click()
    text = download_info.value.path().read_text(encoding="utf-8")
    story = parse_storyline(text, file="download.yaml").storyline
    assert story is not None, text
    assert [(step.headline, step.page) for step in story.steps] == [
        ("Caribbean lanes", "timeline"),
        ("The toll", "casualties"),
        ("Where", "map"),
    ]
    assert story.steps[0].query() == {"theater": ["caribbean"], "lane": "theater"}
    assert all(step.view.theater == ("caribbean",) for step in story.steps)
    sidebar.get_by_role("button", name="Present this storyline").click()
    page.wait_for_function("() => new URLSearchParams(location.search).get('step') === '1'", timeout=30_000)
    wait_rendered(page, charts=1)
    assert "1 / 3 · Caribbean lanes" in page.locator(".st-key-story_bar").inner_text().replace("\n", " ")
    screenshot(page, "meeting-built-storyline")
    assert unexplained_errors(page) == []


def test_upload_a_storyline_bad_then_good(page, app_url: str, tmp_path) -> None:  # noqa: ANN001
    """A bad file gives its messages (file, step, field) in the sidebar, never a traceback; a good one is picked
    (the upload selects it) and starts."""
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(f"{app_url}/")
    wait_rendered(page, charts=1)
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_text("Load or build a storyline").click()
    upload = sidebar.locator('[data-testid="stFileUploaderDropzoneInput"]')
    bad = tmp_path / "mine.yaml"
    bad.write_text(BRIEFING.to_yaml().replace("page: map", "page: atlas").replace("id: briefing", "id: mine"))
    upload.set_input_files(str(bad))
    message = "mine.yaml: record step 4 ('Where the strikes were'), field 'page': Input should be"
    sidebar.get_by_text(message).wait_for(timeout=30_000)
    assert page.locator('[data-testid="stException"]').count() == 0
    big = tmp_path / "big.yaml"  # refused whole, never cut short (a cut file could lose steps without a word)
    big.write_text(BRIEFING.to_yaml() + "# padding\n" * 25_000)
    upload.set_input_files(str(big))
    size = big.stat().st_size
    sidebar.get_by_text(
        f"big.yaml: record storyline: the file has {size} bytes; a storyline file may have at most"
    ).wait_for(timeout=30_000)
    good = tmp_path / "good.yaml"
    good.write_text(BRIEFING.to_yaml().replace("id: briefing", "id: mine-good").replace("title: The", "title: My"))
    upload.set_input_files(str(good))
    sidebar.get_by_text(message).wait_for(state="detached", timeout=30_000)  # the new file replaced the bad one
    wait_rendered(page, charts=1)
    sidebar.get_by_role("button", name="Start from step 1").click()
    page.wait_for_function("() => new URLSearchParams(location.search).get('story') === 'mine-good'", timeout=30_000)
    wait_rendered(page, charts=1)
    bar = page.locator(".st-key-story_bar").inner_text().replace("\n", " ")
    assert "1 / 9 · The boat-strike campaign so far" in bar
    assert unexplained_errors(page) == []
