"""Benchmark the dashboard against a bare Streamlit page, in the same run, in headless Chromium.

For each dataset (the bundled record and synthetic sets of 1,000 / 10,000 / 100,000 events) it
starts the app and the bare page (`benchmarks/bare_app.py`) and measures, alternating the two:

- server start until `/_stcore/health` answers;
- navigation until the page is fully rendered (script finished, nothing stale, no skeleton,
  every expected chart drawn), for every page of the app;
- a rerun: a filter change in the app (pick a theater) vs a button click on the bare page; as a reference, the
  rerun of a page holding only the Overview's chart, redrawn with the same change (`chart_only_app.py`);
- history reruns against the same button click: switching the "as known on" date (sidebar, Overview) and the
  What-changed window (its "since" date), each run to a date not asked before (a real computation, not a cache hit);
- the first visit after the server starts: a fresh server and a fresh Chromium for every run, app and bare page
  alternating (what an analyst sees right after `./dev.sh run`, and every replica's first user);
- bytes received over the websocket while a page loads (what the charts and tables cost);
- the servers' peak memory, and the memory each extra browser session costs (N sessions open).

It prints medians and the median of the pairwise ratios app / bare page, and writes the table to
`benchmarks/results/latest.md`. Run it with `./dev.sh bench` (add `--sizes bundled` for a quick run).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.generate import generate  # noqa: E402
from tests.e2e.support import CHROMIUM, CHROMIUM_ARGS, streamlit_server, wait_rendered  # noqa: E402

APP = ROOT / "dashboard" / "serve.py"  # how ./dev.sh run and the shared profile start it
BARE = ROOT / "benchmarks" / "bare_app.py"
CHART_ONLY = ROOT / "benchmarks" / "chart_only_app.py"  # a reference: the Overview's chart redrawn, nothing else
# path, charts the page draws once rendered
APP_PAGES = [("", 1), ("timeline", 1), ("casualties", 3), ("stances", 1), ("map", 1), ("sources", 0)]


def _is_script_finished(payload: bytes | str) -> bool:
    """Whether a websocket frame is Streamlit's "script finished" message (the end of a run)."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    if isinstance(payload, str):
        return False
    try:
        return ForwardMsg.FromString(payload).WhichOneof("type") == "script_finished"
    except Exception:  # noqa: BLE001 - any frame that is not a ForwardMsg is simply not the end of a run
        return False


def memory_kib(pid: int) -> dict[str, int]:
    """Current (VmRSS) and peak (VmHWM) resident memory of a process, in KiB."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in {"VmRSS", "VmHWM"}:
            values[key] = int(rest.split()[0])
    return values


@dataclass
class Measures:
    samples: dict[str, list[float]] = field(default_factory=dict)

    def add(self, name: str, value: float) -> None:
        self.samples.setdefault(name, []).append(value)

    def median(self, name: str) -> float:
        return statistics.median(self.samples[name])


class Browser:
    """One Chromium for the whole run; every measurement uses a fresh context (no cache)."""

    def __init__(self, playwright: object = None) -> None:
        from playwright.sync_api import sync_playwright

        self._owns_playwright = playwright is None
        self._playwright = playwright or sync_playwright().start()
        self.chromium = self._playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

    def fresh(self) -> Browser:
        """A newly launched Chromium (nothing cached, no process warm), driven by the same Playwright."""
        return Browser(self._playwright)

    def close(self) -> None:
        self.chromium.close()
        if self._owns_playwright:
            self._playwright.stop()

    def load(self, url: str, charts: int) -> tuple[float, int, object]:
        """Open `url` in a fresh context; return seconds to fully rendered, websocket bytes, and the page."""
        context = self.chromium.new_context(viewport={"width": 1500, "height": 1000})
        page = context.new_page()
        received = [0]
        page.runs_finished = 0

        def on_frame(payload: bytes | str) -> None:
            received[0] += len(payload)
            if _is_script_finished(payload):
                page.runs_finished += 1

        page.on("websocket", lambda socket: socket.on("framereceived", on_frame))
        started = time.perf_counter()
        page.goto(url)
        wait_rendered(page, charts=charts, timeout_ms=180_000, polling="raf")
        return time.perf_counter() - started, received[0], page

    def rerun(self, page, trigger: Callable[[object], None], charts: int) -> tuple[float, float]:  # noqa: ANN001
        """Seconds from `trigger(page)` until the server finished the rerun, and until it was fully drawn."""
        finished_before = page.runs_finished
        started = time.perf_counter()
        trigger(page)
        while page.runs_finished == finished_before:  # the server says the rerun is done …
            if time.perf_counter() - started > 120:
                raise TimeoutError("the rerun did not finish")
            page.wait_for_timeout(5)
        finished = time.perf_counter() - started
        wait_rendered(page, charts=charts, timeout_ms=180_000, polling="raf")  # … and the browser has drawn it
        return finished, time.perf_counter() - started


def _click_bare_button(page) -> None:  # noqa: ANN001
    page.get_by_role("button", name="Rerun").click()


def _open_theater_menu(page) -> None:  # noqa: ANN001
    page.locator('[data-testid="stMultiSelect"]', has_text="Theater").click()
    page.locator('[role="option"]', has_text="Caribbean").wait_for()


def _pick_caribbean(page) -> None:  # noqa: ANN001
    page.locator('[role="option"]', has_text="Caribbean").click()


def _type_date(page, label: str, day: dt.date) -> None:  # noqa: ANN001
    """Type a date into a date field's segments as a person would; the rerun starts when it is confirmed."""
    box = page.locator('[data-testid="stDateInput"]', has_text=label)
    box.locator('[role="spinbutton"][data-type="year"]').click()
    page.keyboard.type(day.strftime("%Y%m%d"))


