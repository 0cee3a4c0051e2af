"""Load `data/records/` into validated records, collecting every problem.

Loading never stops at the first error and never drops a record silently: either the
whole dataset is valid and a `Dataset` comes back, or `DatasetError` lists every problem.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import ValidationError

from data.history import revision_problems
from data.manifest import MANIFEST_FILE, FileFacts, check_manifest, rewrite_command
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
from data.validation import N_, Message, Problem, problems_from_validation_error, record_label

DEFAULT_DATA_DIR = Path(__file__).resolve().parent / "records"
DATA_SUFFIXES = (".yaml", ".yml", ".json")
# Files are refused before parsing above these sizes. The largest curated YAML file is ~52 KB (Spanish text is in
# separate files); 2 MiB leaves ~40x headroom while a hostile 50 MB file is refused at once instead of costing a
# minute and 1.5 GB. JSON parses ~100x faster than YAML: the benchmark's 100,000-event file is ~53 MB.
MAX_YAML_BYTES = 2 * 1024 * 1024
MAX_JSON_BYTES = 128 * 1024 * 1024
# Kinds a dataset cannot do without; the rest may be absent (an empty list).
REQUIRED_KINDS = ("actors", "issues", "sources", "events")

R = TypeVar("R", bound=Record)
MAPPING_EXPECTED = N_("must be a mapping of field: value")
IN_THE_FUTURE = N_("{value} is in the future (today is {today})")


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
    warnings: tuple[str, ...] = field(default=())  # in English, as `crisis-monitor validate --warnings` prints them
    # The same warnings as templates and values, for the app to show in the reader's language (data.i18n).
    warning_messages: tuple[Message, ...] = field(default=(), compare=False, hash=False)
    info: DatasetInfo | None = None
    # language -> kind -> record id -> translated text (a TRANSLATION_KINDS model)
    translations: dict[str, dict[str, dict[str, Record]]] = field(default_factory=dict, compare=False, hash=False)
    # What the loader saw in each file (size, SHA-256, record count): what `crisis-monitor manifest` writes.
    file_facts: tuple[FileFacts, ...] = field(default=(), compare=False, hash=False)

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
ALIAS_MESSAGE = "aliases (*name) are not allowed"
NESTING_MESSAGE = f"nested more than {MAX_NESTING} levels deep"


class _NoDuplicateKeys(yaml.constructor.SafeConstructor):
    """A duplicate key would silently drop a value: refuse it."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _value in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(None, None, f"duplicate key '{key}'", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


class _UniqueKeyLoader(_NoDuplicateKeys, yaml.SafeLoader):
    """Safe YAML for curated files: no Python tags (SafeLoader), no aliases, no duplicate keys, shallow.

    Aliases are refused because "billion laughs" files expand them into huge structures; curated
    records never need them. A duplicate key would silently drop a value. Pure Python (slow): used
    only where PyYAML was built without libyaml (see `_FastUniqueKeyLoader`).
    """

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise yaml.composer.ComposerError(None, None, ALIAS_MESSAGE, event.start_mark)
        depth = getattr(self, "_depth", 0)
        if depth > MAX_NESTING:
            raise yaml.composer.ComposerError(
                None,
                None,
                NESTING_MESSAGE,
                self.peek_event().start_mark,  # type: ignore[no-untyped-call]
            )
        self._depth = depth + 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth = depth


def _check_node_tree(root: yaml.Node) -> None:
    """The same rules as `_UniqueKeyLoader.compose_node`, on a tree libyaml composed (before anything is built).

    An alias makes libyaml reuse the anchored node, so a node met twice is an alias; libyaml itself refuses
    nesting beyond 1,000 levels, so composing cannot exhaust the stack before this check runs.
    """
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, int]] = [(root, 0)]
    while stack:
        node, depth = stack.pop()
        if id(node) in seen:
            raise yaml.composer.ComposerError(None, None, ALIAS_MESSAGE, node.start_mark)
        seen.add(id(node))
        if depth > MAX_NESTING:
            raise yaml.composer.ComposerError(None, None, NESTING_MESSAGE, node.start_mark)
        if isinstance(node, yaml.SequenceNode):
            stack += [(child, depth + 1) for child in node.value]
        elif isinstance(node, yaml.MappingNode):
            stack += [(part, depth + 1) for pair in node.value for part in pair]


