"""The one filter object every page applies; a plain value, so it can be tested without Streamlit."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from data.history import known_mask
from data.localise import fold
from data.schema import STRONG_TIERS


class Filters(BaseModel):
    """What the analyst chose. An empty selection means "all"."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    start: dt.date | None = None
    end: dt.date | None = None
    categories: tuple[str, ...] = ()
    theaters: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    text: str = Field(default="", max_length=200)
    known_on: dt.date | None = None  # the record as it stood on this date; None = as known now
    strong_only: bool = False  # only records backed by at least one tier 1-2 source

    def is_default(self) -> bool:
        return self == Filters()

    def apply(self, events: pd.DataFrame) -> pd.DataFrame:
        """Rows of `events` (an `events_frame`) that match; never mutates its input."""
        return events.loc[self.mask(events)]

    def mask(self, events: pd.DataFrame) -> pd.Series:
        """Which rows of `events` match (True/False per row): for callers that need only some columns or rows of
        the match, since taking every column of every matching row is the costly part at 100,000 events."""
        mask = known_mask(events, self.known_on)
        if self.start is not None:
            mask &= events["date"] >= pd.Timestamp(self.start)
        if self.end is not None:
            mask &= events["date"] <= pd.Timestamp(self.end)
        if self.categories:
            mask &= events["category"].isin(self.categories)
        if self.theaters:
            mask &= events["theater"].isin(self.theaters)
        if self.actors:
            wanted = set(self.actors)
            mask &= events["actors"].map(lambda actors: not wanted.isdisjoint(actors))
        if self.strong_only:
            mask &= events["best_tier"] <= max(STRONG_TIERS)
        needle = fold(self.text.strip())
        if needle:
            mask &= events["search_text"].str.contains(needle, regex=False)
        return mask

    def describe(self) -> str:
        """A one-line summary shown above every page, so a screenshot says what it shows."""
        parts = []
        if self.start or self.end:
            start = f"{self.start:%d %b %Y}" if self.start else "start"
            end = f"{self.end:%d %b %Y}" if self.end else "latest"
            parts.append(f"{start} – {end}")
        for label, values in (("categories", self.categories), ("theaters", self.theaters), ("actors", self.actors)):
            if values:
                parts.append(f"{label}: {', '.join(values)}")
        if self.text.strip():
            parts.append(f'text: "{self.text.strip()}"')
        if self.strong_only:
            parts.append("tier 1–2 sources only")
        if self.known_on:
            parts.append(f"as known on {self.known_on:%d %b %Y}")
        return "; ".join(parts) if parts else "all events"
