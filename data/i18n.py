"""Interface languages: one gettext catalog per language, looked up through one function, Babel for dates/numbers.

English is the source language (a message's id is its English text). Each other language has
`data/locales/<lang>/LC_MESSAGES/messages.po`, read with Babel at start-up (no compile step). A catalog that is
broken — unreadable, a placeholder the English text does not have, or missing one it has — is reported like a bad
data file: the file, the message and what is wrong. A message with no translation falls back to English; the
test suite fails when a message used in code has none (tests/unit/test_i18n.py).

A third language: add its code to LANGUAGES, copy messages.po to data/locales/<code>/LC_MESSAGES/, translate,
add its record text under data/records/translations/<code>/ and its code to data.schema.RECORD_LANGUAGES.
"""

from __future__ import annotations

import datetime as dt
import re
import string
from functools import lru_cache
from pathlib import Path

from babel.dates import format_date
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

from data.validation import Message, Problem

SOURCE_LANGUAGE = "en"
LANGUAGES: dict[str, str] = {"en": "English", "es": "Español"}
LOCALES_DIR = Path(__file__).resolve().parent / "locales"
DATE_PATTERNS = {"short": "d MMM y", "long": "d MMMM y", "month": "MMM y"}


class CatalogError(Exception):
    """A message catalog is broken; `problems` says where."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


def catalog_path(lang: str) -> Path:
    return LOCALES_DIR / lang / "LC_MESSAGES" / "messages.po"


def _fields(text: str) -> set[str]:
    try:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError:
        return {"<unbalanced braces>"}


def load_catalog(path: Path) -> dict[str, str]:
    """msgid -> msgstr for every translated message; raise CatalogError naming file and message on any defect."""
    shown = str(path)
    try:
        with path.open("rb") as handle:
            catalog = read_po(handle, abort_invalid=True)
    except FileNotFoundError:
        raise CatalogError([Problem(shown, "(file)", "", "message catalog not found")]) from None
    except Exception as error:  # noqa: BLE001 - Babel raises several kinds for a malformed file
        raise CatalogError([Problem(shown, "(file)", "", f"cannot be read: {error}")]) from None
    messages: dict[str, str] = {}
    problems: list[Problem] = []
    for message in catalog:
        if not message.id or not isinstance(message.id, str) or not isinstance(message.string, str):
            continue
        if not message.string:
            continue
        english, translated = _fields(message.id), _fields(message.string)
        if english != translated:
            problems.append(
                Problem(
                    shown,
                    f"msgid {message.id[:60]!r} (line {message.lineno})",
                    "msgstr",
                    f"placeholders {sorted(translated)} do not match the English {sorted(english)}",
                )
            )
            continue
        # A message with a context (msgctxt, e.g. "column": a table header's short form) is keyed as gettext keys it.
        messages[f"{message.context}{CONTEXT_SEPARATOR}{message.id}" if message.context else message.id] = (
            message.string
        )
    if problems:
        raise CatalogError(problems)
    return messages


@lru_cache(maxsize=8)
def catalog(lang: str) -> dict[str, str]:
    """The catalog of `lang` (empty for English, the source language)."""
    if lang == SOURCE_LANGUAGE or lang not in LANGUAGES:
        return {}
    return load_catalog(catalog_path(lang))


CONTEXT_SEPARATOR = "\x04"  # gettext's separator between a message's context and its id


def translate_in(lang: str, context: str, message: str) -> str:
    """`message` in `lang` as worded for `context` (e.g. "column"); its ordinary translation when there is none."""
    return catalog(lang).get(f"{context}{CONTEXT_SEPARATOR}{message}") or translate(lang, message)


def translate(lang: str, message: str, **values: object) -> str:
    """`message` (English) in `lang`, with `{name}` placeholders filled from `values`."""
    text = catalog(lang).get(message, message)
    return text.format(**values) if values else text


def localise_message(message: Message, lang: str) -> str:
    """A `Message` in `lang`: its template through the catalog, nested messages likewise, whole numbers written as
    the language writes them; the English text when the translation cannot be filled."""
    if lang == SOURCE_LANGUAGE or lang not in LANGUAGES:
        return str(message)
    template = catalog(lang).get(message.template, message.template)
    if not message.values:
        return template
    values = {
        name: localise_message(value, lang)
        if isinstance(value, Message)
        else format_count(value, lang)
        if isinstance(value, int) and not isinstance(value, bool)
        else value
        for name, value in message.values
    }
    try:
        return template.format(**values)
    except (KeyError, IndexError, ValueError):
        return str(message)


def localise_problem(problem: Problem, lang: str) -> str:
    """A data problem as the app shows it in `lang` (file, record, field and message; `str(problem)` is English)."""
    if lang == SOURCE_LANGUAGE or lang not in LANGUAGES:
        return str(problem)
    return localise_message(problem.framed, lang)


def format_day(day: dt.date, lang: str, style: str = "short") -> str:
    """A date as its language writes it: "3 Jan 2026" / "3 ene 2026"."""
    return format_date(day, DATE_PATTERNS[style], locale=lang)


def format_count(value: int | float, lang: str) -> str:
    """A number as its language writes it: "1,234" / "1.234"."""
    return format_decimal(value, locale=lang)


def pick_language(accept_language: str | None) -> str:
    """The first of the browser's preferred languages that we have (English when none)."""
    for part in (accept_language or "").split(","):
        code = re.split(r"[-_;]", part.strip().lower(), maxsplit=1)[0]
        if code in LANGUAGES:
            return code
    return SOURCE_LANGUAGE