_CParser: Any = getattr(getattr(yaml, "cyaml", None), "CParser", None)

if _CParser is not None:

    class _FastUniqueKeyLoader(_CParser, _NoDuplicateKeys, yaml.resolver.Resolver):  # type: ignore[misc]
        """libyaml's C parser and composer (~10x faster) with every rule of `_UniqueKeyLoader` kept."""

        def __init__(self, stream: str) -> None:
            _CParser.__init__(self, stream)
            _NoDuplicateKeys.__init__(self)
            yaml.resolver.Resolver.__init__(self)

        def get_single_node(self) -> yaml.Node | None:
            node: yaml.Node | None = _CParser.get_single_node(self)
            if node is not None:
                _check_node_tree(node)
            return node

    YAML_LOADER: type = _FastUniqueKeyLoader
else:  # pragma: no cover - PyYAML without libyaml
    YAML_LOADER = _UniqueKeyLoader


def parse_yaml(text: str, loader: type | None = None) -> Any:
    """Parse curated YAML: no tags beyond the safe ones, no aliases, no duplicate keys, at most 20 levels deep."""
    try:
        return yaml.load(text, Loader=loader or YAML_LOADER)  # noqa: S506 - both loaders are SafeConstructor-based
    except yaml.YAMLError as error:
        # libyaml's own depth limit (1,000 levels) says "exceeded maximum nesting depth": same rule, same words.
        if "maximum nesting depth" in str(getattr(error, "problem", "")):
            raise yaml.composer.ComposerError(
                None, None, NESTING_MESSAGE, getattr(error, "problem_mark", None)
            ) from None
        raise


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


def size_limit(path: Path) -> tuple[int, str]:
    """The largest file accepted (bytes) and what kind of file that limit is for."""
    return (MAX_JSON_BYTES, "JSON") if path.suffix == ".json" else (MAX_YAML_BYTES, "YAML")


def _read_content(path: Path, shown: str, facts: list[FileFacts]) -> tuple[Any, list[Problem]]:
    """Size check (before reading), bytes, SHA-256, UTF-8 and the parse; the file's facts are appended to `facts`.

    Returns the parsed content, or the problems (content None) when the file cannot be read.
    """
    size = path.stat().st_size
    limit, kind = size_limit(path)
    if size > limit:
        facts.append(FileFacts(path, size, "", None))
        template = N_("file is {size:,} bytes, over the limit of {limit:,} bytes for {kind} files; refused unread")
        return None, [Problem.of(shown, "(file)", "", template, size=size, limit=limit, kind=kind)]
    raw = path.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        facts.append(FileFacts(path, size, digest, None))
        template = N_("not UTF-8 text ({reason} at byte {start})")
        return None, [Problem.of(shown, "(file)", "", template, reason=error.reason, start=error.start)]
    try:
        content = json.loads(text) if path.suffix == ".json" else parse_yaml(text)
    except RecursionError:
        problem = Problem.of(shown, "(file)", "", N_("cannot be parsed: nested too deeply"))
    except (yaml.YAMLError, json.JSONDecodeError) as error:
        mark = getattr(error, "problem_mark", None)
        reason = getattr(error, "problem", None) or str(error).splitlines()[0]
        if mark is not None:
            problem = Problem.of(
                shown, "(file)", "", N_("cannot be parsed (line {line}): {reason}"), line=mark.line + 1, reason=reason
            )
        else:
            problem = Problem.of(shown, "(file)", "", N_("cannot be parsed: {reason}"), reason=reason)
    else:
        records = len(content) if isinstance(content, list) else 1 if isinstance(content, dict) else 0
        facts.append(FileFacts(path, size, digest, records))
        return content, []
    facts.append(FileFacts(path, size, digest, None))
    return None, [problem]


