"""`crisis-monitor`: validate the dataset, export events, write the JSON Schema.

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
from data.export import to_csv, to_json
from data.filters import Filters
from data.frames import event_states_frame, revisions_frame, stances_frame, trackers_frame
from data.loading import DEFAULT_DATA_DIR, Dataset, DatasetError, load_dataset
from data.schema import CATEGORIES, RECORD_KINDS, TRANSLATION_KINDS, DatasetInfo

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

    export = commands.add_parser("export", help="write events as CSV or JSON")
    export.add_argument("--format", choices=["csv", "json"], default="csv")
    export.add_argument("--since", type=_iso_date, help="first date included (YYYY-MM-DD)")
    export.add_argument("--until", type=_iso_date, help="last date included (YYYY-MM-DD)")
    export.add_argument("--category", action="append", choices=CATEGORIES, default=[], help="repeatable")
    export.add_argument("--known-on", type=_iso_date, help="the record as it stood on this date (YYYY-MM-DD)")
    export.add_argument("--out", help="file to write (default: standard output)")
    export.add_argument("--data-dir", default=str(DEFAULT_DATA_DIR))

    changes = commands.add_parser("changes", help="what became public between two dates (a meeting digest)")
    changes.add_argument("--since", type=_iso_date, required=True, help="changes after this date (YYYY-MM-DD)")
    changes.add_argument("--until", type=_iso_date, help="up to and including this date (default: end of record)")
    changes.add_argument("--format", choices=["md", "csv", "json"], default="md")
    changes.add_argument("--out", help="file to write (default: standard output)")
    changes.add_argument("--data-dir", default=str(DEFAULT_DATA_DIR))

    schema = commands.add_parser("schema", help="write the JSON Schema of each record kind")
    schema.add_argument("--out-dir", default=str(SCHEMA_DIR))
    return parser


def _load_or_report(data_dir: str) -> Dataset | int:
    try:
        return load_dataset(data_dir)
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
    if dataset.warnings:
        if args.warnings:
            for line in dataset.warnings:
                print(f"warning: {line}")
        else:
            print(f"{len(dataset.warnings)} warning(s); add --warnings to list them.")
    return 0


def _export(args: argparse.Namespace) -> int:
    dataset = _load_or_report(args.data_dir)
    if isinstance(dataset, int):
        return dataset
    filters = Filters(start=args.since, end=args.until, categories=tuple(args.category), known_on=args.known_on)
    events = filters.apply(event_states_frame(dataset))
    text = to_csv(events) if args.format == "csv" else to_json(events)
    _write(text, args.out, f"{len(events)} events")
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
    report = change_report(
        event_states_frame(dataset),
        stances_frame(dataset, history=True),
        trackers_frame(dataset, history=True),
        revisions_frame(dataset),
        since=args.since,
        until=args.until or dataset.coverage_end,
    )
    render = {"md": changes_markdown, "csv": changes_csv, "json": changes_json}[args.format]
    _write(render(report), args.out, "the changes report")
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
        handler = {"validate": _validate, "export": _export, "changes": _changes, "schema": _schema}[args.command]
        return handler(args)
    except OSError as error:
        print(f"crisis-monitor: {error.strerror}: {error.filename}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
