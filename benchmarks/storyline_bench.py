"""Benchmark meeting mode: stepping through the shipped storyline, and its first step opened from a link.

In headless Chromium at 1280x720 (a projector), on the bundled record (or `--data DIR`), with the same harness as
`benchmarks/run.py` (imported, not copied):

- **step**: from pressing → (the key a clicker sends) until the next step is fully rendered — the new step's
  headline shown, the script finished, nothing stale, every chart of the step's page drawn — for every step of the
  storyline, `--runs` passes; median and p95 (targets: 1.0 s and 1.5 s);
- **first step from a link**: `/?story=<id>&step=1&present=1` in a fresh browser context until fully rendered,
  alternating with the bare Streamlit page (`benchmarks/bare_app.py`) in the same run; median of the pairwise
  ratios (target: at most 1.3x).

Writes the table to `benchmarks/results/storylines.md`. Run: `.venv/bin/python benchmarks/storyline_bench.py`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.run import APP, BARE, Browser, Measures  # noqa: E402
from data.storylines import STORYLINES_DIR, load_storylines  # noqa: E402
from tests.e2e.support import streamlit_server, wait_rendered  # noqa: E402

# Plotly charts each page draws once rendered (the bundled record; a page with a filter that empties a chart draws
# fewer, so keep storylines' views non-empty).
CHARTS = {"overview": 1, "timeline": 1, "casualties": 4, "stances": 1, "map": 1, "changes": 0, "sources": 0}
VIEWPORT = {"width": 1280, "height": 720}
STEP_TARGET_MEDIAN, STEP_TARGET_P95, FIRST_TARGET_RATIO = 1.0, 1.5, 1.3


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def step_pass(browser: Browser, url: str, story_id: str, pages: list[str], measures: Measures) -> None:
    """Open step 1, then press → through every step, timing each until fully rendered."""
    context = browser.chromium.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.goto(f"{url}/?story={story_id}&step=1&present=1")
    wait_rendered(page, charts=CHARTS[pages[0]], timeout_ms=180_000)
    page.wait_for_timeout(300)  # let the first load settle (fonts, lazy bundles)
    for number in range(2, len(pages) + 1):
        marker = f"{number} / {len(pages)} ·"
        started = time.perf_counter()
        page.keyboard.press("ArrowRight")
        page.wait_for_function(
            "(marker) => { const bar = document.querySelector('.st-key-story_bar');"
            " return !!bar && bar.innerText.replace(/\\s+/g, ' ').includes(marker); }",
            arg=marker,
            timeout=120_000,
            polling="raf",
        )
        wait_rendered(page, charts=CHARTS[pages[number - 1]], timeout_ms=120_000, polling="raf")
        measures.add("step", time.perf_counter() - started)
        measures.add(f"step to {number} ({pages[number - 1]})", time.perf_counter() - started)
        page.wait_for_timeout(200)
    context.close()


def first_render(browser: Browser, url: str, charts: int) -> float:
    context = browser.chromium.new_context(viewport=VIEWPORT)
    page = context.new_page()
    started = time.perf_counter()
    page.goto(url)
    wait_rendered(page, charts=charts, timeout_ms=180_000, polling="raf")
    seconds = time.perf_counter() - started
    context.close()
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--story", default="briefing")
    parser.add_argument("--runs", type=int, default=3, help="passes through the storyline (and first-step pairs x2)")
    parser.add_argument("--data", default=None, help="dataset directory (default: the bundled record)")
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "storylines.md"))
    args = parser.parse_args()

    stories, problems = load_storylines(STORYLINES_DIR)
    if args.story not in stories:
        print(f"no storyline {args.story!r}: {[str(p) for p in problems]}", file=sys.stderr)
        return 2
    pages: list[str] = [str(step.page) for step in stories[args.story].steps]
    env = {"CRISIS_MONITOR_DATA": args.data} if args.data else {}
    measures = Measures()
    browser = Browser()
    try:
        with streamlit_server(APP, env=env) as (app_url, _app), streamlit_server(BARE) as (bare_url, _bare):
            # warm both servers once (the dataset's first load is not what a step costs)
            first_render(browser, f"{app_url}/?story={args.story}&step=1&present=1", CHARTS[pages[0]])
            first_render(browser, bare_url, 1)
            for _ in range(args.runs * 2):
                app_seconds = first_render(browser, f"{app_url}/?story={args.story}&step=1&present=1", CHARTS[pages[0]])
                bare_seconds = first_render(browser, bare_url, 1)
                measures.add("first step", app_seconds)
                measures.add("bare page", bare_seconds)
                measures.add("first step / bare", app_seconds / bare_seconds)
            for _ in range(args.runs):
                step_pass(browser, app_url, args.story, pages, measures)
    finally:
        browser.close()

    steps = measures.samples["step"]
    ratio = measures.median("first step / bare")
    lines = [
        f"Storyline benchmark of {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC on {platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}; storyline {args.story!r} "
        f"({len(pages)} steps), {args.runs} passes, 1280x720 headless Chromium.",
        "",
        "| measure | median s | p95 s | target | met |",
        "|---|---|---|---|---|",
        f"| step to the next view, fully rendered ({len(steps)} steps) | {statistics.median(steps):.2f} | "
        f"{p95(steps):.2f} | ≤ {STEP_TARGET_MEDIAN} / ≤ {STEP_TARGET_P95} | "
        f"{'yes' if statistics.median(steps) <= STEP_TARGET_MEDIAN and p95(steps) <= STEP_TARGET_P95 else 'no'} |",
        f"| first step from a link | {measures.median('first step'):.2f} | {p95(measures.samples['first step']):.2f} "
        f"| | |",
        f"| bare Streamlit page | {measures.median('bare page'):.2f} | {p95(measures.samples['bare page']):.2f} | | |",
        f"| first step / bare page (median of pairs) | {ratio:.2f}x | | ≤ {FIRST_TARGET_RATIO}x | "
        f"{'yes' if ratio <= FIRST_TARGET_RATIO else 'no'} |",
        "",
        "Per step (median s): "
        + ", ".join(
            f"{name.removeprefix('step to ')} {measures.median(name):.2f}"
            for name in measures.samples
            if name.startswith("step to ")
        ),
    ]
    text = "\n".join(lines)
    print(text)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
