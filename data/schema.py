"""The data contract: strict pydantic models for every record kind in `data/records/`.

Field descriptions end up in the generated JSON Schema, so editors can explain a field
while the curator types. Models check one record at a time; rules that need several
records (references, uniqueness) live in `data.validation`.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal, Self, get_args

from pydantic import BaseModel, ConfigDict, Field, JsonValue, StrictInt, field_validator, model_validator

from data.validation import N_, ContractError

Slug = Annotated[
    str,
    Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=120, description="Lowercase slug id."),
]
Count = Annotated[StrictInt, Field(ge=0, description="A count as reported; never negative.")]
Text = Annotated[str, Field(min_length=1, max_length=4000)]
ShortText = Annotated[str, Field(min_length=1, max_length=300)]

Category = Literal[
    "strike",
    "deployment",
    "bounty",
    "designation",
    "statement",
    "diplomacy",
    "legal",
    "legislative",
    "sanctions",
    "election",
    "military_operation",
    "other",
]
Theater = Literal["caribbean", "eastern_pacific", "venezuela", "united_states", "international"]
SourceKind = Literal["official", "media", "ngo", "court", "tracker"]
Position = Literal["support", "oppose", "mixed", "neutral"]
Grade = Literal["official_claim", "corroborated", "disputed"]
SurvivorFate = Literal[
    "rescued", "missing", "repatriated", "detained", "released", "presumed_dead", "killed_later", "unknown"
]
ActorGroup = Literal["united_states", "venezuela", "region", "world", "experts", "armed_groups"]

CATEGORIES: tuple[str, ...] = get_args(Category)
THEATERS: tuple[str, ...] = get_args(Theater)
POSITIONS: tuple[str, ...] = get_args(Position)
GRADES: tuple[str, ...] = get_args(Grade)
# Source tiers (METHOD.md, "Source tiers"): 1 origin, 2 faithful copy, 3 secondary, 4 weak (corroboration only).
Tier = Annotated[
    StrictInt, Field(ge=1, le=4, description="Source tier: 1 origin, 2 faithful copy, 3 secondary, 4 weak.")
]
TIERS: tuple[int, ...] = (1, 2, 3, 4)
STRONG_TIERS: frozenset[int] = frozenset({1, 2})


class Record(BaseModel):
    """Base for every record: unknown fields are errors, whitespace is trimmed."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


class Actor(Record):
    id: Slug
    name: ShortText
    group: ActorGroup
    description: Text


class Issue(Record):
    id: Slug
    name: ShortText
    short_name: Annotated[str, Field(min_length=1, max_length=24, description="Column label in the matrix.")]
    description: Text


class Source(Record):
    """A published report or statement that a curator read."""

    id: Slug
    publisher: ShortText = Field(description="The site or body whose page we read.")
    original_outlet: ShortText | None = Field(
        default=None, description="The wire or network a reprint comes from (e.g. AP)."
    )
    title: Text
    url: Annotated[str, Field(max_length=2000, description="Absolute http(s) URL.")]
    published: dt.date = Field(description="Publication date the page gives.")
    kind: SourceKind
    tier: Tier
    note: Text | None = None

    @field_validator("url")
    @classmethod
    def _http_url_only(cls, url: str) -> str:
        """Only absolute http(s) links: nothing else may become a clickable link."""
        scheme, sep, rest = url.partition("://")
        if scheme.lower() not in {"http", "https"} or not sep or not rest or " " in url:
            raise ContractError(N_("must be an absolute http(s) URL"))
        host = rest.split("/", 1)[0]
        if not host or "." not in host:
            raise ContractError(N_("must be an absolute http(s) URL with a host name"))
        return url

    @model_validator(mode="after")
    def _tier_two_names_its_original(self) -> Self:
        if self.tier == 2 and not self.original_outlet:
            raise ContractError(N_("a tier-2 source (a faithful copy) must name its original_outlet"))
        return self

    @property
    def cited_as(self) -> str:
        """How the source is named to an analyst, e.g. 'AP, via Stars and Stripes'."""
        if self.original_outlet and self.original_outlet != self.publisher:
            return f"{self.original_outlet}, via {self.publisher}"
        return self.publisher


class Coordinates(Record):
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    precision: Literal["exact", "approximate", "theater"]


