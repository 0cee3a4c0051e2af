"""Load `data/records/` into validated records, collecting every problem.

Loading never stops at the first error and never drops a record silently: either the
whole dataset is valid and a `Dataset` comes back, or `DatasetError` lists every problem.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import ValidationError

from data.history import revision_problems
from data.schema import (
    RECORD_KINDS,
    RECORD_LANGUAGES,
    STRONG_TIERS,
    TRANSLATION_KINDS,
    Actor,
    ChangelogEntry,
    DatasetInfo,
    Event,
    Gap,
    Issue,
    Record,
    Source,
    Stance,
    TrackerSnapshot,
)
from data.validation import Problem, problems_from_validation_error, record_label

DEFAULT_DATA_DIR = Path(__file__).resolve().parent / "records"
DATA_SUFFIXES = (".yaml", ".yml", ".json")
MAX_FILE_BYTES = 64 * 1024 * 1024
# Kinds a dataset cannot do without; the rest may be absent (an empty list).
REQUIRED_KINDS = ("actors", "issues", "sources", "events")

R = TypeVar("R", bound=Record)


class DatasetError(Exception):
    """The dataset is not valid; `problems` says exactly where and why."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__(f"{len(self.problems)} problem(s) in the dataset")

    def lines(self) -> list[str]:
        return [str(problem) for problem in self.problems]


@dataclass(frozen=True)
class Located:
    """A raw record and where it came from."""

    kind: str
    file: str
    position: int
    raw: Any

    @property
    def label(self) -> str:
        return record_label(self.raw, self.position)


@dataclass(frozen=True)
class Dataset:
    """Every validated record, plus where each came from (for later messages)."""

    actors: tuple[Actor, ...]
    issues: tuple[Issue, ...]
    sources: tuple[Source, ...]
    events: tuple[Event, ...]
    stances: tuple[Stance, ...]
    trackers: tuple[TrackerSnapshot, ...]
    gaps: tuple[Gap, ...]
    changelog: tuple[ChangelogEntry, ...]
    files: tuple[str, ...] = field(default=())
    warnings: tuple[str, ...] = field(default=())
    info: DatasetInfo | None = None
    # language -> kind -> record id -> translated text (a TRANSLATION_KINDS model)
    translations: dict[str, dict[str, dict[str, Record]]] = field(default_factory=dict, compare=False, hash=False)

    @property
    def coverage_end(self) -> dt.date:
        """The last date the record covers: after it the record is unknown, not quiet."""
        if self.info is not None:
            return self.info.coverage_end
        dates = [e.reported for e in self.events] + [s.reported for s in self.stances]
        return max(dates, default=dt.date.today())

    @property
    def record_count(self) -> int:
        return sum(
            len(records)
            for records in (
                self.actors,
                self.issues,
                self.sources,
                self.events,
                self.stances,
                self.trackers,
                self.gaps,
                self.changelog,
            )
        )

    def source_by_id(self) -> dict[str, Source]:
        return {source.id: source for source in self.sources}


# Curated files are shallow (a list of records with small nested blocks); anything deeper is not ours.
MAX_NESTING = 20


