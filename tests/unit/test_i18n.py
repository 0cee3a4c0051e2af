"""Interface languages: the catalog covers every message the code uses, broken catalogs are named, and dates
and numbers follow the language."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir

from data.i18n import LANGUAGES, CatalogError, catalog, format_day, load_catalog, pick_language, translate
from tests.conftest import ROOT

# The function names that mark a message for translation: dashboard.i18n.t, and `tr` (a partial of
# data.i18n.translate) in the pure components.
KEYWORDS = {
    "t": None,
    "tr": None,
    "N_": None,
    "column": None,
    "translate": (2,),
}  # translate(lang, message, ...) in data/


def messages_in_code() -> dict[str, str]:
    """Every message passed to t(...) in the app's code, with where it was first found."""
    found: dict[str, str] = {}
    for folder in ("dashboard", "components", "data"):
        for filename, lineno, message, _comments, _context in extract_from_dir(
            ROOT / folder, method_map=[("**.py", "python")], keywords=KEYWORDS
        ):
            if isinstance(message, str):
                found.setdefault(message, f"{folder}/{filename}:{lineno}")
    return found


def test_every_message_used_in_code_has_a_translation_in_every_language() -> None:
    used = messages_in_code()
    for lang in LANGUAGES:
        if lang == "en":
            continue
        missing = {message: where for message, where in used.items() if message not in catalog(lang)}
        assert missing == {}, f"{lang}: add these to data/locales/{lang}/LC_MESSAGES/messages.po"


def test_spanish_dates_and_numbers_follow_babel() -> None:
    assert format_day(dt.date(2026, 1, 3), "es") == "3 ene 2026"
    assert format_day(dt.date(2026, 1, 3), "en") == "3 Jan 2026"


def test_translation_fills_placeholders_and_falls_back_to_english() -> None:
    assert translate("en", "{n} sources", n=3) == "3 sources"
    assert translate("es", "A message no catalog has") == "A message no catalog has"


def test_browser_language_picks_the_default() -> None:
    assert pick_language("es-VE,es;q=0.9,en;q=0.8") == "es"
    assert pick_language("fr-FR,en-GB;q=0.8") == "en"
    assert pick_language(None) == "en"


def _write_po(path: Path, body: str) -> Path:
    path.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n' + body, encoding="utf-8")
    return path


def test_a_translation_with_other_placeholders_names_file_and_message(tmp_path: Path) -> None:
    path = _write_po(tmp_path / "messages.po", 'msgid "{n} sources"\nmsgstr "{count} fuentes"\n')
    with pytest.raises(CatalogError) as caught:
        load_catalog(path)
    text = str(caught.value)
    assert str(path) in text and "msgid '{n} sources'" in text and "field 'msgstr'" in text
    assert "placeholders ['count'] do not match the English ['n']" in text


def test_an_unreadable_or_missing_catalog_is_named(tmp_path: Path) -> None:
    broken = _write_po(tmp_path / "broken.po", 'msgid "a"\nthis is not a catalog line\n')
    with pytest.raises(CatalogError) as caught:
        load_catalog(broken)
    assert str(broken) in str(caught.value) and "cannot be read" in str(caught.value)
    with pytest.raises(CatalogError, match="message catalog not found"):
        load_catalog(tmp_path / "nope.po")


def test_every_label_of_a_code_has_a_translation() -> None:
    from components.style import CATEGORY_LABELS, GRADE_LABELS, POSITION_LABELS, THEATER_LABELS

    labels = {*CATEGORY_LABELS.values(), *THEATER_LABELS.values(), *POSITION_LABELS.values(), *GRADE_LABELS.values()}
    assert sorted(label for label in labels if label not in catalog("es")) == []
