"""'What changed since': the report on the fixture, whose changes are known, and the CLI around it."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess

from data.changes import change_report, to_csv, to_markdown
from data.frames import event_states_frame, revisions_frame, stances_frame, trackers_frame
from data.loading import load_dataset
from tests.conftest import MINI, ROOT

CLI = str(ROOT / ".venv" / "bin" / "crisis-monitor")


def _report(since: str, until: str):  # noqa: ANN202
    dataset = load_dataset(MINI, today=dt.date(2026, 11, 25))
    return change_report(
        event_states_frame(dataset),
        stances_frame(dataset, history=True),
        trackers_frame(dataset, history=True),
        revisions_frame(dataset),
        since=dt.date.fromisoformat(since),
        until=dt.date.fromisoformat(until),
    )


def test_report_lists_what_became_public_in_the_window() -> None:
    report = _report("2025-10-30", "2025-11-20")
    assert (report.before.killed, report.after.killed) == (25, 29)
    assert (report.before.presumed_dead, report.after.presumed_dead) == (0, 1)
    assert report.new_strikes["id"].tolist() == ["strike-2025-11-10-caribbean"]
    assert report.new_events["id"].tolist() == ["designation-2025-11-16-fto", "statement-2025-11-17-talks"]
    assert report.revisions["field"].tolist() == ["strike.killed_high", "strike.survivor_fates"]
    assert report.stances[["id", "previous_position", "position"]].values.tolist() == [
        ["ve-talks-2025-11-17", "mixed", "support"]
    ]
    assert report.trackers["id"].tolist() == ["tracker-2025-11-20"]
    assert report.headline().startswith(
        "Killed as announced 25 → 29; +1 strike in 1 announcement (Caribbean 1); presumed dead 0 → 1"
    )


def test_window_edges_and_a_reversed_window() -> None:
    # A change known on the window's first day is before it; one known on its last day is inside.
    report = _report("2025-11-01", "2025-11-03")
    assert report.revisions["known"].dt.date.tolist() == [dt.date(2025, 11, 3)]
    assert _report("2025-11-03", "2025-11-01").revisions["known"].tolist() == report.revisions["known"].tolist()
    quiet = _report("2025-11-20", "2025-11-21")
    assert quiet.empty and "Nothing became public in this window." in to_markdown(quiet)


def test_markdown_and_csv_carry_old_new_and_sources() -> None:
    report = _report("2025-10-30", "2025-11-20")
    text = to_markdown(report)
    assert "1 missing → 1 presumed dead" in text and "https://example.org/c" in text
    assert "1 desaparecido(s) → 1 dado(s) por muerto(s)" in to_markdown(report, "es")
    lines = to_csv(report).splitlines()
    assert lines[0] == "change,known,record_id,what,old,new,sources"
    assert len(lines) == 1 + 7


def test_changes_and_known_on_export_from_the_command_line() -> None:
    run = subprocess.run(
        [CLI, "changes", "--since", "2025-10-30", "--until", "2025-11-20", "--format", "json", "--data-dir", str(MINI)],
        capture_output=True,
        text=True,
        check=True,
    )
    body = json.loads(run.stdout)
    assert body["counters"]["killed"] == {"before": 25, "after": 29}
    export = subprocess.run(
        [CLI, "export", "--format", "json", "--known-on", "2025-10-30", "--data-dir", str(MINI)],
        capture_output=True,
        text=True,
        check=True,
    )
    rows = json.loads(export.stdout)["events"]
    assert [r["id"] for r in rows] == ["strike-2025-09-02-caribbean", "strike-2025-10-27-eastern-pacific"]
    assert rows[1]["presumed_dead"] == 0 and rows[1]["killed_high"] is None  # both revised later
    bad = subprocess.run([CLI, "changes", "--since", "yesterday"], capture_output=True, text=True, check=False)
    assert bad.returncode == 2 and "'yesterday' is not a date" in bad.stderr


def test_the_changes_digest_in_spanish_from_the_command_line() -> None:
    """Record text and the digest's words in Spanish; ids, dates and numbers as in English."""
    args = ["changes", "--since", "2025-10-30", "--until", "2025-11-20", "--data-dir", str(MINI)]
    english = subprocess.run([CLI, *args], capture_output=True, text=True, check=True).stdout
    spanish = subprocess.run([CLI, *args, "--lang", "es"], capture_output=True, text=True, check=True).stdout
    assert spanish.startswith("# Qué cambió: 30 oct 2025 → 20 nov 2025")
    assert "Muertos según lo anunciado 25 → 29" in spanish and "Killed as announced 25 → 29" in english
    assert "Ataque en el Caribe" in spanish and "Caribbean strike" in english  # the record's own Spanish text
    ids = sorted(set(re.findall(r"`([a-z0-9-]+)`", english)))
    assert ids and ids == sorted(set(re.findall(r"`([a-z0-9-]+)`", spanish)))
    as_json = subprocess.run(
        [CLI, *args, "--lang", "es", "--format", "json"], capture_output=True, text=True, check=True
    )
    body = json.loads(as_json.stdout)
    assert body["lang"] == "es" and body["counters"]["killed"] == {"before": 25, "after": 29}
