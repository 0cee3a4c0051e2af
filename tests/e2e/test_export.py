"""Browser: a download's file name says what it holds, and the file opens with its provenance and citation."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from data.export import CSV_PROVENANCE_LINES
from tests.e2e.conftest import unexplained_errors
from tests.e2e.support import wait_rendered

pytestmark = pytest.mark.browser


def _download(page, label: str) -> tuple[str, str]:  # noqa: ANN001
    with page.expect_download(timeout=30_000) as download:
        page.get_by_role("button", name=label).click()
    return download.value.suggested_filename, Path(download.value.path()).read_text(encoding="utf-8")


def test_timeline_download_is_named_after_the_filters_and_cites_its_source(page, app_url: str) -> None:  # noqa: ANN001
    page.goto(f"{app_url}/timeline?category=strike&theater=eastern_pacific&from=2026-01-01&to=2026-02-28")
    wait_rendered(page, charts=1)
    name, text = _download(page, "Download these events (CSV)")
    assert name == "crisis-monitor-strikes-eastern-pacific-2026-01-01_2026-02-28.csv"
    lines = text.split("\n")
    head = dict(csv.reader(lines[: CSV_PROVENANCE_LINES - 1]))
    assert lines[CSV_PROVENANCE_LINES - 1] == ""
    assert head["citation"].startswith("Venezuela Crisis Monitor, data through 22 Jun 2026 (dataset version ")
    assert "filters: Eastern Pacific · Strike · 1 Jan 2026 – 28 Feb 2026." in head["citation"]
    assert head["source"].startswith("app view: timeline?") and "theater=eastern_pacific" in head["source"]
    rows = list(csv.DictReader(io.StringIO("\n".join(lines[CSV_PROVENANCE_LINES:]))))
    assert rows and all(r["category"] == "strike" and r["theater"] == "eastern_pacific" for r in rows)
    assert all("2026-01-01" <= r["date"] <= "2026-02-28" for r in rows)
    assert int(head["rows"]) == len(rows)

    # The ACLED-style layout, chosen in the page's download menu, renames the columns and the file.
    page.get_by_text("ACLED-style columns", exact=True).click()
    # The rerun replaces the download buttons' files; the page looks finished before the rerun has even started, so
    # give it a moment, then wait for the run to end.
    page.wait_for_timeout(1500)
    wait_rendered(page, charts=1)
    name, text = _download(page, "Download these events (JSON)")
    assert name == "crisis-monitor-strikes-eastern-pacific-2026-01-01_2026-02-28-acled.json"
    document = json.loads(text)
    assert document["provenance"]["layout"] == "acled"
    assert {e["event_id_cnty"] for e in document["events"]} == {r["id"] for r in rows}
    assert not unexplained_errors(page)