def _confirm_date(page) -> None:  # noqa: ANN001
    page.locator('[role="gridcell"][aria-selected="true"]').first.click()


# Each run switches to a date no run asked before, so the app computes the view instead of finding it cached.
KNOWN_FIRST, SINCE_FIRST = dt.date(2025, 11, 3), dt.date(2026, 1, 5)


def first_visits(browser: Browser, label: str, env: dict[str, str], runs: int) -> Measures:
    """First visit after the server starts: fresh server and Chromium per run, bare page and app alternating."""
    measures = Measures()
    for _run in range(runs):
        for name, script, script_env in (("bare", BARE, {}), ("app", APP, env)):
            with streamlit_server(script, env=script_env) as (url, _process):
                fresh = browser.fresh()
                try:
                    seconds, _, page = fresh.load(url, 1)
                    page.context.close()
                finally:
                    fresh.close()
            measures.add(f"first_visit_{name}", seconds)
        app, bare = measures.samples["first_visit_app"][-1], measures.samples["first_visit_bare"][-1]
        measures.add("ratio_first_visit", app / bare)
    print(f"  first visit after start ({label}): {measures.median('first_visit_app'):.2f} s", flush=True)
    return measures


def bench_dataset(
    browser: Browser,
    label: str,
    data_dir: Path | None,
    runs: int,
    sessions: int,
    pages: list[tuple[str, int]],
    *,
    history: bool = True,
    first_visit_runs: int = 0,
) -> dict[str, object]:
    env = {"CRISIS_MONITOR_DATA": str(data_dir)} if data_dir else {}
    measures = Measures()
    result: dict[str, object] = {"dataset": label}
    started = time.perf_counter()
    with streamlit_server(BARE) as (bare_url, bare_process), streamlit_server(CHART_ONLY, env=env) as (chart_url, _):
        measures.add("start_bare", time.perf_counter() - started)
        started = time.perf_counter()
        with streamlit_server(APP, env=env) as (app_url, app_process):
            measures.add("start_app", time.perf_counter() - started)
            # The first visit pays the one-off cost of loading and validating the dataset.
            cold, _, page = browser.load(app_url, 1)
            result["cold_first_visit_s"] = round(cold, 2)
            page.context.close()
            _, _, page = browser.load(bare_url, 1)
            page.context.close()
            for _run in range(runs):
                bare_time, bare_bytes, page = browser.load(bare_url, 1)
                measures.add("render_bare", bare_time)
                measures.add("bytes_bare", bare_bytes)
                finished, drawn = browser.rerun(page, _click_bare_button, 1)
                measures.add("rerun_bare", drawn)
                measures.add("rerun_finished_bare", finished)
                page.context.close()
                _, _, page = browser.load(chart_url, 1)
                _, drawn = browser.rerun(page, _click_bare_button, 1)
                measures.add("rerun_chart_only", drawn)
                measures.add("ratio_rerun_chart_only", drawn / measures.samples["rerun_bare"][-1])
                page.context.close()
                for path, charts in pages:
                    app_time, app_bytes, page = browser.load(f"{app_url}/{path}", charts)
                    name = path or "overview"
                    measures.add(f"render_{name}", app_time)
                    measures.add(f"ratio_render_{name}", app_time / bare_time)
                    measures.add(f"bytes_{name}", app_bytes)
                    if path == "":
                        _open_theater_menu(page)
                        finished, rerun = browser.rerun(page, _pick_caribbean, 1)
                        measures.add("rerun_app", rerun)
                        measures.add("rerun_finished_app", finished)
                        measures.add("ratio_rerun", rerun / measures.samples["rerun_bare"][-1])
                    page.context.close()
                if history:
                    _history_reruns(browser, app_url, measures, _run)
            result["peak_kib_app"] = memory_kib(app_process.pid)["VmHWM"]
            result["peak_kib_bare"] = memory_kib(bare_process.pid)["VmHWM"]
            if sessions:
                # Warm every page once first, so the measure is what a session adds, not first-use caches.
                for path, charts in APP_PAGES:
                    browser.load(f"{app_url}/{path}", charts)[2].context.close()
                time.sleep(2)
                before = memory_kib(app_process.pid)["VmRSS"]
                pages = [browser.load(app_url, 1)[2] for _ in range(sessions)]
                time.sleep(2)
                after = memory_kib(app_process.pid)["VmRSS"]
                result["kib_per_session"] = round((after - before) / sessions, 1)
                for opened in pages:
                    opened.context.close()
    if first_visit_runs:
        first = first_visits(browser, label, env, first_visit_runs)
        for name, samples in first.samples.items():
            measures.samples[name] = samples
    result["measures"] = measures
    return result


