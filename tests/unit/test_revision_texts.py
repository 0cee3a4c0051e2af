"""Record text in Spanish beyond titles and summaries: revision texts (one per revision, in order; old/new wording
only for text fields) and tracker names that have words to translate."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from data.frames import revisions_frame, trackers_frame
from data.loading import DatasetError, load_dataset
from data.localise import UNTRANSLATED_MARK, localise, localised_revisions
from tests.conftest import BUNDLED, Mutator

TEXTS = "translations/es/events.yaml"
REVISED = 1  # strike-2025-10-27-eastern-pacific: two revisions (killed_high, survivor_fates), no text field
NOTES = [{"note": "Un medio contó al sobreviviente entre los muertos."}, {"note": "Búsqueda suspendida."}]


def problems(root: Path) -> list[str]:
    with pytest.raises(DatasetError) as error:
        load_dataset(root)
    return [str(problem) for problem in error.value.problems]


def give(revisions: list[dict[str, Any]]) -> Any:
    def change(record: dict[str, Any]) -> None:
        assert record["id"] == "strike-2025-10-27-eastern-pacific"
        record["revisions"] = revisions

    return change


def test_revision_notes_in_spanish_replace_the_english_ones(mutate: Mutator) -> None:
    dataset = load_dataset(mutate(TEXTS, REVISED, give(NOTES)))
    revisions = revisions_frame(dataset)
    spanish = localised_revisions(revisions, dataset.translations["es"]["events"])
    assert spanish["note"].tolist() == [text["note"] for text in NOTES]
    assert spanish["new"].tolist() == revisions["new"].tolist()  # a toll and a fate: the same in every language


def test_a_revision_without_spanish_text_is_marked() -> None:
    revisions = revisions_frame(load_dataset(BUNDLED))
    marked = localised_revisions(revisions, {})
    assert (marked["note"] == revisions["note"] + UNTRANSLATED_MARK).all()
    summaries = revisions["field"] == "summary"
    assert summaries.any()
    assert (marked.loc[summaries, "old"] == revisions.loc[summaries, "old"] + UNTRANSLATED_MARK).all()


def test_every_bundled_revision_has_its_spanish_words() -> None:
    dataset = load_dataset(BUNDLED)
    revisions = revisions_frame(dataset)
    spanish = localised_revisions(revisions, dataset.translations["es"]["events"])
    assert not spanish["note"].str.endswith(UNTRANSLATED_MARK).any()
    assert (spanish["note"] != revisions["note"]).all()
    # a chain of summary revisions reads on: each new wording is the next one's old, the last is the current text
    raid = spanish.loc[spanish["record_id"] == "operation-2026-01-03-maduro-captured"]
    assert raid["old"].tolist()[1:] == raid["new"].tolist()[:-1]
    current = dataset.translations["es"]["events"]["operation-2026-01-03-maduro-captured"]
    assert raid["new"].tolist()[-1] == getattr(current, "summary")  # noqa: B009 - a Record, typed loosely


def test_one_text_per_revision(mutate: Mutator) -> None:
    found = problems(mutate(TEXTS, REVISED, give(NOTES[:1])))
    assert any(
        "translations/es/events.yaml: record 'strike-2025-10-27-eastern-pacific' (item 2), field 'revisions': "
        "1 revision text(s) for the event's 2 revision(s)" in problem
        for problem in found
    ), found


def test_no_wording_for_a_field_that_is_not_text(mutate: Mutator) -> None:
    found = problems(mutate(TEXTS, REVISED, give([{**NOTES[0], "old": "nada", "new": "15"}, NOTES[1]])))
    assert any(
        "field 'revisions[0]': the revised field 'strike.killed_high' is not text: give only the note" in problem
        for problem in found
    ), found


def test_a_revised_text_field_needs_its_wording(mutate: Mutator) -> None:
    def summary_revised(record: dict[str, Any]) -> None:
        record["revisions"].append(
            {
                "known": "2025-11-05",
                "field": "summary",
                "old": "Four boats were struck in the Eastern Pacific.",
                "new": record["summary"],
                "sources": ["src-c"],
                "note": "The survivor's fate was added.",
            }
        )

    root = mutate("events/strikes.yaml", 1, summary_revised)
    found = problems(mutate(TEXTS, REVISED, give([*NOTES, {"note": "Se añadió el destino del sobreviviente."}])))
    assert any(
        "field 'revisions[2]': the revised field 'summary' is text: give its old and new wording too" in problem
        for problem in found
    ), found
    assert root.exists()


def test_tracker_names_with_words_read_in_spanish_and_plain_names_stay() -> None:
    dataset = load_dataset(BUNDLED)
    english = trackers_frame(dataset, history=True)
    spanish = localise(english, "trackers", dataset.translations["es"]["trackers"]).set_index("id")["tracker"]
    assert spanish["airwars-2026-02-13"] == "Airwars (según Antiwar.com)"  # "(as reported by …)" translated
    assert spanish["ap-2025-09-19"] == "AP"  # a plain name is the same in every language, unmarked
    assert not spanish.str.contains("as reported by|citing|as cited|as copied|figures given", regex=True).any()
