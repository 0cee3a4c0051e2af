"""With lang=es, no interface string is left in English on any page (the record's own text may be, marked [EN])."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from data.i18n import catalog
from tests.app.conftest import PAGES, Runner


def english_messages() -> list[str]:
    """Catalog messages whose Spanish differs from the English (so finding the English means a missed string)."""
    spanish = catalog("es")
    return [m for m, s in spanish.items() if s != m and len(m) > 3 and not m.startswith("{")]


def _literal_parts(message: str) -> list[str]:
    """The fixed words of a message around its placeholders, long enough to be telling."""
    return [part.strip(" ·:;,.()") for part in re.split(r"\{[^}]*\}", message) if len(part.strip(" ·:;,.()")) > 12]


def visible_text(app: AppTest) -> str:
    """Every string the page shows: text elements, widget labels, help, placeholders, options, table headers."""
    parts: list[str] = []
    element: Any
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "success", "error"):
        parts += [str(element.value) for element in app.get(kind)]
    for element in app.get("metric"):
        parts.append(element.label)
    for kind in ("date_input", "multiselect", "selectbox", "text_input", "checkbox", "button", "segmented_control"):
        for element in app.get(kind):
            proto = element.proto
            parts += [getattr(proto, "label", ""), getattr(proto, "help", ""), getattr(proto, "placeholder", "")]
    for element in app.get("download_button"):
        parts.append(element.proto.label)
    for element in app.get("dataframe"):
        parts += [str(column) for column in element.value.columns]
    return "\n".join(p for p in parts if p)


@pytest.mark.parametrize("page", PAGES)
def test_no_english_interface_string_on_a_spanish_page(run_app: Runner, page: str) -> None:
    app = run_app(
        page, query={"lang": "es", "event": "strike-2025-10-27-eastern-pacific", "cell": "ve-maduro:negotiations"}
    )
    shown = visible_text(app)
    leftovers = sorted(
        {
            part
            for message in english_messages()
            for part in _literal_parts(message) or [message]
            if re.search(rf"(?<!\w){re.escape(part)}(?!\w)", shown)  # whole words: "exact" is not in "exactamente"
        }
    )
    assert leftovers == [], f"{page}: English left on the Spanish page"
    assert "Filtros" in shown


def test_a_broken_dataset_is_explained_in_spanish(run_app: Runner, mini_copy: Path) -> None:
    """The broken-data screen names file, record and field in Spanish, with no traceback (the CLI stays English)."""
    strikes = mini_copy / "events" / "strikes.yaml"
    strikes.write_text(
        strikes.read_text(encoding="utf-8").replace("  title: First strike\n", "  colour: red\n"), "utf-8"
    )
    app = run_app(data_dir=mini_copy, query={"lang": "es"})
    assert "problema(s), así que no se muestra nada" in app.error[0].value
    shown = app.code[0].value
    record = f"{strikes}: registro 'strike-2025-09-02-caribbean' (elemento 1)"
    assert f"{record}, campo 'colour': campo desconocido (no está en el contrato de datos)" in shown
    assert f"{record}, campo 'title': falta un campo obligatorio" in shown
    assert "field '" not in shown and "Traceback" not in shown and not app.exception
    english = run_app(data_dir=mini_copy)
    assert (
        f"{strikes}: record 'strike-2025-09-02-caribbean' (item 1), field 'colour': unknown field"
        in english.code[0].value
    )


def test_storyline_files_that_do_not_fit_are_explained_in_spanish(run_app: Runner) -> None:
    """The shipped briefing does not fit the fixture record: its problems are listed in the sidebar, in Spanish."""
    app = run_app(query={"lang": "es"})
    shown = "\n".join(str(block.value) for block in app.sidebar.code)
    assert ": registro paso " in shown and "campo 'view" in shown, shown
    assert ": record " not in shown and "field '" not in shown


def test_the_changelog_reads_in_spanish(run_app: Runner) -> None:
    """The bundled changelog through its translation file: every entry in Spanish, none marked [EN]."""
    from data.loading import load_dataset
    from data.schema import ChangelogText
    from tests.conftest import BUNDLED

    dataset = load_dataset(BUNDLED)
    app = run_app("views/sources.py", data_dir=BUNDLED, query={"lang": "es"})
    shown = [m.value.replace("\\", "") for m in app.markdown]  # md_escape's backslashes
    for entry in dataset.changelog:
        translated = dataset.translations["es"]["changelog"][entry.id]
        assert isinstance(translated, ChangelogText)
        spanish = translated.change
        assert any(spanish[:60] in text and not text.endswith("[EN]") for text in shown), entry.id
        assert not any(entry.change[:60] in text for text in shown)
    assert not any("inglés" in str(c.value) for c in app.caption)
    english = [m.value.replace("\\", "") for m in run_app("views/sources.py", data_dir=BUNDLED).markdown]
    assert any(dataset.changelog[0].change[:60] in text for text in english)


def test_curator_warnings_read_in_spanish(run_app: Runner) -> None:
    """The fixture has no manifest: its warning is listed on the method page in the reader's language."""
    spanish = "\n".join(str(c.value) for c in run_app("views/sources.py", query={"lang": "es"}).code)
    assert "datapackage.json: no hay manifiesto, así que no se notaría la pérdida de un registro" in spanish
    assert "no manifest" not in spanish
    english = "\n".join(str(c.value) for c in run_app("views/sources.py").code)
    assert "datapackage.json: no manifest, so a lost record cannot be noticed" in english
