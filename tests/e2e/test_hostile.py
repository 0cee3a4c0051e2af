"""Hostile text in the dataset renders as inert text on every page, in tables, charts and links."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from tests.conftest import MINI
from tests.e2e.conftest import _require_browser, screenshot
from tests.e2e.support import ROOT, streamlit_server, wait_rendered

pytestmark = pytest.mark.browser

PAYLOADS = {
    "title": '<img src=x onerror="window.__pwned=1">Boat <script>window.__pwned=2</script>',
    "summary": (
        "[click me](javascript:window.__pwned=3) $\\href{javascript:window.__pwned=4}{tex}$ "
        '<a href="javascript:window.__pwned=5">x</a> :red[styled] **bold** <style>body{display:none}</style>'
    ),
    "location": '<svg onload="window.__pwned=6"></svg>',
    "publisher": '<b onmouseover="window.__pwned=7">Pub</b>',
    "evidence": '<iframe src="javascript:window.__pwned=8"></iframe> [x](javascript:alert(1))',
}

INERT_CHECK = """
() => {
  const found = [];
  const visit = (doc) => {
    for (const el of doc.querySelectorAll('*')) {
      for (const attr of el.getAttributeNames()) {
        const value = el.getAttribute(attr) || '';
        if (attr.startsWith('on')) found.push(`${el.tagName} ${attr}=${value.slice(0, 60)}`);
        if (/^\\s*javascript:/i.test(value)) found.push(`${el.tagName} ${attr}=${value.slice(0, 60)}`);
      }
      if (el.tagName === 'SCRIPT' && (el.textContent || '').includes('__pwned')) found.push('script element');
      if (el.tagName === 'IFRAME' && el.contentDocument) visit(el.contentDocument);
    }
  };
  visit(document);
  return {found, pwned: window.__pwned === undefined ? null : window.__pwned};
}
"""


def _hostile_dataset(target: Path) -> Path:
    shutil.copytree(MINI, target)
    events_path = target / "events" / "strikes.yaml"
    events = yaml.safe_load(events_path.read_text(encoding="utf-8"))
    for event in events:
        event["title"] = PAYLOADS["title"]
        event["summary"] = PAYLOADS["summary"]
        event["location"] = PAYLOADS["location"]
    events_path.write_text(yaml.safe_dump(events, allow_unicode=True), encoding="utf-8")
    sources_path = target / "sources" / "main.yaml"
    sources = yaml.safe_load(sources_path.read_text(encoding="utf-8"))
    for source in sources:
        source["publisher"] = PAYLOADS["publisher"]
        source["title"] = PAYLOADS["title"]
    sources_path.write_text(yaml.safe_dump(sources, allow_unicode=True), encoding="utf-8")
    stances_path = target / "stances.yaml"
    stances = yaml.safe_load(stances_path.read_text(encoding="utf-8"))
    for stance in stances:
        stance["evidence"] = PAYLOADS["evidence"]
    stances_path.write_text(yaml.safe_dump(stances, allow_unicode=True), encoding="utf-8")
    return target


@pytest.fixture(scope="module")
def hostile_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    _require_browser()
    data = _hostile_dataset(tmp_path_factory.mktemp("hostile") / "records")
    with streamlit_server(ROOT / "dashboard" / "serve.py", env={"CRISIS_MONITOR_DATA": str(data)}) as (url, _):
        yield url


PAGES = [
    ("", 1),
    ("timeline?event=strike-2025-10-27-eastern-pacific", 1),
    ("casualties", 4),
    ("stances?cell=ve-maduro:negotiations", 1),
    ("map", 1),
    ("sources", 0),
]


@pytest.mark.parametrize(("path", "charts"), PAGES, ids=[p.split("?")[0] or "overview" for p, _ in PAGES])
def test_hostile_text_is_inert(page, hostile_url: str, path: str, charts: int) -> None:  # noqa: ANN001
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(f"{hostile_url}/{path}")
    wait_rendered(page, charts=charts)
    # hover every chart marker we can reach, so hover labels are drawn too
    for point in page.locator(".scatterlayer .points path").all()[:10]:
        point.hover(force=True)
    result = page.evaluate(INERT_CHECK)
    assert result == {"found": [], "pwned": None}
    assert dialogs == []
    # the <style> payload did not hide or restyle anything: the page title is still on screen
    assert page.locator("h1").first.is_visible()
    text = page.locator('[data-testid="stMain"]').inner_text()
    if path.startswith(("timeline", "stances")):
        assert "window.__pwned" in text  # the payload is shown as the literal text it is
    screenshot(page, f"hostile-{path.split('?')[0] or 'overview'}")