def _history_reruns(browser: Browser, app_url: str, measures: Measures, run: int) -> None:
    """Switch "as known on" (Overview) and the What-changed window's start; ratios against this run's bare rerun."""
    bare = measures.samples["rerun_bare"][-1]
    switches = (
        ("known", "", 1, "As known on", KNOWN_FIRST),
        ("changes", "changes", 0, "Since (after)", SINCE_FIRST),
    )
    for name, path, charts, field_label, first in switches:
        _, _, page = browser.load(f"{app_url}/{path}", charts)
        _type_date(page, field_label, first + dt.timedelta(days=7 * run))
        finished, drawn = browser.rerun(page, _confirm_date, charts)
        measures.add(f"rerun_{name}", drawn)
        measures.add(f"rerun_finished_{name}", finished)
        measures.add(f"ratio_rerun_{name}", drawn / bare)
        page.context.close()


def _row(result: dict[str, object], measured: list[tuple[str, int]]) -> list[str]:
    m: Measures = result["measures"]  # type: ignore[assignment]
    pages = [p or "overview" for p, _ in measured]
    worst_ratio = max(m.median(f"ratio_render_{p}") for p in pages)
    worst_page = max(pages, key=lambda p: m.median(f"ratio_render_{p}"))
    max_bytes = max(m.median(f"bytes_{p}") for p in pages)
    return [
        str(result["dataset"]),
        f"{m.median('start_app'):.2f} / {m.median('start_bare'):.2f}",
        f"{result['cold_first_visit_s']:.2f}",
        f"{m.median('render_bare'):.2f}",
        " ".join(f"{p[:4]} {m.median(f'ratio_render_{p}'):.2f}×" for p in pages),
        f"{worst_ratio:.2f}× ({worst_page})",
        (
            f"{m.median('rerun_app'):.3f} / {m.median('rerun_bare'):.3f} (server done "
            f"{m.median('rerun_finished_app'):.3f} / {m.median('rerun_finished_bare'):.3f})"
        )
        if "rerun_app" in m.samples
        else "—",
        f"{m.median('ratio_rerun'):.2f}×" if "ratio_rerun" in m.samples else "—",
        f"{m.median('rerun_chart_only'):.3f} s, {m.median('ratio_rerun_chart_only'):.2f}×",
        f"{max_bytes / 1e6:.2f} MB",
        f"{int(result['peak_kib_app']) / 1024:.0f} / {int(result['peak_kib_bare']) / 1024:.0f} MiB",
        f"{float(result['kib_per_session']) / 1024:.2f} MiB" if "kib_per_session" in result else "—",
    ]