def _parse_file(path: Path, shown: str, facts: list[FileFacts]) -> tuple[list[Any], list[Problem]]:
    content, problems = _read_content(path, shown, facts)
    if problems:
        return [], problems
    if content is None or content == []:
        # An emptied file would make its records vanish without a word.
        message = N_("file is empty: no records (delete the file if that is intended)")
        return [], [Problem.of(shown, "(file)", "", message)]
    if not isinstance(content, list):
        return [], [Problem.of(shown, "(file)", "", N_("must be a list of records (one '- ' item per record)"))]
    return content, []


def _read_kind(root: Path, kind: str, facts: list[FileFacts]) -> tuple[list[Located], list[str], list[Problem]]:
    located: list[Located] = []
    files: list[str] = []
    problems: list[Problem] = []
    for path in _files_of_kind(root, kind):
        shown = _display(path)
        files.append(shown)
        items, file_problems = _parse_file(path, shown, facts)
        problems += file_problems
        located += [Located(kind, shown, n, item) for n, item in enumerate(items, start=1)]
    return located, files, problems


def _validate(items: list[Located], model: type[R]) -> tuple[list[tuple[R, Located]], list[Problem]]:
    valid: list[tuple[R, Located]] = []
    problems: list[Problem] = []
    for item in items:
        if not isinstance(item.raw, dict):
            problems.append(Problem.of(item.file, item.label, "", MAPPING_EXPECTED))
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
            yield Problem.of(
                where.file,
                where.label,
                "id",
                N_("duplicate id, first used in {file} (item {position})"),
                file=earlier.file,
                position=earlier.position,
            )
        else:
            first_seen[record_id] = where


UNKNOWN_ID = {
    "source": N_("unknown source id '{ref}'"),
    "actor": N_("unknown actor id '{ref}'"),
    "issue": N_("unknown issue id '{ref}'"),
}


def _missing_refs(
    where: Located, field_name: str, refs: Iterable[str], known: set[str], kind: str
) -> Iterator[Problem]:
    for n, ref in enumerate(refs):
        if ref not in known:
            suffix = f"[{n}]" if field_name in {"actors", "sources"} else ""
            yield Problem.of(where.file, where.label, f"{field_name}{suffix}", UNKNOWN_ID[kind], ref=ref)


_DATE_FIELDS = ("date", "reported", "published", "as_of", "last_changed")


@functools.cache
def _date_fields(model: type[Record]) -> tuple[str, ...]:
    """The date fields a model has (getattr on a missing field takes pydantic's slow path: ~1 s at 100,000)."""
    return tuple(name for name in _DATE_FIELDS if name in model.model_fields)


def _future_dates(record: Record, where: Located, today: dt.date) -> Iterator[Problem]:
    for name in _date_fields(type(record)):
        value = getattr(record, name)
        if isinstance(value, dt.date) and value > today:
            yield Problem.of(where.file, where.label, name, IN_THE_FUTURE, value=value, today=today)
    strike = getattr(record, "strike", None) if "strike" in type(record).model_fields else None
    if strike is not None and strike.announced_on > today:
        message = N_("{value} is in the future")
        yield Problem.of(where.file, where.label, "strike.announced_on", message, value=strike.announced_on)


