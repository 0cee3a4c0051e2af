"""Storylines: ordered, human-editable lists of saved views ("steps") to step through in a meeting.

A step is a view exactly as the URL holds it — a page plus its filters and page keys — with a short headline and
an optional speaker note. Storylines are YAML files validated by strict models; every problem names the file, the
step and the field, through the same helper as the dataset's files (`data.validation`). Never imports streamlit.

```yaml
id: briefing
title: The crisis in eight views
steps:
  - headline: The campaign so far
    note: Optional speaker note.
    page: overview
    view: {category: [strike], theater: [eastern_pacific], from: 2026-01-01}
```
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from data.schema import RECORD_LANGUAGES, Category, Theater
from data.validation import N_, ContractError, Problem, problems_from_validation_error

STORYLINES_DIR = Path(__file__).resolve().parent / "storylines"
MAX_STEPS = 40

# The app's pages (their URL paths) and the URL keys each owns besides the shared filters. The dashboard's entry
# point checks that its navigation matches this table (tests/app/test_presenter.py).
PageId = Literal["overview", "timeline", "casualties", "stances", "map", "changes", "sources"]
PAGES: tuple[str, ...] = get_args(PageId)
PAGE_KEYS: dict[str, tuple[str, ...]] = {
    "overview": (),
    "timeline": ("lane", "event"),
    "casualties": (),
    "stances": ("asof", "cell"),
    "map": ("color",),
    "changes": ("since", "until"),
    "sources": (),
}
FILTER_KEYS = ("from", "to", "category", "theater", "actor", "q", "known", "strong")
STORY_ID_PATTERN = r"^[a-z0-9][a-z0-9-]{0,59}$"


def _iso_date(value: Any) -> Any:
    """Dates as ISO text (`2026-01-05`) or YAML dates; numbers and other spellings are errors, not guesses."""
    if isinstance(value, dt.datetime):
        raise ContractError(N_("expected a date (YYYY-MM-DD), not a date and time"))
    if isinstance(value, dt.date) or value is None:
        return value
    if isinstance(value, str):
        text = value.strip()
        if len(text) == 10:
            try:
                return dt.date.fromisoformat(text)
            except ValueError:
                pass
        raise ContractError(N_("expected a date (YYYY-MM-DD), got {value}"), value=repr(value[:40]))
    raise ContractError(N_("expected a date (YYYY-MM-DD), got {value}"), value=type(value).__name__)


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]


def _text_language(value: str) -> str:
    if value not in RECORD_LANGUAGES:
        raise ContractError(
            N_("unknown language {value} (a storyline may be translated into {known})"),
            value=repr(value),
            known=", ".join(RECORD_LANGUAGES),
        )
    return value


TextLanguage = Annotated[str, AfterValidator(_text_language)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=False)


class View(_Strict):
    """Exactly what the URL holds besides the page: the shared filters and the page's own keys (URL names)."""

    start: IsoDate | None = Field(None, alias="from", description="Filter: first day shown.")
    end: IsoDate | None = Field(None, alias="to", description="Filter: last day shown.")
    category: tuple[Category, ...] = Field((), description="Filter: event categories (ids).")
    theater: tuple[Theater, ...] = Field((), description="Filter: theaters (ids).")
    actor: tuple[str, ...] = Field((), description="Filter: actor ids from actors.yaml.")
    q: str = Field("", max_length=200, description="Filter: free text in titles and summaries.")
    known: IsoDate | None = Field(None, description="Filter: the record as known on this date.")
    strong: bool = Field(False, description="Filter: only records backed by tier 1-2 sources.")
    lane: Literal["category", "theater"] | None = Field(None, description="Timeline: lanes by category or theater.")
    event: str | None = Field(None, description="Timeline: the event whose detail is open (its id).")
    asof: IsoDate | None = Field(None, description="Stances: the matrix as of this date.")
    cell: str | None = Field(None, description="Stances: the open cell, 'actor-id:issue-id'.")
    color: Literal["theater", "category"] | None = Field(None, description="Map: colour by theater or category.")
    since: IsoDate | None = Field(None, description="What changed: after this date.")
    until: IsoDate | None = Field(None, description="What changed: up to and including this date.")

    @field_validator("actor")
    @classmethod
    def _known_actors(cls, actors: tuple[str, ...], info: ValidationInfo) -> tuple[str, ...]:
        known = (info.context or {}).get("actors")
        if known is not None:
            unknown = [a for a in actors if a not in known]
            if unknown:
                ids = ", ".join(map(repr, unknown[:5]))
                raise ContractError(N_("unknown actor id(s) {ids} (see actors.yaml)"), ids=ids)
        return actors

    @field_validator("event")
    @classmethod
    def _known_event(cls, event: str | None, info: ValidationInfo) -> str | None:
        known = (info.context or {}).get("events")
        if event is not None and known is not None and event not in known:
            raise ContractError(N_("unknown event id {id}"), id=repr(event[:80]))
        return event

    @field_validator("cell")
    @classmethod
    def _known_cell(cls, cell: str | None, info: ValidationInfo) -> str | None:
        if cell is None:
            return None
        actor, _, issue = cell.partition(":")
        if not actor or not issue:
            raise ContractError(N_("expected 'actor-id:issue-id'"))
        context = info.context or {}
        if context.get("actors") is not None and actor not in context["actors"]:
            raise ContractError(N_("unknown actor id {id}"), id=repr(actor[:60]))
        if context.get("issues") is not None and issue not in context["issues"]:
            raise ContractError(N_("unknown issue id {id}"), id=repr(issue[:60]))
        return cell

    @model_validator(mode="after")
    def _ranges(self) -> View:
        if self.start and self.end and self.start > self.end:
            raise ContractError(N_("'from' is after 'to'"))
        if self.since and self.until and self.since > self.until:
            raise ContractError(N_("'since' is after 'until'"))
        return self

    def query(self) -> dict[str, str | list[str]]:
        """The URL form: ids and ISO dates, defaults left out (the same form as the app's own links)."""
        values: dict[str, str | list[str]] = {}
        for name, info in type(self).model_fields.items():
            key = info.alias or name
            value = getattr(self, name)
            if value is None or value == "" or value == () or value is False:
                continue
            if isinstance(value, tuple):
                values[key] = list(value)
            elif isinstance(value, bool):
                values[key] = "1"
            elif isinstance(value, dt.date):
                values[key] = value.isoformat()
            else:
                values[key] = str(value)
        return values


