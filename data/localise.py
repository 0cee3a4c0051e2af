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
    "trackers": {"unit": "unit", "tracker": "tracker"},  # a name without words to translate has no text: kept
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


def localised_revisions(revisions: pd.DataFrame, texts: Mapping[str, Record]) -> pd.DataFrame:
    """A `revisions_frame` in another language: an event's revisions take their note (and, for a revised text
    field, their old and new wording) from its translation (`texts`: EventText by id); a revision without one keeps
    its English words, marked. Values such as tolls and fates are the same in every language."""
    if not len(revisions):
        return revisions
    position = revisions.groupby(["record_kind", "record_id"], sort=False).cumcount()
    text_fields = set(TEXT_COLUMNS["events"])
    notes: list[object] = []
    olds: list[object] = []
    news: list[object] = []
    rows = zip(
        revisions["record_kind"],
        revisions["record_id"],
        position,
        revisions["field"],
        revisions["old"],
        revisions["new"],
        revisions["note"],
        strict=True,
    )
    for kind, record_id, index, field, old, new, note in rows:
        given = getattr(texts.get(record_id), "revisions", []) if kind == "event" else []
        words = given[index] if index < len(given) else None
        is_text = field in text_fields
        if words is not None:
            notes.append(words.note)
            olds.append(words.old if is_text else old)
            news.append(words.new if is_text else new)
        else:
            notes.append(_marked(note))
            olds.append(_marked(old) if is_text else old)
            news.append(_marked(new) if is_text else new)
    index = revisions.index
    return revisions.assign(
        note=pd.Series(notes, index=index, dtype=object),
        old=pd.Series(olds, index=index, dtype=object),
        new=pd.Series(news, index=index, dtype=object),
    )


def _marked(value: object) -> object:
    return f"{value}{UNTRANSLATED_MARK}" if isinstance(value, str) and value else value
