"""`crisis-monitor`: validate the dataset, export events, write the manifest and the JSON Schema.

Errors are one line per problem and a non-zero exit; never a traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from data.changes import change_report
from data.changes import to_csv as changes_csv
from data.changes import to_json as changes_json
from data.changes import to_markdown as changes_markdown
from data.export import LAYOUTS, Provenance, export_file_name, now_utc, to_csv, to_json
from data.filters import Filters
from data.frames import event_states_frame, revisions_frame, sources_frame, stances_frame, trackers_frame
from data.i18n import LANGUAGES
from data.loading import DEFAULT_DATA_DIR, Dataset, DatasetError, load_dataset
from data.localise import localise, localised_revisions
from data.manifest import MANIFEST_FILE, build_manifest, manifest_text
from data.schema import CATEGORIES, RECORD_KINDS, THEATERS, TRANSLATION_KINDS, DatasetInfo
from data.storylines import STORYLINES_DIR, known_from, load_storylines

SCHEMA_DIR = Path(__file__).resolve().parent / "schema"


def _iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date (use YYYY-MM-DD)") from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="crisis-monitor", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    validate = commands.add_parser("validate", help="check every data file; exit 1 on any problem")
    validate.add_argument("data_dir", nargs="?", default=str(DEFAULT_DATA_DIR), help="folder of record files")
    validate.add_argument("--warnings", action="store_true", help="also list warnings (e.g. unused sources)")
    validate.add_argument(
        "--storylines",
        default=None,
        help="folder of storyline files checked against the dataset (default: the shipped ones, with the bundled data)",
    )

    export = commands.add_parser("export", help="write events as CSV or JSON")
    export.add_argument("--format", choices=["csv", "json"], default="csv")
    export.add_argument("--since", type=_iso_date, help="first date included (YYYY-MM-DD)")
    export.add_argument("--until", type=_iso_date, help="last date included (YYYY-MM-DD)")
    export.add_argument("--category", action="append", choices=CATEGORIES, default=[], help="repeatable")
    export.add_argument("--theater", action="append", choices=THEATERS, default=[], help="repeatable")
    export.add_argument("--known-on", type=_iso_date, help="the record as it stood on this date (YYYY-MM-DD)")
    export.add_argument(
        "--lang", choices=list(LANGUAGES), default="en", help="language of the record text (columns and ids unchanged)"
    )
    export.add_argument(
        "--layout",
        choices=LAYOUTS,
        default="standard",
        help="column names: ours (standard) or ACLED's where a concept matches (acled); see data/FORMAT.md",
    )
    export.add_argument(
        "--provenance",
        choices=["rows", "sidecar"],
        default="rows",
        help="provenance inside the file (rows: CSV's first 11 lines, JSON's 'provenance'; the default) or in "
        "<out>.provenance.json beside a bare table (sidecar, needs --out)",
    )
    export.add_argument(
        "--out", help="file to write, or a folder to write a file named after the filters (default: standard output)"
    )
    export.add_argument("--data-dir", default=str(DEFAULT_DATA_DIR))

    manifest = commands.add_parser(
        "manifest", help=f"rewrite {MANIFEST_FILE} (each file's records, bytes, SHA-256) after a deliberate edit"
    )
    manifest.add_argument("data_dir", nargs="?", default=str(DEFAULT_DATA_DIR), help="folder of record files")

    changes = commands.add_parser("changes", help="what became public between two dates (a meeting digest)")
    changes.add_argument("--since", type=_iso_date, required=True, help="changes after this date (YYYY-MM-DD)")
    changes.add_argument("--until", type=_iso_date, help="up to and including this date (default: end of record)")
    changes.add_argument("--format", choices=["md", "csv", "json"], default="md")
    changes.add_argument(
        "--lang", choices=list(LANGUAGES), default="en", help="language of the digest and record text (ids unchanged)"
    )
    changes.add_argument("--out", help="file to write (default: standard output)")
    changes.add_argument("--data-dir", default=str(DEFAULT_DATA_DIR))

    schema = commands.add_parser("schema", help="write the JSON Schema of each record kind")
    schema.add_argument("--out-dir", default=str(SCHEMA_DIR))
    return parser


def _load_or_report(data_dir: str, *, check_manifest_file: bool = True) -> Dataset | int:
    try:
        return load_dataset(data_dir, check_manifest_file=check_manifest_file)
    except DatasetError as error:
        for line in error.lines():
            print(line, file=sys.stderr)
        print(f"{len(error.problems)} problem(s) found; nothing was loaded.", file=sys.stderr)
        return 1


def _validate(args: argparse.Namespace) -> int:
    dataset = _load_or_report(args.data_dir)
    if isinstance(dataset, int):
        return dataset
    counts = ", ".join(f"{len(getattr(dataset, kind))} {kind}" for kind in RECORD_KINDS)
    print(f"OK: {dataset.record_count} records in {len(dataset.files)} files ({counts}); 0 errors.")
    if (Path(args.data_dir) / MANIFEST_FILE).is_file():
        print(f"Every file's record count matches {MANIFEST_FILE}.")
    if dataset.warnings:
        if args.warnings:
            for line in dataset.warnings:
                print(f"warning: {line}")
        else:
            print(f"{len(dataset.warnings)} warning(s); add --warnings to list them.")
    known = known_from([a.id for a in dataset.actors], [e.id for e in dataset.events], [i.id for i in dataset.issues])
    folder = args.storylines or (
        str(STORYLINES_DIR) if Path(args.data_dir).resolve() == DEFAULT_DATA_DIR.resolve() else None
    )
    if folder is None:  # another dataset: the shipped storylines are about the bundled one
        return 0
    stories, story_problems = load_storylines(Path(folder), known=known)
    for problem in story_problems:
        print(f"{Path(folder) / problem.file}: {str(problem).split(': ', 1)[1]}", file=sys.stderr)
    if story_problems:
        print(f"{len(story_problems)} problem(s) in the storylines.", file=sys.stderr)
        return 1
    print(f"OK: {len(stories)} storyline(s), 0 errors.")
    return 0


def _export(args: argparse.Namespace) -> int:
    dataset = _load_or_report(args.data_dir)
    if isinstance(dataset, int):
        return dataset
    filters = Filters(
        start=args.since,
        end=args.until,
        categories=tuple(args.category),
        theaters=tuple(args.theater),
        known_on=args.known_on,
    )
    states = event_states_frame(dataset)
    if args.lang != "en":
        states = localise(states, "events", dataset.translations.get(args.lang, {}).get("events", {}))
    events = filters.apply(states)
    provenance = Provenance(
        title=dataset.info.title if dataset.info else "Venezuela Crisis Monitor",
        version=dataset.info.version if dataset.info else "unversioned",
        coverage_end=dataset.coverage_end,
        exported_at=now_utc(),
        filters=filters.describe(),
        source="crisis-monitor export " + " ".join(_export_args(args)),
        lang=args.lang,
    )
    out = args.out
    if out and Path(out).is_dir():
        name = export_file_name(
            "events",
            first=args.since or min((e.date for e in dataset.events), default=dataset.coverage_end),
            last=min(args.until or dataset.coverage_end, dataset.coverage_end),
            ext=args.format,
            categories=filters.categories,
            theaters=filters.theaters,
            known_on=filters.known_on,
            layout=args.layout,
        )
        out = str(Path(out) / name)
    sources = sources_frame(dataset)
    render = to_json if args.format == "json" else to_csv
    if args.provenance == "sidecar":
        if not out:
            print(
                "crisis-monitor: --provenance sidecar needs --out (the sidecar goes beside the file)", file=sys.stderr
            )
            return 2
        # The bare table (CSV without leading rows, JSON as a plain list) and its provenance beside it.
        text = render(events, sources=sources, layout=args.layout)
        sidecar = Path(out).with_name(Path(out).name + ".provenance.json")
        record = provenance.with_table("events", len(events), args.layout).as_dict()
        _write(json.dumps({"provenance": record}, indent=2, ensure_ascii=False) + "\n", str(sidecar), "provenance")
    else:
        text = render(events, sources=sources, provenance=provenance, layout=args.layout)
    _write(text, out, f"{len(events)} events")
    return 0


def _export_args(args: argparse.Namespace) -> list[str]:
    """The options that shape the rows (for the provenance's `source`): enough to re-run the export."""
    parts = [f"--format {args.format}", f"--layout {args.layout}", f"--lang {args.lang}"]
    for name in ("since", "until", "known_on"):
        value = getattr(args, name)
        if value is not None:
            parts.append(f"--{name.replace('_', '-')} {value.isoformat()}")
    parts += [f"--category {c}" for c in args.category] + [f"--theater {t}" for t in args.theater]
    return parts


def _manifest(args: argparse.Namespace) -> int:
    dataset = _load_or_report(args.data_dir, check_manifest_file=False)
    if isinstance(dataset, int):
        print(f"{MANIFEST_FILE} was not rewritten: fix the problems first.", file=sys.stderr)
        return dataset
    root = Path(args.data_dir)
    manifest = build_manifest(
        root,
        dataset.file_facts,
        title=dataset.info.title if dataset.info else "Venezuela Crisis Monitor",
        version=dataset.info.version if dataset.info else "unversioned",
    )
    path = root / MANIFEST_FILE
    path.write_text(manifest_text(manifest), encoding="utf-8")
    records = sum(int(r["records"]) for r in manifest["resources"])
    print(f"wrote {path}: {len(manifest['resources'])} files, {records} records")
    return 0


def _write(text: str, out: str | None, what: str) -> None:
    if out:
        Path(out).write_text(text, encoding="utf-8")
        print(f"wrote {what} to {out}", file=sys.stderr)
    else:
        sys.stdout.write(text)


def _changes(args: argparse.Namespace) -> int:
    dataset = _load_or_report(args.data_dir)
    if isinstance(dataset, int):
        return dataset
    frames = {
        "events": event_states_frame(dataset),
        "stances": stances_frame(dataset, history=True),
        "trackers": trackers_frame(dataset, history=True),
    }
    if args.lang != "en":  # record text in the chosen language, as in the app
        texts = dataset.translations.get(args.lang, {})
        frames = {kind: localise(frame, kind, texts.get(kind, {})) for kind, frame in frames.items()}
    report = change_report(
        frames["events"],
        frames["stances"],
        frames["trackers"],
        revisions_frame(dataset)
        if args.lang == "en"
        else localised_revisions(revisions_frame(dataset), dataset.translations.get(args.lang, {}).get("events", {})),
        since=args.since,
        until=args.until or dataset.coverage_end,
    )
    render = {"md": changes_markdown, "csv": changes_csv, "json": changes_json}[args.format]
    _write(render(report, args.lang), args.out, "the changes report")
    return 0


def _schema(args: argparse.Namespace) -> int:
    out_dir = Path(args.out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    schemas: dict[str, dict[str, object]] = {}
    for kind, model in RECORD_KINDS.items():
        schemas[kind] = {"title": f"{kind} records", "type": "array", "items": model.model_json_schema()}
    for kind, model in TRANSLATION_KINDS.items():
        schemas[f"translation-{kind}"] = {
            "title": f"{kind} text in another language (translations/<lang>/{kind}.yaml)",
            "type": "array",
            "items": model.model_json_schema(),
        }
    schemas["dataset"] = {"title": "dataset.yaml", **DatasetInfo.model_json_schema()}
    for name, body in schemas.items():
        schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", **body}
        path = out_dir / f"{name}.schema.json"
        path.write_text(json.dumps(schema, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {path}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        handler = {
            "validate": _validate,
            "export": _export,
            "manifest": _manifest,
            "changes": _changes,
            "schema": _schema,
        }[args.command]
        return handler(args)
    except OSError as error:
        print(f"crisis-monitor: {error.strerror}: {error.filename}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