class _UniqueKeyLoader(yaml.SafeLoader):
    """Safe YAML for curated files: no Python tags (SafeLoader), no aliases, no duplicate keys, shallow.

    Aliases are refused because "billion laughs" files expand them into huge structures; curated
    records never need them. A duplicate key would silently drop a value.
    """

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise yaml.composer.ComposerError(None, None, "aliases (*name) are not allowed", event.start_mark)
        depth = getattr(self, "_depth", 0)
        if depth > MAX_NESTING:
            raise yaml.composer.ComposerError(
                None,
                None,
                f"nested more than {MAX_NESTING} levels deep",
                self.peek_event().start_mark,  # type: ignore[no-untyped-call]
            )
        self._depth = depth + 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth = depth

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _value in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(None, None, f"duplicate key '{key}'", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _display(path: Path) -> str:
    """Paths relative to the working directory when inside it, so messages stay short."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _files_of_kind(root: Path, kind: str) -> list[Path]:
    """A kind lives in `<kind>.yaml` and/or in any data file under `<kind>/`."""
    files = [root / f"{kind}{suffix}" for suffix in DATA_SUFFIXES]
    found = [path for path in files if path.is_file()]
    folder = root / kind
    if folder.is_dir():
        found += sorted(p for p in folder.iterdir() if p.suffix in DATA_SUFFIXES and p.is_file())
    return found


def _parse_file(path: Path, shown: str) -> tuple[list[Any], list[Problem]]:
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        return [], [Problem(shown, "(file)", "", f"file is {size} bytes, over the limit")]
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        return [], [Problem(shown, "(file)", "", f"not UTF-8 text ({error.reason} at byte {error.start})")]
    try:
        # _UniqueKeyLoader is a SafeLoader subclass: no Python tags, no code.
        content = json.loads(text) if path.suffix == ".json" else yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506
    except RecursionError:
        return [], [Problem(shown, "(file)", "", "cannot be parsed: nested too deeply")]
    except (yaml.YAMLError, json.JSONDecodeError) as error:
        mark = getattr(error, "problem_mark", None)
        line = f" (line {mark.line + 1})" if mark is not None else ""
        reason = getattr(error, "problem", None) or str(error).splitlines()[0]
        return [], [Problem(shown, "(file)", "", f"cannot be parsed{line}: {reason}")]
    if content is None or content == []:
        # An emptied file would make its records vanish without a word.
        return [], [Problem(shown, "(file)", "", "file is empty: no records (delete the file if that is intended)")]
    if not isinstance(content, list):
        return [], [Problem(shown, "(file)", "", "must be a list of records (one '- ' item per record)")]
    return content, []


def _read_kind(root: Path, kind: str) -> tuple[list[Located], list[str], list[Problem]]:
    located: list[Located] = []
    files: list[str] = []
    problems: list[Problem] = []
    for path in _files_of_kind(root, kind):
        shown = _display(path)
        files.append(shown)
        items, file_problems = _parse_file(path, shown)
        problems += file_problems
        located += [Located(kind, shown, n, item) for n, item in enumerate(items, start=1)]
    return located, files, problems


def _validate(items: list[Located], model: type[R]) -> tuple[list[tuple[R, Located]], list[Problem]]:
    valid: list[tuple[R, Located]] = []
    problems: list[Problem] = []
    for item in items:
        if not isinstance(item.raw, dict):
            problems.append(Problem(item.file, item.label, "", "must be a mapping of field: value"))
            continue
        try:
            valid.append((model.model_validate(item.raw), item))
        except ValidationError as error:
            problems += problems_from_validation_error(error, file=item.file, record=item.label)
    return valid, problems


def _duplicate_ids(records: Iterable[tuple[Record, Located]]) -> Iterator[Problem]:
    first_seen: dict[str, Located] = {}
    for record, where in records:
        record_id = getattr(record, "id", None)
        if record_id is None:
            continue
        if record_id in first_seen:
            earlier = first_seen[record_id]
            yield Problem(
                where.file, where.label, "id", f"duplicate id, first used in {earlier.file} (item {earlier.position})"
            )
        else:
            first_seen[record_id] = where


def _missing_refs(
    where: Located, field_name: str, refs: Iterable[str], known: set[str], kind: str
) -> Iterator[Problem]:
    for n, ref in enumerate(refs):
        if ref not in known:
            suffix = f"[{n}]" if field_name in {"actors", "sources"} else ""
            yield Problem(where.file, where.label, f"{field_name}{suffix}", f"unknown {kind} id '{ref}'")


def _future_dates(record: Record, where: Located, today: dt.date) -> Iterator[Problem]:
    for name in ("date", "reported", "published", "as_of", "last_changed"):
        value = getattr(record, name, None)
        if isinstance(value, dt.date) and value > today:
            yield Problem(where.file, where.label, name, f"{value} is in the future (today is {today})")
    strike = getattr(record, "strike", None)
    if strike is not None and strike.announced_on > today:
        yield Problem(where.file, where.label, "strike.announced_on", f"{strike.announced_on} is in the future")


def load_dataset(root: Path | str = DEFAULT_DATA_DIR, *, today: dt.date | None = None) -> Dataset:
    """Read, validate and cross-check every record under `root`; raise `DatasetError` if any fails."""
    root = Path(root)
    today = today or dt.date.today()
    problems: list[Problem] = []
    if not root.is_dir():
        raise DatasetError([Problem(str(root), "(folder)", "", "data folder not found")])

    validated: dict[str, list[tuple[Any, Located]]] = {}
    all_files: list[str] = []
    for kind, model in RECORD_KINDS.items():
        items, files, read_problems = _read_kind(root, kind)
        all_files += files
        problems += read_problems
        if not files and kind in REQUIRED_KINDS:
            problems.append(
                Problem(str(root / kind), "(file)", "", f"no {kind} file found ({kind}.yaml or {kind}/*.yaml)")
            )
        records, record_problems = _validate(items, model)
        problems += record_problems
        validated[kind] = records

    for kind in RECORD_KINDS:
        problems += _duplicate_ids(validated[kind])

    ids = {kind: {getattr(r, "id", "") for r, _ in validated[kind]} for kind in RECORD_KINDS}
    used_sources: set[str] = set()
    for kind in ("events", "stances", "trackers", "gaps"):
        for record, where in validated[kind]:
            used_sources.update(record.sources)
            problems += _missing_refs(where, "sources", record.sources, ids["sources"], "source")
    for event, where in validated["events"]:
        problems += _missing_refs(where, "actors", event.actors, ids["actors"], "actor")
    for stance, where in validated["stances"]:
        problems += _missing_refs(where, "actor", [stance.actor], ids["actors"], "actor")
        problems += _missing_refs(where, "issue", [stance.issue], ids["issues"], "issue")
    for kind in RECORD_KINDS:
        for record, where in validated[kind]:
            problems += _future_dates(record, where, today)
    junk = junk_domains()
    for source, where in validated["sources"]:
        host = _host(source.url)
        if any(host == domain or host.endswith("." + domain) for domain in junk):
            problems.append(
                Problem(
                    where.file,
                    where.label,
                    "url",
                    f"'{host}' is on the list of sites never to cite "
                    f"({JUNK_DOMAINS_FILE.name}: test sites, ad-injected copies, scrapers)",
                )
            )
    for kind in ("events", "stances", "trackers"):
        for record, where in validated[kind]:
            problems += revision_problems(
                record, file=where.file, label=where.label, source_ids=ids["sources"], today=today
            )
            for revision in record.revisions:
                used_sources.update(revision.sources)

    info, info_files, info_problems = _read_info(root)
    all_files += info_files
    problems += info_problems
    translations, translation_files, translation_problems = _read_translations(root, ids)
    all_files += translation_files
    problems += translation_problems

    if problems:
        raise DatasetError(problems)

    warnings = _warnings(validated, used_sources) + _tier_warnings(validated) + _translation_warnings(translations, ids)
    return Dataset(
        actors=tuple(r for r, _ in validated["actors"]),
        issues=tuple(r for r, _ in validated["issues"]),
        sources=tuple(r for r, _ in validated["sources"]),
        events=tuple(sorted((r for r, _ in validated["events"]), key=lambda e: (e.date, e.id))),
        stances=tuple(sorted((r for r, _ in validated["stances"]), key=lambda s: (s.date, s.id))),
        trackers=tuple(sorted((r for r, _ in validated["trackers"]), key=lambda t: (t.as_of, t.id))),
        gaps=tuple(r for r, _ in validated["gaps"]),
        changelog=tuple(sorted((r for r, _ in validated["changelog"]), key=lambda c: c.date, reverse=True)),
        files=tuple(all_files),
        warnings=tuple(warnings),
        info=info,
        translations=translations,
    )


JUNK_DOMAINS_FILE = Path(__file__).resolve().parent / "junk-domains.txt"


def junk_domains() -> frozenset[str]:
    """Hosts never to cite (one per line in data/junk-domains.txt; # starts a comment)."""
    lines = JUNK_DOMAINS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.split("#")[0].strip().lower() for line in lines if line.split("#")[0].strip())


def _host(url: str) -> str:
    host = url.split("://", 1)[-1].split("/", 1)[0].split("?", 1)[0].lower()
    return host.removeprefix("www.")


INFO_FILE = "dataset.yaml"


def _read_info(root: Path) -> tuple[DatasetInfo | None, list[str], list[Problem]]:
    """`dataset.yaml` (optional): one mapping describing the whole record."""
    path = root / INFO_FILE
    if not path.is_file():
        return None, [], []
    shown = _display(path)
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        return None, [shown], [Problem(shown, "(file)", "", f"file is {size} bytes, over the limit")]
    try:
        content = yaml.load(path.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)  # noqa: S506
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        return None, [shown], [Problem(shown, "(file)", "", f"cannot be parsed: {str(error).splitlines()[0]}")]
    if not isinstance(content, dict):
        return None, [shown], [Problem(shown, "(file)", "", "must be a mapping of field: value")]
    try:
        return DatasetInfo.model_validate(content), [shown], []
    except ValidationError as error:
        return None, [shown], problems_from_validation_error(error, file=shown, record="(dataset)")


TRANSLATIONS_DIR = "translations"


def _read_translations(
    root: Path, ids: dict[str, set[str]]
) -> tuple[dict[str, dict[str, dict[str, Record]]], list[str], list[Problem]]:
    """`translations/<lang>/<kind>.yaml`: text of existing records in another language, by record id."""
    folder = root / TRANSLATIONS_DIR
    result: dict[str, dict[str, dict[str, Record]]] = {}
    files: list[str] = []
    problems: list[Problem] = []
    if not folder.is_dir():
        return result, files, problems
    for lang_dir in sorted(p for p in folder.iterdir() if p.is_dir()):
        if lang_dir.name not in RECORD_LANGUAGES:
            problems.append(
                Problem(
                    _display(lang_dir),
                    "(folder)",
                    "",
                    f"unknown language '{lang_dir.name}' (known: {', '.join(RECORD_LANGUAGES)})",
                )
            )
            continue
        by_kind: dict[str, dict[str, Record]] = {}
        # Like the records: `<kind>.yaml` and/or any data file under `<kind>/`.
        paths = [(p, p.stem) for p in lang_dir.iterdir() if p.is_file()]
        paths += [(p, d.name) for d in lang_dir.iterdir() if d.is_dir() for p in d.iterdir() if p.is_file()]
        for path, kind in sorted(paths):
            shown = _display(path)
            if path.suffix not in DATA_SUFFIXES or kind not in TRANSLATION_KINDS:
                problems.append(
                    Problem(
                        shown,
                        "(file)",
                        "",
                        "not a translation file (expected <kind>.yaml or <kind>/*.yaml, kind one of "
                        f"{', '.join(TRANSLATION_KINDS)})",
                    )
                )
                continue
            files.append(shown)
            items, file_problems = _parse_file(path, shown)
            problems += file_problems
            located = [Located(kind, shown, n, item) for n, item in enumerate(items, start=1)]
            valid, record_problems = _validate(located, TRANSLATION_KINDS[kind])
            problems += record_problems
            problems += _duplicate_ids(valid)
            texts = by_kind.setdefault(kind, {})
            for text, where in valid:
                record_id = getattr(text, "id", "")
                if record_id not in ids[kind]:
                    problems.append(Problem(shown, where.label, "id", f"translates unknown {kind} id '{record_id}'"))
                texts[record_id] = text
        result[lang_dir.name] = by_kind
    return result, files, problems


def _translation_warnings(translations: dict[str, dict[str, dict[str, Record]]], ids: dict[str, set[str]]) -> list[str]:
    """Records without text in a language: shown in English (marked) until a translator catches up."""
    notes = []
    for lang in RECORD_LANGUAGES:
        for kind in TRANSLATION_KINDS:
            missing = sorted(ids[kind] - set(translations.get(lang, {}).get(kind, {})))
            if missing:
                shown = ", ".join(missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
                notes.append(f"translations/{lang}/{kind}.yaml: {len(missing)} {kind} without '{lang}' text: {shown}")
    return notes


def _tier_warnings(validated: dict[str, list[tuple[Any, Located]]]) -> list[str]:
    """A figure resting on tier-4 sources alone must say why (`weak_sourcing`), or it is flagged here."""
    tiers = {source.id: source.tier for source, _ in validated["sources"]}
    notes = []
    for kind in ("events", "trackers"):
        for record, where in validated[kind]:
            has_figure = record.strike is not None if kind == "events" else True
            if not has_figure:
                continue
            best = min((tiers.get(s, 4) for s in record.sources), default=4)
            if best == 4 and not record.weak_sourcing:
                notes.append(
                    f"{where.file}: record {where.label}, field 'sources': its figures rest on tier-4 sources only "
                    "(add a stronger source, or say why in 'weak_sourcing')"
                )
    return notes


def strong_source_count(source_ids: Iterable[str], tiers: dict[str, int]) -> int:
    """How many of a record's sources are tier 1-2."""
    return sum(1 for s in source_ids if tiers.get(s) in STRONG_TIERS)


def _warnings(validated: dict[str, list[tuple[Any, Located]]], used_sources: set[str]) -> list[str]:
    """Things worth a curator's look that do not make the data wrong."""
    notes = []
    for source, where in validated["sources"]:
        if source.id not in used_sources:
            notes.append(f"{where.file}: record {where.label}: source is not cited by any record")
    seen_urls: dict[str, str] = {}
    for source, where in validated["sources"]:
        if source.url in seen_urls:
            notes.append(f"{where.file}: record {where.label}: same URL as source '{seen_urls[source.url]}'")
        seen_urls.setdefault(source.url, source.id)
    return notes