def load_dataset(
    root: Path | str = DEFAULT_DATA_DIR, *, today: dt.date | None = None, check_manifest_file: bool = True
) -> Dataset:
    """Read, validate and cross-check every record under `root`; raise `DatasetError` if any fails.

    With `check_manifest_file` (the default) the files are also compared with `datapackage.json` (data.manifest);
    `crisis-monitor manifest` loads without it, to rewrite the manifest.
    """
    root = Path(root)
    today = today or dt.date.today()
    problems: list[Problem] = []
    if not root.is_dir():
        raise DatasetError([Problem.of(str(root), "(folder)", "", N_("data folder not found"))])

    validated: dict[str, list[tuple[Any, Located]]] = {}
    all_files: list[str] = []
    facts: list[FileFacts] = []
    # Kinds with a missing, empty or unreadable file: references to them would all look dangling, so the file's own
    # problem is reported instead of one "unknown id" per reference.
    unreliable: set[str] = set()
    # Every id a file holds, valid record or not: a translation of a record that failed validation is not "unknown".
    written_ids: dict[str, set[str]] = {}
    for kind, model in RECORD_KINDS.items():
        items, files, read_problems = _read_kind(root, kind, facts)
        written_ids[kind] = {str(item.raw["id"]) for item in items if isinstance(item.raw, dict) and "id" in item.raw}
        all_files += files
        problems += read_problems
        if read_problems or not files:
            unreliable.add(kind)
        if not files and kind in REQUIRED_KINDS:
            problems.append(
                Problem.of(
                    str(root / kind), "(file)", "", N_("no {kind} file found ({kind}.yaml or {kind}/*.yaml)"), kind=kind
                )
            )
        records, record_problems = _validate(items, model)
        problems += record_problems
        validated[kind] = records

    for kind in RECORD_KINDS:
        problems += _duplicate_ids(validated[kind])

    ids = {kind: {getattr(r, "id", "") for r, _ in validated[kind]} for kind in RECORD_KINDS}
    checked = set(RECORD_KINDS) - unreliable
    used_sources: set[str] = set()
    for kind in ("events", "stances", "trackers", "gaps"):
        for record, where in validated[kind]:
            used_sources.update(record.sources)
            if "sources" in checked:
                problems += _missing_refs(where, "sources", record.sources, ids["sources"], "source")
    for event, where in validated["events"]:
        if "actors" in checked:
            problems += _missing_refs(where, "actors", event.actors, ids["actors"], "actor")
    for stance, where in validated["stances"]:
        if "actors" in checked:
            problems += _missing_refs(where, "actor", [stance.actor], ids["actors"], "actor")
        if "issues" in checked:
            problems += _missing_refs(where, "issue", [stance.issue], ids["issues"], "issue")
    for kind in RECORD_KINDS:
        for record, where in validated[kind]:
            problems += _future_dates(record, where, today)
    junk = junk_domains()
    for source, where in validated["sources"]:
        host = _host(source.url)
        if any(host == domain or host.endswith("." + domain) for domain in junk):
            problems.append(
                Problem.of(
                    where.file,
                    where.label,
                    "url",
                    N_(
                        "'{host}' is on the list of sites never to cite "
                        "({file}: test sites, ad-injected copies, scrapers)"
                    ),
                    host=host,
                    file=JUNK_DOMAINS_FILE.name,
                )
            )
    for kind in ("events", "stances", "trackers"):
        for record, where in validated[kind]:
            problems += revision_problems(
                record,
                file=where.file,
                label=where.label,
                # an unreadable sources file would make every revision's sources look unknown
                source_ids=ids["sources"] if "sources" in checked else {s for r in record.revisions for s in r.sources},
                today=today,
            )
            for revision in record.revisions:
                used_sources.update(revision.sources)

    info, info_files, info_problems = _read_info(root, facts)
    all_files += info_files
    problems += info_problems
    revised = {record.id: [r.field for r in record.revisions] for record, _ in validated["events"]}
    translations, translation_files, translation_problems = _read_translations(
        root, written_ids, facts, checked, revised
    )
    all_files += translation_files
    problems += translation_problems
    problems += _unread_files(root, facts)
    manifest_warnings: list[Message] = []
    if check_manifest_file:
        manifest_problems, manifest_warnings = check_manifest(
            root, facts, command=rewrite_command(root, DEFAULT_DATA_DIR), display=_display
        )
        problems += manifest_problems

    if problems:
        raise DatasetError(problems)

    warnings = _warnings(validated, used_sources) + _tier_warnings(validated) + _translation_warnings(translations, ids)
    warnings += manifest_warnings
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
        warnings=tuple(str(warning) for warning in warnings),
        warning_messages=tuple(warnings),
        info=info,
        translations=translations,
        file_facts=tuple(facts),
    )


