"""Filter chips follow the language switch in place: the selected theaters and categories show their labels in the
new language at once, and the selection (and its URL ids) is kept, also after the next filter change."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from tests.e2e.conftest import unexplained_errors
from tests.e2e.support import wait_rendered

pytestmark = pytest.mark.browser


def chips(page, key: str) -> list[str]:  # noqa: ANN001
    """The labels of a multiselect's selected chips, as shown."""
    selector = f".st-key-{key} .react-aria-ComboBox [data-tag] > span[title]"
    return page.locator(selector).evaluate_all("els => els.map(e => e.innerText.trim())")


def test_chips_change_language_with_the_switch_and_keep_the_selection(page, app_url: str) -> None:  # noqa: ANN001
    page.goto(f"{app_url}/timeline?theater=caribbean,eastern_pacific&category=strike")
    wait_rendered(page, charts=1)
    assert chips(page, "theater") == ["Caribbean", "Eastern Pacific"]
    assert chips(page, "category") == ["Strike"]
    page.get_by_text("Español", exact=True).first.click()
    page.get_by_text("Filtros").first.wait_for(timeout=30_000)
    page.wait_for_function("() => window.location.search.includes('lang=es')", timeout=30_000)
    wait_rendered(page, charts=1)
    page.wait_for_function(
        "() => [...document.querySelectorAll('.st-key-theater .react-aria-ComboBox [data-tag] > span[title]')]"
        ".some(e => e.innerText.trim() === 'Caribe')",
        timeout=30_000,
    )
    assert chips(page, "theater") == ["Caribe", "Pacífico oriental"]
    assert chips(page, "category") == ["Ataque"]
    # The next change of another filter keeps the selection (the widget's value is the ids, not old labels).
    page.locator(".st-key-strong label").first.click()
    page.wait_for_function("() => window.location.search.includes('strong=1')", timeout=30_000)
    wait_rendered(page, charts=1)
    query = parse_qs(urlparse(page.url).query)
    assert query["theater"] == ["caribbean", "eastern_pacific"]
    assert query["category"] == ["strike"]
    assert chips(page, "theater") == ["Caribe", "Pacífico oriental"]
    assert unexplained_errors(page) == []


def test_a_chosen_event_and_stance_cell_change_language_with_the_switch(page, app_url: str) -> None:  # noqa: ANN001
    """Selectboxes keep their label text in the browser too: the chosen entry follows the switch, id kept."""
    from data.loading import load_dataset
    from tests.conftest import BUNDLED

    event_id = "strike-2025-10-27-eastern-pacific"
    dataset = load_dataset(BUNDLED)
    english_title = next(e.title for e in dataset.events if e.id == event_id)
    spanish_title = getattr(dataset.translations["es"]["events"][event_id], "title")  # noqa: B009
    chosen = "() => document.querySelector('.st-key-event input').value"
    page.goto(f"{app_url}/timeline?event={event_id}")
    wait_rendered(page, charts=1)
    assert english_title in page.evaluate(chosen)
    page.get_by_text("Español", exact=True).first.click()
    page.wait_for_function("() => window.location.search.includes('lang=es')", timeout=30_000)
    page.wait_for_function(f"() => document.querySelector('.st-key-event input').value.includes({spanish_title!r})")
    assert parse_qs(urlparse(page.url).query)["event"] == [event_id]
    page.goto(f"{app_url}/stances?cell=ve-maduro:negotiations")
    wait_rendered(page, charts=1)
    cell = "() => document.querySelector('.st-key-cell input').value"
    english_cell = page.evaluate(cell)
    assert "Maduro" in english_cell
    page.get_by_text("Español", exact=True).first.click()
    page.wait_for_function("() => window.location.search.includes('lang=es')", timeout=30_000)
    wait_rendered(page, charts=1)
    page.wait_for_function(f"() => document.querySelector('.st-key-cell input').value !== {english_cell!r}")
    assert parse_qs(urlparse(page.url).query)["cell"] == ["ve-maduro:negotiations"]
    assert unexplained_errors(page) == []