class SurvivorOutcome(Record):
    count: Annotated[StrictInt, Field(ge=1)]
    fate: SurvivorFate
    note: Text | None = None


class StrikeDetail(Record):
    """Figures of one announced engagement-day (see the counting rule in FORMAT.md)."""

    strikes: Annotated[StrictInt, Field(ge=1, description="Separate lethal engagements.")]
    vessels: Count = Field(description="Boats hit.")
    killed: Count = Field(description="Dead as announced; what the counters use.")
    killed_low: Count | None = Field(default=None, description="Lowest reported, if sources differ.")
    killed_high: Count | None = Field(default=None, description="Highest reported, if sources differ.")
    survivors: Count = 0
    survivor_fates: list[SurvivorOutcome] = Field(default_factory=list)
    announced_by: ShortText
    announced_on: dt.date
    grade: Grade
    running_number: Annotated[StrictInt, Field(ge=1)] | None = None
    figure_note: Text | None = None

    @model_validator(mode="after")
    def _figures_consistent(self) -> Self:
        if self.killed_low is not None and self.killed_low > self.killed:
            raise ContractError(
                N_("killed_low ({low}) is above killed ({killed})"), low=self.killed_low, killed=self.killed
            )
        if self.killed_high is not None and self.killed_high < self.killed:
            raise ContractError(
                N_("killed_high ({high}) is below killed ({killed})"), high=self.killed_high, killed=self.killed
            )
        fates = sum(outcome.count for outcome in self.survivor_fates)
        if self.survivor_fates and fates != self.survivors:
            raise ContractError(
                N_("survivor_fates add up to {fates} but survivors is {survivors}"),
                fates=fates,
                survivors=self.survivors,
            )
        return self

    @property
    def presumed_dead(self) -> int:
        return sum(o.count for o in self.survivor_fates if o.fate == "presumed_dead")

    @property
    def killed_later(self) -> int:
        """Survivors of a first strike killed by a follow-up one: within `killed`, not alive after the engagement."""
        return sum(o.count for o in self.survivor_fates if o.fate == "killed_later")


class Revision(Record):
    """A change the world made to a fact after it was first reported (not our own corrections: see changelog).

    The record keeps the current value; a revision says what the field held before `known` and where the change
    was reported, so the record can be replayed "as known on" any date (data.history).
    """

    known: dt.date = Field(description="When the new value became public.")
    field: Annotated[str, Field(min_length=1, max_length=80, description="Dotted field path, e.g. strike.killed.")]
    old: JsonValue = Field(description="The value before this revision (null if the field was empty).")
    new: JsonValue = Field(description="The value from `known` on.")
    sources: list[Slug] = Field(min_length=1)
    note: Text = Field(description="What changed, in our own words.")


class Event(Record):
    id: Slug
    date: dt.date = Field(description="When it happened.")
    date_precision: Literal["day", "month"] = "day"
    reported: dt.date = Field(description="When it first became public.")
    last_changed: dt.date | None = Field(
        default=None, description="When this record's facts were last corrected, if ever."
    )
    category: Category
    title: ShortText
    summary: Text
    actors: list[Slug] = Field(default_factory=list)
    theater: Theater
    location: ShortText
    coordinates: Coordinates | None = None
    milestone: bool = False
    sources: list[Slug] = Field(min_length=1)
    strike: StrikeDetail | None = None
    weak_sourcing: Text | None = Field(
        default=None, description="Why a figure rests on tier-4 sources alone; shown to the analyst."
    )
    revisions: list[Revision] = Field(default_factory=list)

    @model_validator(mode="after")
    def _dates_and_strike_block(self) -> Self:
        if self.date > self.reported:
            raise ContractError(N_("date {date} is after reported {reported}"), date=self.date, reported=self.reported)
        if self.category == "strike" and self.strike is None:
            raise ContractError(N_("a strike event needs a 'strike' block"))
        if self.category != "strike" and self.strike is not None:
            raise ContractError(N_("only events of category 'strike' may have a 'strike' block"))
        if self.strike is not None and self.strike.announced_on < self.date:
            raise ContractError(
                N_("strike.announced_on {announced} is before date {date}"),
                announced=self.strike.announced_on,
                date=self.date,
            )
        return self


