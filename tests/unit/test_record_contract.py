"""The record contract's newer parts: source tiers, revision trails, translations, dataset info, empty files.

Every rule has a failing example whose message names the file, the record and the field; the
"as known on" replay is checked on a record revised twice.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from data.history import as_known_on, last_updated
from data.loading import DatasetError, load_dataset

TODAY = dt.date(2026, 11, 25)
SURVIVOR_STRIKE = 1  # index of strike-2025-10-27-eastern-pacific in the mini fixture's strikes.yaml


def problems_for(root: Path) -> list[str]:
    with pytest.raises(DatasetError) as caught:
        load_dataset(root, today=TODAY)
    return caught.value.lines()


def _revisions(*revisions: dict[str, Any]):  # noqa: ANN202 - a tiny test helper
    def change(record: dict[str, Any]) -> None:
        record["revisions"] = json.loads(json.dumps(revisions))  # no shared lists: they would become YAML aliases

    return change


# The survivor of 27 Oct was first reported alive and searched for; a week later presumed dead.
MISSING = [{"count": 1, "fate": "missing", "note": "search under way"}]
PRESUMED = [{"count": 1, "fate": "presumed_dead", "note": "search suspended"}]
FATE_REVISION = {
    "known": "2025-11-03",
    "field": "strike.survivor_fates",
    "old": MISSING,
    "new": PRESUMED,
    "sources": ["src-c"],
    "note": "Search suspended; presumed dead.",
}
TOLL_REVISION = {
    "known": "2025-11-01",
    "field": "strike.killed_high",
    "old": None,
    "new": 15,
    "sources": ["src-c"],
    "note": "One outlet counted the survivor among the dead.",
}


def test_a_record_revised_twice_shows_each_state_on_the_right_days(mutate) -> None:
    root = mutate("events/strikes.yaml", SURVIVOR_STRIKE, _revisions(TOLL_REVISION, FATE_REVISION))
    event = next(e for e in load_dataset(root, today=TODAY).events if e.id == "strike-2025-10-27-eastern-pacific")
    assert as_known_on(event, dt.date(2025, 10, 27)) is None  # reported on 28 Oct
    first = as_known_on(event, dt.date(2025, 10, 28))
    assert first is not None and first.strike is not None
    assert (first.strike.killed_high, first.strike.presumed_dead) == (None, 0)
    assert first.strike.survivor_fates[0].fate == "missing"
    middle = as_known_on(event, dt.date(2025, 11, 1))
    assert middle is not None and middle.strike is not None
    assert (middle.strike.killed_high, middle.strike.presumed_dead) == (15, 0)
    now = as_known_on(event, dt.date(2025, 11, 3))
    assert now is event and now.strike is not None and now.strike.presumed_dead == 1
    assert last_updated(event) == dt.date(2025, 11, 3)
    assert [r.known for r in middle.revisions] == [dt.date(2025, 11, 1)]


REVISION_CASES = [
    (
        [{**TOLL_REVISION, "known": "2025-10-01"}],
        "revisions[0].known",
        "before first reported (2025-10-28)",
    ),
    ([{**TOLL_REVISION, "known": "2027-01-01"}], "revisions[0].known", "in the future"),
    ([FATE_REVISION, TOLL_REVISION], "revisions[1].known", "before the revision before it"),
    ([{**TOLL_REVISION, "field": "strike.colour"}], "revisions[0].field", "not a field of this record"),
    ([{**TOLL_REVISION, "field": "id"}], "revisions[0].field", "cannot be revised"),
    ([{**TOLL_REVISION, "sources": ["nope"]}], "revisions[0].sources[0]", "unknown source id 'nope'"),
    ([{**TOLL_REVISION, "new": 16}], "revisions[0].new", "does not match the record's current value (15)"),
    (
        [{**TOLL_REVISION, "known": "2025-10-30", "old": None, "new": 14}, TOLL_REVISION],
        "revisions[0].new",
        "does not match the next revision's 'old'",
    ),
    (
        [{**FATE_REVISION, "old": [{"count": 2, "fate": "missing"}]}],
        "revisions[0].old",
        "the record before this revision is invalid",
    ),
    ([{**TOLL_REVISION, "when": "x"}], "revisions[0].when", "unknown field"),
]


@pytest.mark.parametrize(("revisions", "field", "words"), REVISION_CASES, ids=[c[2][:30] for c in REVISION_CASES])
def test_revision_rules_name_file_record_and_field(mutate, revisions, field, words) -> None:
    root = mutate("events/strikes.yaml", SURVIVOR_STRIKE, _revisions(*revisions))
    lines = problems_for(root)
    wanted = [line for line in lines if f"field '{field}'" in line and words in line]
    assert wanted, lines
    assert wanted[0].startswith(f"{Path(root, 'events/strikes.yaml')}: record 'strike-2025-10-27-eastern-pacific'")


def _write(path: Path, content: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(content, sort_keys=False, allow_unicode=True), encoding="utf-8")


def test_tier_is_required_and_tier_two_names_its_original(mutate) -> None:
    root = mutate("sources/main.yaml", 0, lambda r: r.pop("tier"))
    assert any("record 'src-a' (item 1), field 'tier': required field is missing" in p for p in problems_for(root))
    root = mutate("sources/main.yaml", 0, lambda r: r.update(tier=2))
    assert any("record 'src-a' (item 1): a tier-2 source" in p for p in problems_for(root))
    root = mutate("sources/main.yaml", 0, lambda r: r.update(tier=5))
    assert any("field 'tier': Input should be less than or equal to 4" in p for p in problems_for(root))


def test_a_figure_on_tier_four_sources_alone_is_a_warning_unless_explained(mutate) -> None:
    root = mutate("sources/main.yaml", 0, lambda r: r.update(tier=4))
    warnings = load_dataset(root, today=TODAY).warnings
    assert any("'strike-2025-09-02-caribbean'" in w and "tier-4 sources only" in w for w in warnings)
    root = mutate("events/strikes.yaml", 0, lambda r: r.update(weak_sourcing="Only mirrors carry it."))
    assert not any("tier-4" in w for w in load_dataset(root, today=TODAY).warnings)


def test_translations_are_checked_and_missing_ones_are_warnings(mini_copy: Path) -> None:
    _write(mini_copy / "translations" / "es" / "issues.yaml", [])
    assert any("issues.yaml: record (file): file is empty" in p for p in problems_for(mini_copy))
    _write(
        mini_copy / "translations" / "es" / "events.yaml",
        [{"id": "strike-2025-09-02-caribbean", "title": "Primer ataque", "summary": "Un ataque."}],
    )
    (mini_copy / "translations" / "es" / "issues.yaml").unlink()
    dataset = load_dataset(mini_copy, today=TODAY)
    assert dataset.translations["es"]["events"]["strike-2025-09-02-caribbean"].title == "Primer ataque"  # type: ignore[attr-defined]
    assert any("4 events without 'es' text" in w for w in dataset.warnings)
    _write(
        mini_copy / "translations" / "es" / "events.yaml",
        [{"id": "no-such-event", "title": "x", "summary": "y", "colour": "z"}],
    )
    lines = problems_for(mini_copy)
    assert any("record 'no-such-event' (item 1), field 'colour': unknown field" in p for p in lines)
    _write(mini_copy / "translations" / "es" / "events.yaml", [{"id": "no-such-event", "title": "x", "summary": "y"}])
    assert any("field 'id': translates unknown events id 'no-such-event'" in p for p in problems_for(mini_copy))
    _write(mini_copy / "translations" / "fr" / "events.yaml", [{"id": "x", "title": "x", "summary": "y"}])
    assert any("unknown language 'fr'" in p for p in problems_for(mini_copy))


def test_dataset_info_is_validated_and_sets_the_coverage_end(mini_copy: Path) -> None:
    assert load_dataset(mini_copy, today=TODAY).coverage_end == dt.date(2025, 11, 17)  # latest reported record
    info = {"title": "Mini", "version": "2025-11-20", "coverage_end": "2025-11-20", "coverage_note": "Fixture."}
    _write(mini_copy / "dataset.yaml", info)
    assert load_dataset(mini_copy, today=TODAY).coverage_end == dt.date(2025, 11, 20)
    _write(mini_copy / "dataset.yaml", {**info, "coverage_end": "soon"})
    assert any("dataset.yaml: record (dataset), field 'coverage_end'" in p for p in problems_for(mini_copy))


@pytest.mark.parametrize("name", ["stances.yaml", "trackers.yaml", "events/milestones.yaml"])
def test_an_emptied_file_is_an_error_not_lost_records(mini_copy: Path, name: str) -> None:
    (mini_copy / name).write_text("# all records deleted\n", encoding="utf-8")
    assert any(f"{name}: record (file): file is empty" in p for p in problems_for(mini_copy))
    (mini_copy / name).write_text("[]\n", encoding="utf-8")
    assert any(f"{name}: record (file): file is empty" in p for p in problems_for(mini_copy))


def test_stance_and_tracker_reported_dates_are_required_and_not_before_the_fact(mutate) -> None:
    root = mutate("stances.yaml", 0, lambda r: r.update(reported="2025-09-01"))
    assert any(
        "record 'co-boat-2025-09-16' (item 1): date 2025-09-16 is after reported" in p for p in problems_for(root)
    )
    root = mutate("trackers.yaml", 0, lambda r: r.pop("reported"))
    assert any(
        "'tracker-2025-11-20' (item 1), field 'reported': required field is missing" in p for p in problems_for(root)
    )


def test_a_source_on_a_junk_site_is_an_error(mutate) -> None:
    root = mutate("sources/main.yaml", 0, lambda r: r.update(url="https://www.joinsurf.shop/fox-copy"))
    assert any(
        "record 'src-a' (item 1), field 'url': 'joinsurf.shop' is on the list of sites never to cite" in p
        for p in problems_for(root)
    )
    root = mutate("sources/main.yaml", 0, lambda r: r.update(url="https://a.englishline-test.monexusmedia.uk/x"))
    assert any("field 'url'" in p and "never to cite" in p for p in problems_for(root))


def test_no_bundled_source_is_on_the_junk_list_and_no_figure_rests_on_tier_four_alone() -> None:
    from data.loading import _host, junk_domains
    from tests.conftest import BUNDLED

    dataset = load_dataset(BUNDLED)
    junk = junk_domains()
    assert len(junk) >= 8
    assert [s.id for s in dataset.sources if _host(s.url) in junk] == []
    assert [w for w in dataset.warnings if "tier-4" in w] == []