def _unread_files(root: Path, facts: list[FileFacts]) -> list[Problem]:
    """A data file the loader does not read (a typo in a folder name, a file one level too deep) would hide its
    records without a word: name it. Translation folders report their own stray files."""
    read = {fact.path for fact in facts}
    skip = {root / MANIFEST_FILE}
    problems = []
    for path in sorted(root.rglob("*")):
        if path.suffix not in DATA_SUFFIXES or not path.is_file() or path in read or path in skip:
            continue
        if TRANSLATIONS_DIR in path.relative_to(root).parts[:1]:
            continue
        problems.append(
            Problem.of(
                _display(path),
                "(file)",
                "",
                N_(
                    "not read: data files go in <kind>.yaml or <kind>/*.yaml, kind one of {kinds} "
                    "(or {info}, {folder}/<lang>/)"
                ),
                kinds=", ".join(RECORD_KINDS),
                info=INFO_FILE,
                folder=TRANSLATIONS_DIR,
            )
        )
    return problems


JUNK_DOMAINS_FILE = Path(__file__).resolve().parent / "junk-domains.txt"


def junk_domains() -> frozenset[str]:
    """Hosts never to cite (one per line in data/junk-domains.txt; # starts a comment)."""
    lines = JUNK_DOMAINS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.split("#")[0].strip().lower() for line in lines if line.split("#")[0].strip())


def _host(url: str) -> str:
    host = url.split("://", 1)[-1].split("/", 1)[0].split("?", 1)[0].lower()
    return host.removeprefix("www.")


INFO_FILE = "dataset.yaml"


def _read_info(root: Path, facts: list[FileFacts]) -> tuple[DatasetInfo | None, list[str], list[Problem]]:
    """`dataset.yaml` (optional): one mapping describing the whole record."""
    path = root / INFO_FILE
    if not path.is_file():
        return None, [], []
    shown = _display(path)
    content, problems = _read_content(path, shown, facts)
    if problems:
        return None, [shown], problems
    if not isinstance(content, dict):
        return None, [shown], [Problem.of(shown, "(file)", "", MAPPING_EXPECTED)]
    try:
        return DatasetInfo.model_validate(content), [shown], []
    except ValidationError as error:
        return None, [shown], problems_from_validation_error(error, file=shown, record="(dataset)")


TRANSLATIONS_DIR = "translations"


