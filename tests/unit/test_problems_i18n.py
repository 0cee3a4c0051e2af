"""Data problems in the app's language: the same file, record and field, the message from the catalog; the
English text (the command line's) unchanged."""

from __future__ import annotations

import copy
import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from data.i18n import catalog, localise_message, localise_problem
from data.loading import DatasetError, load_dataset
from data.storylines import Known, parse_storyline
from data.validation import Message, Problem
from tests.unit.test_record_contract import REVISION_CASES, SURVIVOR_STRIKE, _revisions
from tests.unit.test_validation_rules import CASES, TODAY, _set

STRIKE = "'strike-2025-09-02-caribbean' (item 1)"


def problems_of(root: Path) -> list[Problem]:
    with pytest.raises(DatasetError) as caught:
        load_dataset(root, today=TODAY)
    return caught.value.problems


def english_left(problem: Problem, spanish: str) -> list[str]:
    """Fixed words of the problem's English templates (frame, label, message, nested messages) still in `spanish`."""
    left = []

    def walk(message: Message) -> None:
        translated = catalog("es").get(message.template, message.template)
        if translated != message.template:
            for part in re.split(r"\{[^}]*\}", message.template):
                part = part.strip(" :;,.()'")
                kept = part in translated  # a field or file name the Spanish keeps on purpose
                if len(part) > 3 and not kept and re.search(rf"(?<!\w){re.escape(part)}(?!\w)", spanish):
                    left.append(part)
        for _name, value in message.values:
            if isinstance(value, Message):
                walk(value)

    walk(problem.framed)
    return left


def assert_spanish(problem: Problem) -> str:
    spanish = localise_problem(problem, "es")
    assert spanish.startswith(f"{problem.file}: registro "), spanish
    if problem.field:
        assert f", campo '{problem.field}': " in spanish
    assert problem.text is not None, f"built without a template: {problem}"
    assert english_left(problem, spanish) == [], spanish
    assert localise_problem(problem, "en") == str(problem)
    return spanish


@pytest.mark.parametrize("case", CASES, ids=[f"{c[0]}:{c[4] or 'record'}:{c[5][:24]}" for c in CASES])
def test_every_rule_break_reads_in_spanish_naming_file_record_and_field(mutate, case: tuple[Any, ...]) -> None:  # noqa: ANN001
    file, index, change, record, field, _words = case
    texts = [assert_spanish(problem) for problem in problems_of(mutate(file, index, change))]
    where = f"registro {record}" + (f" (elemento {index + 1}), campo '{field}': " if field else "")
    assert any(where in text for text in texts), texts


@pytest.mark.parametrize("case", REVISION_CASES, ids=[c[2][:30] for c in REVISION_CASES])
def test_every_revision_rule_reads_in_spanish(mutate, case: tuple[Any, ...]) -> None:  # noqa: ANN001
    revisions, field, _words = case
    problems = problems_of(mutate("events/strikes.yaml", SURVIVOR_STRIKE, _revisions(*revisions)))
    assert any(p.field == field for p in problems)
    for problem in problems:
        assert_spanish(problem)


def test_the_spanish_text_of_a_rule_break_and_its_english_are_the_same_problem(mutate) -> None:  # noqa: ANN001
    root = mutate("events/strikes.yaml", 0, _set("colour", "red"))
    (problem,) = problems_of(root)
    file = Path(root, "events/strikes.yaml")
    assert str(problem) == f"{file}: record {STRIKE}, field 'colour': unknown field (not in the data contract)"
    assert localise_problem(problem, "es") == (
        f"{file}: registro 'strike-2025-09-02-caribbean' (elemento 1), campo 'colour': "
        "campo desconocido (no está en el contrato de datos)"
    )


def test_a_contract_rule_keeps_its_values_in_spanish(mutate) -> None:  # noqa: ANN001
    (problem,) = problems_of(mutate("events/strikes.yaml", 1, _set("strike.killed_low", 20)))
    assert str(problem).endswith("field 'strike': killed_low (20) is above killed (14)")
    assert localise_problem(problem, "es").endswith("campo 'strike': killed_low (20) es mayor que killed (14)")


def test_a_nested_problem_is_translated_inside_its_frame(mutate) -> None:  # noqa: ANN001
    revisions, _field, _words = REVISION_CASES[8]
    problems = problems_of(mutate("events/strikes.yaml", SURVIVOR_STRIKE, _revisions(*revisions)))
    (nested,) = [p for p in problems if p.field == "revisions[0].old"]
    spanish = localise_problem(nested, "es")
    assert "el registro anterior a esta revisión no es válido: " in spanish
    assert spanish.count("registro 'strike-2025-10-27-eastern-pacific' (elemento 2)") == 2
    assert ": record " not in spanish and ", field " not in spanish