def _history_row(result: dict[str, object]) -> list[str]:
    m: Measures = result["measures"]  # type: ignore[assignment]

    def pair(app: str, bare: str, ratio: str) -> tuple[str, str]:
        if app not in m.samples:
            return "—", "—"
        return f"{m.median(app):.3f} / {m.median(bare):.3f}", f"{m.median(ratio):.2f}×"

    first = pair("first_visit_app", "first_visit_bare", "ratio_first_visit")
    known = pair("rerun_known", "rerun_bare", "ratio_rerun_known")
    changes = pair("rerun_changes", "rerun_bare", "ratio_rerun_changes")
    return [str(result["dataset"]), *first, *known, *changes]


HISTORY_HEADER = [
    "dataset",
    "first visit after start s (app / bare)",
    "first-visit ratio",
    "'as known on' switch s (app / bare rerun)",
    "ratio",
    "What-changed window switch s (app / bare rerun)",
    "ratio",
]

HEADER = [
    "dataset",
    "start s (app / bare)",
    "cold 1st visit s",
    "bare render s",
    "render ratio per page (median of pairs)",
    "worst render ratio",
    "rerun s (app / bare)",
    "rerun ratio",
    "the Overview's chart alone redrawn (reference)",
    "max websocket bytes per page",
    "peak memory (app / bare)",
    "memory per extra session",
]


def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return "\n".join(lines + ["| " + " | ".join(r) + " |" for r in rows]) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="bundled,1000,10000,100000", help="comma-separated: bundled and/or sizes")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sessions", type=int, default=20, help="browser sessions for the memory measure")
    parser.add_argument(
        "--pages",
        default=",".join(p or "overview" for p, _ in APP_PAGES),
        help="comma-separated pages to measure (default: all)",
    )
    parser.add_argument(
        "--first-visit-runs",
        type=int,
        default=5,
        help="runs of the first-visit-after-start measure, each with a fresh server and browser (0: skip)",
    )
    parser.add_argument(
        "--first-visit-sizes", default="bundled", help="datasets that get the first-visit measure (comma-separated)"
    )
    parser.add_argument("--no-history", action="store_true", help="skip the 'as known on' and What-changed reruns")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "latest.md")
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        sys.exit(f"Chromium not found at {CHROMIUM}: sudo apt-get install -y chromium")
    wanted = set(args.pages.split(","))
    pages = [(p, c) for p, c in APP_PAGES if (p or "overview") in wanted]
    browser = Browser()
    rows = []
    history_rows = []
    first_visit_sizes = set(args.first_visit_sizes.split(","))
    try:
        for size in args.sizes.split(","):
            data_dir = None if size == "bundled" else generate(int(size), ROOT / "benchmarks" / "data")
            label = "bundled" if size == "bundled" else f"{int(size):,} events"
            print(f"benchmarking {label} …", flush=True)
            result = bench_dataset(
                browser,
                label,
                data_dir,
                args.runs,
                args.sessions,
                pages,
                history=not args.no_history,
                first_visit_runs=args.first_visit_runs if size in first_visit_sizes else 0,
            )
            rows.append(_row(result, pages))
            history_rows.append(_history_row(result))
            print(" | ".join(rows[-1]), flush=True)
            print(" | ".join(history_rows[-1]), flush=True)
    finally:
        browser.close()
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    text = (
        f"Benchmark of {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC on {machine}; {args.runs} runs each "
        f"({args.first_visit_runs} for the first visit after start), medians.\n\n"
        + _table(HEADER, rows)
        + "\n"
        + _table(HISTORY_HEADER, history_rows)
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print("\n" + text)


if __name__ == "__main__":
    main()