class Stance(Record):
    id: Slug
    actor: Slug
    issue: Slug
    date: dt.date
    position: Position
    evidence: Text
    reported: dt.date = Field(description="When the stance first became public (usually its date).")
    sources: list[Slug] = Field(min_length=1)
    revisions: list[Revision] = Field(default_factory=list)

    @model_validator(mode="after")
    def _reported_after_date(self) -> Self:
        if self.date > self.reported:
            raise ContractError(N_("date {date} is after reported {reported}"), date=self.date, reported=self.reported)
        return self


class TrackerSnapshot(Record):
    """A running total another tracker published, kept to compare with ours."""

    id: Slug
    tracker: ShortText
    as_of: dt.date
    reported: dt.date = Field(description="When the tracker published this total.")
    strikes: Count | None = None
    vessels: Count | None = None
    killed: Count | None = None
    survivors: Count | None = None
    unit: Text
    sources: list[Slug] = Field(min_length=1)
    weak_sourcing: Text | None = Field(
        default=None, description="Why this total rests on tier-4 sources alone; shown to the analyst."
    )
    revisions: list[Revision] = Field(default_factory=list)

    @model_validator(mode="after")
    def _reported_after_as_of(self) -> Self:
        if self.as_of > self.reported:
            raise ContractError(
                N_("as_of {as_of} is after reported {reported}"), as_of=self.as_of, reported=self.reported
            )
        return self


class Gap(Record):
    """Something known to exist that the record cannot yet source in detail."""

    id: Slug
    description: Text
    sources: list[Slug] = Field(default_factory=list)


class ChangelogEntry(Record):
    id: Slug = Field(description="Stable id, e.g. 2026-11-29-source-audit; its translations are found by it.")
    date: dt.date
    change: Text


class DatasetInfo(Record):
    """`dataset.yaml`: what the record as a whole is, for the app's "data through" line and export provenance."""

    title: ShortText
    version: Annotated[str, Field(pattern=r"^\d{4}-\d{2}-\d{2}(\.\d+)?$", description="Release, e.g. 2026-11-29.")]
    coverage_end: dt.date = Field(description="Last date the stored reporting covers; after it the record is unknown.")
    coverage_note: Text = Field(
        description="Why the record ends there, shown wherever a date or counter could mislead."
    )


# --- Translations: one folder per language under records/translations/<lang>/, one file per record kind.
# Each entry names the record it translates by id; the English record stays the reference.


class RevisionText(Record):
    """A revision's words in another language: its note, and the old/new wording when the revised field is text."""

    note: Text
    old: Text | None = None
    new: Text | None = None


class EventText(Record):
    id: Slug
    title: ShortText
    summary: Text
    location: ShortText | None = None
    figure_note: Text | None = None
    revisions: list[RevisionText] = Field(
        default_factory=list, description="One per revision of the event, in the same order (none: shown in English)."
    )


class StanceText(Record):
    id: Slug
    evidence: Text


class GapText(Record):
    id: Slug
    description: Text


class TrackerText(Record):
    id: Slug
    unit: Text
    tracker: ShortText | None = Field(
        None, description="The tracker's name where it has words to translate, e.g. '(as reported by …)'."
    )


class ActorText(Record):
    id: Slug
    name: ShortText
    description: Text


class ChangelogText(Record):
    id: Slug
    change: Text


class IssueText(Record):
    id: Slug
    name: ShortText
    short_name: Annotated[str, Field(min_length=1, max_length=24)]
    description: Text


TRANSLATION_KINDS: dict[str, type[Record]] = {
    "events": EventText,
    "stances": StanceText,
    "gaps": GapText,
    "trackers": TrackerText,
    "actors": ActorText,
    "issues": IssueText,
    "changelog": ChangelogText,
}
# Languages the record may be translated into (English is the record itself). A third language adds its code here.
RECORD_LANGUAGES: tuple[str, ...] = ("es",)


RECORD_KINDS: dict[str, type[Record]] = {
    "actors": Actor,
    "issues": Issue,
    "sources": Source,
    "events": Event,
    "stances": Stance,
    "trackers": TrackerSnapshot,
    "gaps": Gap,
    "changelog": ChangelogEntry,
}