def _read_translations(
    root: Path, ids: dict[str, set[str]], facts: list[FileFacts], checked: set[str], revised: dict[str, list[str]]
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
                Problem.of(
                    _display(lang_dir),
                    "(folder)",
                    "",
                    N_("unknown language '{lang}' (known: {known})"),
                    lang=lang_dir.name,
                    known=", ".join(RECORD_LANGUAGES),
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
                    Problem.of(
                        shown,
                        "(file)",
                        "",
                        N_("not a translation file (expected <kind>.yaml or <kind>/*.yaml, kind one of {kinds})"),
                        kinds=", ".join(TRANSLATION_KINDS),
                    )
                )
                continue
            files.append(shown)
            items, file_problems = _parse_file(path, shown, facts)
            problems += file_problems
            located = [Located(kind, shown, n, item) for n, item in enumerate(items, start=1)]
            valid, record_problems = _validate(located, TRANSLATION_KINDS[kind])
            problems += record_problems
            problems += _duplicate_ids(valid)
            texts = by_kind.setdefault(kind, {})
            for text, where in valid:
                record_id = getattr(text, "id", "")
                if record_id not in ids[kind] and kind in checked:
                    message = N_("translates unknown {kind} id '{id}'")
                    problems.append(Problem.of(shown, where.label, "id", message, kind=kind, id=record_id))
                if kind == "events":
                    problems += _revision_text_problems(text, revised.get(record_id), shown, where.label)
                texts[record_id] = text
        result[lang_dir.name] = by_kind
    return result, files, problems


# Revised fields whose old and new values are text (a translation gives their wording); other values (tolls,
# fates, dates) are the same in every language.
TEXT_FIELDS = ("title", "summary", "location", "figure_note")


def _revision_text_problems(text: Record, revised_fields: list[str] | None, file: str, label: str) -> list[Problem]:
    """An event's translated revision texts: one per revision, in order; old/new wording only for text fields."""
    given = getattr(text, "revisions", [])
    if not given or revised_fields is None:
        return []
    if len(given) != len(revised_fields):
        message = N_("{found} revision text(s) for the event's {expected} revision(s), one per revision in order")
        return [Problem.of(file, label, "revisions", message, found=len(given), expected=len(revised_fields))]
    problems = []
    for index, (words, revised_field) in enumerate(zip(given, revised_fields, strict=True)):
        is_text = revised_field in TEXT_FIELDS
        if is_text and (words.old is None or words.new is None):
            message = N_("the revised field '{field}' is text: give its old and new wording too")
            problems.append(Problem.of(file, label, f"revisions[{index}]", message, field=revised_field))
        if not is_text and (words.old is not None or words.new is not None):
            message = N_("the revised field '{field}' is not text: give only the note")
            problems.append(Problem.of(file, label, f"revisions[{index}]", message, field=revised_field))
    return problems


def _translation_warnings(
    translations: dict[str, dict[str, dict[str, Record]]], ids: dict[str, set[str]]
) -> list[Message]:
    """Records without text in a language: shown in English (marked) until a translator catches up."""
    notes = []
    for lang in RECORD_LANGUAGES:
        for kind in TRANSLATION_KINDS:
            missing = sorted(ids[kind] - set(translations.get(lang, {}).get(kind, {})))
            if missing:
                shown: str | Message = ", ".join(missing[:5])
                if len(missing) > 5:
                    shown = Message.of(N_("{ids} and {count} more"), ids=shown, count=len(missing) - 5)
                message = N_("translations/{lang}/{kind}.yaml: {count} {kind} without '{lang}' text: {ids}")
                notes.append(Message.of(message, lang=lang, kind=kind, count=len(missing), ids=shown))
    return notes


def _tier_warnings(validated: dict[str, list[tuple[Any, Located]]]) -> list[Message]:
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
                message = N_(
                    "its figures rest on tier-4 sources only (add a stronger source, or say why in 'weak_sourcing')"
                )
                notes.append(Problem.of(where.file, where.label, "sources", message).framed)
    return notes


def strong_source_count(source_ids: Iterable[str], tiers: dict[str, int]) -> int:
    """How many of a record's sources are tier 1-2."""
    return sum(1 for s in source_ids if tiers.get(s) in STRONG_TIERS)


def _warnings(validated: dict[str, list[tuple[Any, Located]]], used_sources: set[str]) -> list[Message]:
    """Things worth a curator's look that do not make the data wrong."""
    notes = []
    for source, where in validated["sources"]:
        if source.id not in used_sources:
            notes.append(Problem.of(where.file, where.label, "", N_("source is not cited by any record")).framed)
    seen_urls: dict[str, str] = {}
    for source, where in validated["sources"]:
        if source.url in seen_urls:
            message = N_("same URL as source '{id}'")
            notes.append(Problem.of(where.file, where.label, "", message, id=seen_urls[source.url]).framed)
        seen_urls.setdefault(source.url, source.id)
    return notes
