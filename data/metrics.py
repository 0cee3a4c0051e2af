"""Casualty counters and stance lookups, computed from frames (pure pandas, no Streamlit)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from itertools import chain

import pandas as pd

COUNTERS = ("strikes", "vessels", "killed", "survivors", "presumed_dead")


@dataclass(frozen=True)
class CasualtySummary:
    """Totals over the strike records of a frame, as announced, with their range and provenance."""

    announcements: int
    strikes: int
    vessels: int
    killed: int
    killed_low: int
    killed_high: int
    survivors: int
    killed_later: int
    presumed_dead: int
    first: dt.date | None
    as_of: dt.date | None
    source_count: int
    official_only: int
    strong_records: int  # strike records citing at least one tier 1-2 source

    @property
    def survived(self) -> int:
        """Alive after the engagement: reported survivors less those killed by a follow-up strike."""
        return self.survivors - self.killed_later

    @property
    def has_range(self) -> bool:
        return self.killed_low != self.killed or self.killed_high != self.killed


# What `casualty_summary` reads (a caller may pass only these columns).
SUMMARY_COLUMNS = [
    "category",
    "date",
    "strikes",
    "vessels",
    "killed",
    "killed_low",
    "killed_high",
    "survivors",
    "killed_later",
    "presumed_dead",
    "source_urls",
    "grade",
    "strong_sources",
]


def strike_rows(events: pd.DataFrame, columns: list[str] | None = None) -> pd.DataFrame:
    """The strike records of `events`; only `columns` when given (taking every text column of every strike was
    most of a summary's time at 100,000 events)."""
    is_strike = events["category"] == "strike"
    return events.loc[is_strike] if columns is None else events.loc[is_strike, columns]


def casualty_summary(events: pd.DataFrame) -> CasualtySummary:
    strikes = strike_rows(events, SUMMARY_COLUMNS)

    def total(column: str) -> int:
        return int(strikes[column].sum()) if len(strikes) else 0

    sources = set(chain.from_iterable(strikes["source_urls"]))
    return CasualtySummary(
        announcements=len(strikes),
        strikes=total("strikes"),
        vessels=total("vessels"),
        killed=total("killed"),
        killed_low=total("killed_low"),
        killed_high=total("killed_high"),
        survivors=total("survivors"),
        killed_later=total("killed_later"),
        presumed_dead=total("presumed_dead"),
        first=strikes["date"].min().date() if len(strikes) else None,
        as_of=strikes["date"].max().date() if len(strikes) else None,
        source_count=len(sources),
        official_only=int((strikes["grade"] == "official_claim").sum()),
        strong_records=int((strikes["strong_sources"] > 0).sum()) if len(strikes) else 0,
    )


# What `by_theater`, `cumulative` and `monthly` add up, and the columns each reads (a caller may pass only these).
THEATER_FIGURES = ["strikes", "vessels", "killed", "survivors", "presumed_dead"]
RUNNING_FIGURES = ["strikes", "vessels", "killed", "killed_low", "killed_high", "survivors", "presumed_dead"]
MONTHLY_FIGURES = ["strikes", "vessels", "killed"]
THEATER_COLUMNS = ["category", "theater", *THEATER_FIGURES]
RUNNING_COLUMNS = ["category", "date", *RUNNING_FIGURES]
MONTHLY_COLUMNS = ["category", "date", "theater", *MONTHLY_FIGURES]


def by_theater(events: pd.DataFrame) -> pd.DataFrame:
    """Totals per theater: one row per theater that has strikes."""
    strikes = strike_rows(events, THEATER_COLUMNS)
    grouped = strikes.groupby("theater", observed=True)[THEATER_FIGURES].sum().astype("int64")
    grouped.insert(0, "announcements", strikes.groupby("theater", observed=True).size())
    return grouped.reset_index().sort_values("killed", ascending=False, ignore_index=True)


def cumulative(events: pd.DataFrame) -> pd.DataFrame:
    """Running totals by strike date, one row per date that has strikes."""
    strikes = strike_rows(events, RUNNING_COLUMNS)
    daily = strikes.groupby("date")[RUNNING_FIGURES].sum().astype("int64").sort_index()
    return daily.cumsum().reset_index()


def monthly(events: pd.DataFrame) -> pd.DataFrame:
    """Strikes and killed per calendar month and theater."""
    strikes = strike_rows(events, MONTHLY_COLUMNS)
    month = strikes["date"].dt.to_period("M").dt.to_timestamp()
    grouped = (
        strikes.assign(month=month).groupby(["month", "theater"])[MONTHLY_FIGURES].sum().astype("int64").reset_index()
    )
    return grouped


def stance_matrix(stances: pd.DataFrame, as_of: dt.date | None = None) -> pd.DataFrame:
    """The latest stance of each actor on each issue on or before `as_of` (all when None)."""
    chosen = stances if as_of is None else stances.loc[stances["date"] <= pd.Timestamp(as_of)]
    latest = chosen.sort_values(["date", "id"]).groupby(["actor", "issue"], as_index=False).tail(1)
    return latest.reset_index(drop=True)


def stance_history(stances: pd.DataFrame, actor: str, issue: str) -> pd.DataFrame:
    rows = stances.loc[(stances["actor"] == actor) & (stances["issue"] == issue)]
    return rows.sort_values(["date", "id"], ascending=False, ignore_index=True)
