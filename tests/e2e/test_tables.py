"""Data grids read whole at 1600x1000 with the sidebar open: no table scrolls sideways, missing values are blank."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import screenshot, unexplained_errors
from tests.e2e.support import wait_rendered

pytestmark = pytest.mark.browser

# page, charts it draws, expanders holding a table (opened by clicking them, in order)
TABLE_PAGES = [("timeline", 1, 0), ("casualties", 4, 3), ("map", 1, 0), ("sources", 0, 0)]
# Each grid's scroller: the canvas grid scrolls sideways when its content is wider than its box.
GRID_OVERFLOW_JS = """() => [...document.querySelectorAll('[data-testid="stDataFrame"]')].map(grid => {
  const scroller = grid.querySelector('.dvn-scroller');
  return scroller ? scroller.scrollWidth - scroller.clientWidth : null;
})"""


def open_tables(page, charts: int, expanders: int) -> None:  # noqa: ANN001
    for index in range(expanders):
        page.locator('[data-testid="stExpander"] summary').nth(index).click()
        page.wait_for_timeout(300)
        wait_rendered(page, charts=charts)
    page.wait_for_function(
        "n => document.querySelectorAll('[data-testid=\"stDataFrame\"] .dvn-scroller').length >= n",
        arg=max(expanders, 1),
    )
    page.wait_for_timeout(500)  # the grid sizes its columns after its first frame


@pytest.mark.parametrize("lang", ["en", "es"])  # Spanish headers are longer: short table forms (msgctxt "column")
@pytest.mark.parametrize(("path", "charts", "expanders"), TABLE_PAGES, ids=[p[0] for p in TABLE_PAGES])
def test_no_table_scrolls_sideways_at_1600(  # noqa: PLR0913
    page,  # noqa: ANN001
    app_url: str,
    path: str,
    charts: int,
    expanders: int,
    lang: str,
) -> None:
    page.set_viewport_size({"width": 1600, "height": 1000})
    page.goto(f"{app_url}/{path}?lang={lang}")
    wait_rendered(page, charts=charts)
    open_tables(page, charts, expanders)
    overflow = page.evaluate(GRID_OVERFLOW_JS)
    page.locator('[data-testid="stDataFrame"]').last.scroll_into_view_if_needed()
    screenshot(page, f"tables-{path}-{lang}-1600")
    assert overflow and all(extra == 0 for extra in overflow), f"pixels each table scrolls sideways: {overflow}"
    assert unexplained_errors(page) == []