class Step(_Strict):
    """One slide: a headline, an optional speaker note, and the view to show."""

    headline: str = Field(min_length=1, max_length=120, description="Shown above the view, e.g. 'The campaign'.")
    note: str = Field("", max_length=2000, description="Speaker note, shown to the presenter.")
    page: PageId = Field(description="The page (its URL path).")
    view: View = Field(default_factory=View, description="Filters and page keys, as in the URL.")

    @field_validator("view")
    @classmethod
    def _keys_belong_to_page(cls, view: View, info: ValidationInfo) -> View:
        page = info.data.get("page")
        if page not in PAGE_KEYS:
            return view  # the page's own error says why
        own = set(PAGE_KEYS[page])
        foreign = [
            key
            for key in ("lane", "event", "asof", "cell", "color", "since", "until")
            if getattr(view, key) is not None and key not in own
        ]
        if foreign:
            keys = ", ".join(foreign)
            if PAGE_KEYS[page]:
                raise ContractError(
                    N_("key(s) {keys} belong to another page than {page} ({page} takes {own})"),
                    keys=keys,
                    page=repr(page),
                    own=", ".join(PAGE_KEYS[page]),
                )
            raise ContractError(
                N_("key(s) {keys} belong to another page than {page} ({page} takes only the shared filters)"),
                keys=keys,
                page=repr(page),
            )
        return view

    def query(self) -> dict[str, str | list[str]]:
        return self.view.query()


class StepText(_Strict):
    """A step's words in another language (the view is the step's own)."""

    headline: str = Field(min_length=1, max_length=120)
    note: str = Field("", max_length=2000)


class StorylineText(_Strict):
    """A storyline's words in another language: title, description and one entry per step, in step order."""

    title: str = Field(min_length=1, max_length=120)
    description: str = Field("", max_length=2000)
    steps: tuple[StepText, ...] = Field(min_length=1, max_length=MAX_STEPS)


class _Header(_Strict):
    id: str = Field(pattern=STORY_ID_PATTERN, description="Stable id used in the URL (story=<id>).")
    title: str = Field(min_length=1, max_length=120)
    description: str = Field("", max_length=2000)
    steps: list[dict[str, Any]] = Field(min_length=1, max_length=MAX_STEPS)
    translations: dict[TextLanguage, StorylineText] = Field(
        default_factory=dict, description="The storyline's words in other languages, e.g. es: {title, steps}."
    )

    @field_validator("translations")
    @classmethod
    def _one_text_per_step(
        cls, translations: dict[str, StorylineText], info: ValidationInfo
    ) -> dict[str, StorylineText]:
        steps = info.data.get("steps")
        for language, text in translations.items():
            if steps is not None and len(text.steps) != len(steps):
                raise ContractError(
                    N_("{lang} gives {found} step text(s) for {expected} step(s), one per step in order"),
                    lang=language,
                    found=len(text.steps),
                    expected=len(steps),
                )
        return translations


