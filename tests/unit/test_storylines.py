"""Storyline files: the strict contract, messages naming file, step and field, and the shipped briefing."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest

from data.loading import load_dataset
from data.storylines import (
    PAGE_KEYS,
    STORYLINES_DIR,
    Known,
    load_storylines,
    parse_storyline,
    step_from_query,
)
from tests.conftest import BUNDLED

KNOWN = Known(
    actors=frozenset({"us-trump", "ve-maduro"}),
    events=frozenset({"strike-1"}),
    issues=frozenset({"ground-action"}),
)

GOOD = """
id: demo
title: A demo
steps:
  - headline: All strikes
    page: overview
    view: {category: [strike]}
  - headline: Eastern Pacific since January
    note: Speak slowly.
    page: timeline
    view: {theater: [eastern_pacific], from: 2026-01-01, to: "2026-02-28", lane: theater, event: strike-1}
  - headline: Stances
    page: stances
    view: {asof: 2025-12-01, cell: "us-trump:ground-action", actor: [us-trump], strong: true}
"""


SPANISH = """
translations:
  es:
    title: Una demo
    steps:
      - headline: Todos los ataques
      - headline: Pacífico oriental desde enero
        note: Hable despacio.
      - headline: Posiciones
"""


def test_a_storyline_in_another_language_keeps_its_views_and_round_trips() -> None:
    story = parse_storyline(GOOD + SPANISH, file="demo.yaml", known=KNOWN).storyline
    assert story is not None
    spanish = story.in_language("es")
    assert spanish.title == "Una demo"
    assert [(s.headline, s.note) for s in spanish.steps] == [
        ("Todos los ataques", ""),
        ("Pacífico oriental desde enero", "Hable despacio."),
        ("Posiciones", ""),
    ]
    assert [s.query() for s in spanish.steps] == [s.query() for s in story.steps]  # the views are the step's own
    assert story.in_language("en") == story  # no English text given: its own words
    assert parse_storyline(story.to_yaml(), file="again.yaml", known=KNOWN).storyline == story


def problems_of(text: str, known: Known = KNOWN) -> list[str]:
    result = parse_storyline(textwrap.dedent(text), file="demo.yaml", known=known)
    assert result.storyline is None
    return [str(problem) for problem in result.problems]


def test_a_good_storyline_parses_to_its_url_values() -> None:
    result = parse_storyline(GOOD, file="demo.yaml", known=KNOWN)
    assert result.problems == ()
    story = result.storyline
    assert story is not None and [step.page for step in story.steps] == ["overview", "timeline", "stances"]
    assert story.steps[0].query() == {"category": ["strike"]}
    assert story.steps[1].query() == {
        "from": "2026-01-01",
        "to": "2026-02-28",
        "theater": ["eastern_pacific"],
        "lane": "theater",
        "event": "strike-1",
    }
    assert story.steps[2].query() == {
        "actor": ["us-trump"],
        "strong": "1",
        "asof": "2025-12-01",
        "cell": "us-trump:ground-action",
    }


def test_yaml_round_trip_is_lossless() -> None:
    story = parse_storyline(GOOD, file="demo.yaml", known=KNOWN).storyline
    assert story is not None
    again = parse_storyline(story.to_yaml(), file="again.yaml", known=KNOWN).storyline
    assert again == story


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            GOOD.replace("page: overview", "page: dashboard"),
            "demo.yaml: record step 1 ('All strikes'), field 'page': Input should be 'overview'",
        ),
        (
            GOOD.replace("    note: Speak slowly.", "    notes: Speak slowly."),
            "record step 2 ('Eastern Pacific since January'), field 'notes': unknown field (not in the data contract)",
        ),
        (
            GOOD.replace("category: [strike]", "category: [strikes]"),
            "record step 1 ('All strikes'), field 'view.category[0]': Input should be 'strike'",
        ),
        (
            GOOD.replace("theater: [eastern_pacific]", "theater: [pacific]"),
            "field 'view.theater[0]': Input should be 'caribbean'",
        ),
        (
            GOOD.replace("actor: [us-trump]", "actor: [nobody]"),
            "record step 3 ('Stances'), field 'view.actor': unknown actor id(s) 'nobody' (see actors.yaml)",
        ),
        (
            GOOD.replace("from: 2026-01-01", "from: 2026-13-01"),
            "field 'view.from': expected a date (YYYY-MM-DD), got '2026-13-01'",
        ),
        (
            GOOD.replace("from: 2026-01-01", "from: 20260101"),
            "field 'view.from': expected a date (YYYY-MM-DD), got int",
        ),
        (
            GOOD.replace('to: "2026-02-28"', 'to: "28/02/2026"'),
            "field 'view.to': expected a date (YYYY-MM-DD), got '28/02/2026'",
        ),
        (GOOD.replace('to: "2026-02-28"', "to: 2025-02-28"), "field 'view': 'from' is after 'to'"),
        (GOOD.replace("event: strike-1", "event: strike-9"), "field 'view.event': unknown event id 'strike-9'"),
        (
            GOOD.replace('cell: "us-trump:ground-action"', 'cell: "us-trump:war"'),
            "field 'view.cell': unknown issue id 'war'",
        ),
        (
            GOOD.replace("view: {category: [strike]}", "view: {category: [strike], lane: theater}"),
            "record step 1 ('All strikes'), field 'view': key(s) lane belong to another page than 'overview'",
        ),
        (GOOD.replace("    view: {category: [strike]}", "    view: {colour: theater}"), "field 'view.colour': unknown"),
        (GOOD.replace("id: demo", "id: Demo Story"), "record storyline 'Demo Story', field 'id': String should match"),
        (GOOD.replace("title: A demo", "titel: A demo"), "field 'titel': unknown field"),
        ("id: demo\ntitle: Empty\nsteps: []\n", "field 'steps': List should have at least 1 item"),
        ("id: demo\ntitle: [unclosed\n", "demo.yaml: record storyline: not valid YAML (line 3)"),
        ("- just a list\n", "expected a mapping with id, title, steps"),
        (
            GOOD + SPANISH.replace("      - headline: Posiciones\n", ""),
            "field 'translations': es gives 2 step text(s) for 3 step(s)",
        ),
        (GOOD + SPANISH.replace("  es:", "  fr:"), "field 'translations.fr.[key]': unknown language 'fr'"),
        (
            GOOD + SPANISH.replace("headline: Posiciones", "headline: ''"),
            "field 'translations.es.steps[2].headline': String should",
        ),
        (GOOD + SPANISH.replace("title: Una demo", "titulo: Una demo"), "field 'translations.es.titulo': unknown"),
    ],
)
def test_every_bad_storyline_names_file_step_and_field(text: str, expected: str) -> None:
    problems = problems_of(text)
    assert any(expected in problem for problem in problems), problems
    assert all(problem.startswith("demo.yaml: record ") for problem in problems)


def test_all_bad_steps_are_reported_at_once() -> None:
    text = GOOD.replace("page: overview", "page: nowhere").replace("actor: [us-trump]", "actor: [nobody]")
    problems = problems_of(text)
    assert len(problems) == 2 and "step 1" in problems[0] and "step 3" in problems[1]


def test_folder_loader_skips_bad_files_and_duplicate_ids(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(GOOD)
    (tmp_path / "b.yaml").write_text(GOOD)  # same id
    (tmp_path / "c.yaml").write_text(GOOD.replace("id: demo", "id: other").replace("page: overview", "page: x"))
    stories, problems = load_storylines(tmp_path, known=KNOWN)
    assert list(stories) == ["demo"]
    assert [p.file for p in problems] == ["b.yaml", "c.yaml"]
    assert "another storyline file has this id" in str(problems[0])


def test_step_from_the_current_url() -> None:
    step = step_from_query(
        "timeline",
        {"category": ["strike,deployment"], "from": ["2026-01-01"], "strong": ["1"], "lane": ["theater"]},
        headline="Now",
        known=KNOWN,
    )
    assert step.query() == {
        "from": "2026-01-01",
        "category": ["strike", "deployment"],
        "strong": "1",
        "lane": "theater",
    }
    # a key of another page in the URL is not taken into the step
    assert step_from_query("overview", {"lane": ["theater"]}, headline="x").query() == {}


def test_page_table_matches_the_filters_and_page_keys() -> None:
    keys = [key for owned in PAGE_KEYS.values() for key in owned]
    assert len(keys) == len(set(keys)), "a URL key belongs to one page"


def test_the_shipped_briefing_is_valid_on_the_bundled_record() -> None:
    dataset = load_dataset(BUNDLED)
    known = Known(
        actors=frozenset(a.id for a in dataset.actors),
        events=frozenset(e.id for e in dataset.events),
        issues=frozenset(i.id for i in dataset.issues),
    )
    stories, problems = load_storylines(STORYLINES_DIR, known=known)
    assert problems == ()
    briefing = stories["briefing"]
    assert 6 <= len(briefing.steps) <= 10
    pages = {step.page for step in briefing.steps}
    assert {"overview", "casualties", "timeline", "map", "stances", "changes"} <= pages
    # the capture is a step, and every dated view lies inside the record
    assert any(step.view.event == "operation-2026-01-03-maduro-captured" for step in briefing.steps)
    assert briefing.in_language("es").steps[5].headline == "La captura de Maduro, 3 de enero de 2026"
    for step in briefing.steps:
        for day in (step.view.start, step.view.end, step.view.asof, step.view.since, step.view.until):
            assert day is None or dt.date(2024, 7, 1) <= day <= dataset.coverage_end
