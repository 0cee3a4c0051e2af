"""Record text in the reader's language: the same frames, with text columns taken from the translation files.

Numbers, ids and dates never change with the language: only text columns are replaced, by record id. A record
without text in the language keeps its English text, marked, so a reader knows (the validator lists it too).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping

import pandas as pd

from data.schema import Record

# Appended to English text shown on a page in another language (the record has no translation yet).
UNTRANSLATED_MARK = " [EN]"
# Per kind: the frame column each translated field replaces.
TEXT_COLUMNS = {
    "events": {"title": "title", "summary": "summary", "location": "location", "figure_note": "figure_note"},
    "stances": {"evidence": "evidence"},
    "trackers": {"unit": "unit"},
}


def fold(text: str) -> str:
    """Text for accent- and case-insensitive search: "Rodríguez" and "rodriguez" both become "rodriguez"."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def localise(frame: pd.DataFrame, kind: str, texts: Mapping[str, Record]) -> pd.DataFrame:
    """A copy of `frame` (events, stances or trackers) with its text columns in the translations' language."""
    out = frame.copy()
    ids = out["id"]
    translated = ids.isin(list(texts))
    first_field = next(iter(TEXT_COLUMNS[kind]))
    for field, column in TEXT_COLUMNS[kind].items():
        replacement = ids.map({record_id: getattr(text, field, None) for record_id, text in texts.items()})
        english = out[column]
        if field == first_field:  # the title (or evidence, or unit) says the text is still English
            english = english.where(english.isna() | translated, english.astype(str) + UNTRANSLATED_MARK)
        out[column] = replacement.where(replacement.notna(), english).astype(object)
    out["translated"] = translated
    if kind == "events":
        out["search_text"] = search_text(out)
    return out


def search_text(events: pd.DataFrame) -> pd.Series:
    """What the free-text filter searches: title, summary, place and actors, folded."""
    parts = events["title"].astype(str) + " " + events["summary"].astype(str) + " " + events["location"].astype(str)
    return (parts + " " + events["actor_names"].astype(str)).map(fold)


def marked_revisions(revisions: pd.DataFrame) -> pd.DataFrame:
    """A `revisions_frame` for a page in another language: revision notes, and the old and new wording of a revised
    text field, have no translation yet, so they are shown in English, marked (values such as tolls and fates are
    language-neutral and stay as they are)."""
    if not len(revisions):
        return revisions
    text_field = revisions["field"].isin(list(TEXT_COLUMNS["events"]))

    def mark(value: object) -> object:
        return f"{value}{UNTRANSLATED_MARK}" if isinstance(value, str) and value else value

    return revisions.assign(
        note=revisions["note"].map(mark),
        old=revisions["old"].where(~text_field, revisions["old"].map(mark)),
        new=revisions["new"].where(~text_field, revisions["new"].map(mark)),
    )
