"""The record's history in a real browser: "as known on" from the sidebar and from a link, the What-changed page,
and "since my last visit" remembered in the browser only."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import parse_qs, urlparse

import pytest

from data.filters import Filters
from data.frames import event_states_frame
from data.loading import load_dataset
from data.metrics import casualty_summary
from tests.e2e.conftest import screenshot, unexplained_errors
from tests.e2e.support import wait_rendered

pytestmark = pytest.mark.browser
KNOWN = "2025-11-24"


def killed_as_known_on(day: str | None) -> str:
    states = event_states_frame(load_dataset())
    known = dt.date.fromisoformat(day) if day else None
    return str(casualty_summary(Filters(known_on=known).apply(states)).killed)


def metric_value(page, label: str) -> str:  # noqa: ANN001
    metric = page.locator('[data-testid="stMetric"]', has_text=label).first
    return metric.locator('[data-testid="stMetricValue"]').inner_text().strip()


def test_as_known_on_from_the_sidebar_sets_the_url_and_a_shared_link_reproduces_it(page, app_url: str) -> None:  # noqa: ANN001
    page.goto(app_url)
    wait_rendered(page, charts=1)
    assert page.locator("text=Record as known on").count() == 0
    # Type the date as a person would into the field's year/month/day segments, then confirm the highlighted day.
    box = page.locator('[data-testid="stDateInput"]', has_text="As known on")
    box.locator('[role="spinbutton"][data-type="year"]').click()
    page.keyboard.type(KNOWN.replace("-", ""))
    page.locator('[role="gridcell"][aria-selected="true"]').first.click()
    page.get_by_text("Record as known on 24 Nov 2025").first.wait_for(timeout=30_000)
    page.wait_for_function("() => window.location.search.includes('known=')", timeout=30_000)
    assert parse_qs(urlparse(page.url).query)["known"] == [KNOWN]
    wait_rendered(page, charts=1)
    assert metric_value(page, "People killed") == killed_as_known_on(KNOWN)
    assert killed_as_known_on(KNOWN) != killed_as_known_on(None)  # the replay changes the counter
    screenshot(page, "history-known-on")
    fresh = page.context.new_page()
    fresh.goto(page.url)
    wait_rendered(fresh, charts=1)
    assert fresh.get_by_text("Record as known on 24 Nov 2025").count() >= 1
    assert metric_value(fresh, "People killed") == killed_as_known_on(KNOWN)
    assert unexplained_errors(page) == []


def test_what_changed_since_my_last_visit_comes_from_this_browser_only(page, app_url: str) -> None:  # noqa: ANN001
    # A first visit: nothing remembered, the button is off; the page stores the record's end for next time.
    page.goto(f"{app_url}/changes")
    wait_rendered(page)
    button = page.get_by_role("button", name="Since my last visit")
    assert button.is_disabled()
    page.wait_for_function(
        "() => window.localStorage.getItem('crisis-monitor:record-end-at-last-visit') === '2026-06-22'",
        timeout=30_000,
    )
    # Pretend the last visit saw the record up to 1 Feb 2026, then come back.
    page.evaluate("() => window.localStorage.setItem('crisis-monitor:record-end-at-last-visit', '2026-02-01')")
    page.goto(f"{app_url}/changes")
    wait_rendered(page)
    button = page.get_by_role("button", name="Since my last visit")
    button.wait_for(timeout=30_000)
    page.wait_for_function("() => !document.querySelector('.st-key-since_last_visit button').disabled", timeout=30_000)
    button.click()
    page.wait_for_function("() => window.location.search.includes('since=2026-02-01')", timeout=30_000)
    wait_rendered(page)
    headline = page.locator("h3").first.inner_text()
    assert re.match(r"Killed as announced \d+ → \d+", headline)
    assert page.locator("a[href*='timeline?event=strike-2026-']").count() >= 1
    screenshot(page, "history-since-last-visit")
    assert unexplained_errors(page) == []


def test_the_copy_link_control_gives_the_address_of_this_exact_view(browser, app_url: str) -> None:  # noqa: ANN001
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(f"{app_url}/stances?theater=caribbean&cell=co-colombia:boat-strikes&known={KNOWN}")
    wait_rendered(page, charts=1)
    sidebar = page.locator('[data-testid="stSidebar"]')
    assert sidebar.get_by_role("textbox", name="Link to this view").input_value().startswith(f"{app_url}/stances?")
    sidebar.get_by_role("button", name="Copy link").click()
    sidebar.get_by_role("status").filter(has_text="Copied").wait_for()
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied.startswith(f"{app_url}/stances?") and f"known={KNOWN}" in copied
    assert "cell=co-colombia%3Aboat-strikes" in copied and "theater=caribbean" in copied
    fresh = context.new_page()
    fresh.goto(copied)
    wait_rendered(fresh, charts=1)
    assert fresh.get_by_text("Record as known on 24 Nov 2025").count() >= 1
    context.close()