def test_an_unmapped_pydantic_error_keeps_its_text_inside_a_spanish_frame() -> None:
    problem = Problem("f.yaml", "#3", "x", "Some new pydantic wording")
    assert localise_problem(problem, "es") == "f.yaml: registro #3, campo 'x': Some new pydantic wording"


def test_file_level_problems_are_spanish(mini_copy: Path) -> None:
    (mini_copy / "actors.yaml").write_text("- id: a\n  name: [unclosed\n", encoding="utf-8")
    (mini_copy / "stances.yaml").write_bytes(b"- id: \xff\n")
    problems = problems_of(mini_copy)
    texts = [assert_spanish(p) for p in problems if p.record == "(file)"]
    assert any("actors.yaml: registro (archivo): no se puede analizar (línea " in text for text in texts)
    assert any("stances.yaml: registro (archivo): no es texto UTF-8 (" in text for text in texts)


def test_whole_numbers_in_a_message_are_written_the_spanish_way() -> None:
    message = Message.of(
        "file is {size:,} bytes, over the limit of {limit:,} bytes for {kind} files; refused unread",
        size=3_000_000,
        limit=2_097_152,
        kind="YAML",
    )
    assert str(message).startswith("file is 3,000,000 bytes")
    assert localise_message(message, "es") == (
        "el archivo ocupa 3.000.000 bytes, más que el límite de 2.097.152 bytes para archivos YAML; "
        "rechazado sin leerlo"
    )


def test_storyline_problems_name_the_step_in_spanish() -> None:
    text = "id: s\ntitle: T\nsteps:\n  - {headline: Uno, page: timeline, view: {from: 2026-02-01, to: 2026-01-01}}\n"
    (problem,) = parse_storyline(text, file="s.yaml", known=Known()).problems
    assert str(problem) == "s.yaml: record step 1 ('Uno'), field 'view': 'from' is after 'to'"
    assert (
        localise_problem(problem, "es") == "s.yaml: registro paso 1 ('Uno'), campo 'view': 'from' es posterior a 'to'"
    )
    (bad,) = parse_storyline("- a\n", file="s.yaml").problems
    assert localise_problem(bad, "es") == "s.yaml: registro recorrido: se esperaba un mapeo con id, title, steps"


def test_a_date_in_the_future_keeps_its_dates(mutate) -> None:  # noqa: ANN001
    (problem,) = problems_of(mutate("events/milestones.yaml", 0, _set("reported", dt.date(2027, 1, 1))))
    assert localise_problem(problem, "es").endswith(
        "campo 'reported': 2027-01-01 está en el futuro (hoy es 2026-11-25)"
    )


def test_curator_warnings_read_in_spanish_and_stay_english_for_the_cli(mutate, mini_copy: Path) -> None:  # noqa: ANN001
    mutate("sources/main.yaml", 0, _set("tier", 4))  # figures on tier-4 sources alone
    sources = yaml.safe_load((mini_copy / "sources" / "main.yaml").read_text(encoding="utf-8"))
    sources.append({**copy.deepcopy(sources[1]), "id": "src-copy"})  # an uncited source with another's URL
    (mini_copy / "sources" / "main.yaml").write_text(yaml.safe_dump(sources, allow_unicode=True), encoding="utf-8")
    events = mini_copy / "translations" / "es" / "events.yaml"
    events.write_text(yaml.safe_dump(yaml.safe_load(events.read_text(encoding="utf-8"))[1:]), encoding="utf-8")
    dataset = load_dataset(mini_copy, today=TODAY)
    assert dataset.warnings == tuple(str(m) for m in dataset.warning_messages)
    spanish = [localise_message(m, "es") for m in dataset.warning_messages]
    expected = [
        "campo 'sources': sus cifras se apoyan solo en fuentes de nivel 4",
        "registro 'src-copy' (elemento 5): ningún registro cita esta fuente",
        "registro 'src-copy' (elemento 5): misma URL que la fuente 'src-b'",
        "translations/es/events.yaml: 1 registros de events sin texto en 'es': ",
        "datapackage.json: no hay manifiesto",
    ]
    for words in expected:
        assert any(words in text for text in spanish), (words, spanish)
    for message in dataset.warning_messages:
        assert english_left(Problem("", "", "", str(message), message), localise_message(message, "es")) == []