class Storyline(_Strict):
    id: str = Field(pattern=STORY_ID_PATTERN)
    title: str
    description: str = ""
    steps: tuple[Step, ...]
    translations: dict[str, StorylineText] = Field(default_factory=dict)

    def in_language(self, lang: str) -> Storyline:
        """This storyline with its words in `lang` where the file gives them (its own words otherwise)."""
        text = self.translations.get(lang)
        if text is None:
            return self
        steps = tuple(
            step.model_copy(update={"headline": words.headline, "note": words.note})
            for step, words in zip(self.steps, text.steps, strict=True)
        )
        return self.model_copy(update={"title": text.title, "description": text.description, "steps": steps})

    def to_yaml(self) -> str:
        """Diff-friendly YAML that `parse_storyline` reads back unchanged."""
        data = {
            "id": self.id,
            "title": self.title,
            **({"description": self.description} if self.description else {}),
            "steps": [
                {
                    "headline": step.headline,
                    **({"note": step.note} if step.note else {}),
                    "page": step.page,
                    **({"view": step.query()} if step.query() else {}),
                }
                for step in self.steps
            ],
            **(
                {
                    "translations": {
                        lang: text.model_dump(exclude_defaults=True) for lang, text in self.translations.items()
                    }
                }
                if self.translations
                else {}
            ),
        }
        return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=110)


@dataclass(frozen=True)
class Known:
    """The ids a storyline's views may use (from the loaded dataset); None skips that check."""

    actors: frozenset[str] | None = None
    events: frozenset[str] | None = None
    issues: frozenset[str] | None = None

    def context(self) -> dict[str, Any]:
        return {"actors": self.actors, "events": self.events, "issues": self.issues}


@dataclass(frozen=True)
class StorylineResult:
    storyline: Storyline | None = None
    problems: tuple[Problem, ...] = field(default_factory=tuple)


def _step_label(raw: Any, position: int) -> str:
    if isinstance(raw, dict) and isinstance(raw.get("headline"), str) and raw["headline"].strip():
        return f"step {position} ({raw['headline'].strip()[:60]!r})"
    return f"step {position}"


class _Loader(yaml.SafeLoader):
    """Safe YAML without implicit timestamps: dates stay text, so a bad date is our message, not a crash."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def parse_storyline(text: str, *, file: str, known: Known | None = None) -> StorylineResult:
    """Validate one storyline's YAML text; on any problem, no storyline (a half-valid briefing misleads)."""
    known = known or Known()
    try:
        raw = yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        if mark is None:
            return StorylineResult(problems=(Problem.of(file, "storyline", "", N_("not valid YAML")),))
        message = N_("not valid YAML (line {line})")
        return StorylineResult(problems=(Problem.of(file, "storyline", "", message, line=mark.line + 1),))
    if not isinstance(raw, dict):
        message = N_("expected a mapping with id, title, steps")
        return StorylineResult(problems=(Problem.of(file, "storyline", "", message),))
    label = f"storyline {raw['id']!r}" if isinstance(raw.get("id"), str) else "storyline"
    try:
        header = _Header.model_validate(raw)
    except ValidationError as error:
        return StorylineResult(problems=tuple(problems_from_validation_error(error, file=file, record=label)))
    steps: list[Step] = []
    problems: list[Problem] = []
    for position, raw_step in enumerate(header.steps, start=1):
        try:
            steps.append(Step.model_validate(raw_step, context=known.context()))
        except ValidationError as error:
            problems.extend(problems_from_validation_error(error, file=file, record=_step_label(raw_step, position)))
    if problems:
        return StorylineResult(problems=tuple(problems))
    story = Storyline(
        id=header.id,
        title=header.title,
        description=header.description,
        steps=tuple(steps),
        translations=dict(header.translations),
    )
    return StorylineResult(storyline=story)


def load_storylines(
    root: Path = STORYLINES_DIR, *, known: Known | None = None
) -> tuple[dict[str, Storyline], tuple[Problem, ...]]:
    """Every `*.yaml` storyline in `root`, by id, and the problems of the files that failed (never half a file)."""
    stories: dict[str, Storyline] = {}
    problems: list[Problem] = []
    for path in sorted(root.glob("*.yaml")) if root.is_dir() else ():
        name = path.name
        result = parse_storyline(path.read_text(encoding="utf-8"), file=name, known=known)
        problems.extend(result.problems)
        story = result.storyline
        if story is None:
            continue
        if story.id in stories:
            message = N_("another storyline file has this id")
            problems.append(Problem.of(name, f"storyline {story.id!r}", "id", message))
            continue
        stories[story.id] = story
    return stories, tuple(problems)


def step_from_query(
    page: str, query: dict[str, list[str]], *, headline: str, note: str = "", known: Known | None = None
) -> Step:
    """A step from the current URL (page + its values): the app's "add this view as a step"."""
    view: dict[str, Any] = {}
    for key, values in query.items():
        if key in ("category", "theater", "actor"):
            view[key] = [v for part in values for v in part.split(",") if v]
        elif key == "strong":
            view[key] = values[:1] == ["1"]
        elif key in FILTER_KEYS or key in PAGE_KEYS.get(page, ()):
            view[key] = values[0] if values else None
    return Step.model_validate(
        {"headline": headline, "note": note, "page": page, "view": view}, context=(known or Known()).context()
    )


def with_steps(story: Storyline, steps: Iterable[Step]) -> Storyline:
    return story.model_copy(update={"steps": tuple(steps)})


def known_from(actors: Collection[str], events: Collection[str], issues: Collection[str]) -> Known:
    return Known(actors=frozenset(actors), events=frozenset(events), issues=frozenset(issues))
