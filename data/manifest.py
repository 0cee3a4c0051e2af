"""The dataset's manifest: `datapackage.json` (a Frictionless Data Package) listing every data file.

Each resource gives the file's `path` (relative, `/`-separated), `bytes`, `hash` (`sha256:<hex>`) and `records`
(how many records the file holds; a custom property, which the standard allows). The loader compares the files it
reads with the manifest, so a file that was emptied, truncated at a record boundary, deleted or added without a word
is an error naming the file, the expected and found record counts, and the command that rewrites the manifest after
a deliberate edit. A change with the same record count (a corrected figure, a reworded summary) is a warning: the
manifest is then stale, not the data wrong.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from data.validation import N_, Message, Problem

FIX = N_("run '{command}' to rewrite the manifest if this edit is deliberate")

MANIFEST_FILE = "datapackage.json"
PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
RECORDS_NOTE = (
    "Records of the Venezuela Crisis Monitor. Each resource's 'records' is the number of records (list items) in "
    "the file; 'crisis-monitor validate' checks every file against 'records', 'bytes' and 'hash', and "
    "'crisis-monitor manifest' rewrites this file after a deliberate edit."
)
_MEDIA_TYPES = {".yaml": ("yaml", "application/yaml"), ".yml": ("yaml", "application/yaml")}


@dataclass(frozen=True)
class FileFacts:
    """What the loader saw in one data file: its size, its SHA-256 and its record count (None: unreadable)."""

    path: Path
    bytes: int
    sha256: str
    records: int | None


def rewrite_command(root: Path, default_root: Path) -> str:
    """The command that rewrites the manifest of `root` (shown in every mismatch message)."""
    same = root.resolve() == default_root.resolve()
    return "crisis-monitor manifest" if same else f"crisis-monitor manifest {root}"


def _relative(path: Path, root: Path) -> str:
    return path.resolve().relative_to(root.resolve()).as_posix()


def _resource_name(relative: str) -> str:
    stem = relative.rsplit(".", 1)[0]
    return "".join(c if c.isalnum() else "-" for c in stem.lower()).strip("-")


def build_manifest(root: Path, facts: Iterable[FileFacts], *, title: str, version: str) -> dict[str, Any]:
    """The manifest of a valid dataset (every file readable); resources sorted by path."""
    resources = []
    for fact in sorted(facts, key=lambda f: _relative(f.path, root)):
        relative = _relative(fact.path, root)
        data_format, media_type = _MEDIA_TYPES.get(fact.path.suffix, ("json", "application/json"))
        resources.append(
            {
                "name": _resource_name(relative),
                "path": relative,
                "format": data_format,
                "mediatype": media_type,
                "encoding": "utf-8",
                "bytes": fact.bytes,
                "hash": f"sha256:{fact.sha256}",
                "records": fact.records,
            }
        )
    return {
        "$schema": PROFILE,
        "name": "venezuela-crisis-monitor",
        "title": title,
        "version": version,
        "description": RECORDS_NOTE,
        "resources": resources,
    }


def manifest_text(manifest: dict[str, Any]) -> str:
    return json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"


def check_manifest(
    root: Path, facts: Iterable[FileFacts], *, command: str, display: Callable[[Path], str]
) -> tuple[list[Problem], list[Message]]:
    """Compare what the loader read with `root/datapackage.json`: (errors, warnings).

    No manifest is a warning (a dataset under construction, a test fixture); a manifest that cannot be read is an
    error, as is any file missing, added or holding a different number of records.
    """
    path = root / MANIFEST_FILE
    if not path.is_file():
        message = N_("{manifest}: no manifest, so a lost record cannot be noticed (run '{command}' to write one)")
        return [], [Message.of(message, manifest=MANIFEST_FILE, command=command)]
    where = display(path)
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        listed = {str(r["path"]): r for r in manifest["resources"]}
        for resource in listed.values():
            int(resource["records"])
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError, ValueError) as error:
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        message = N_("manifest cannot be read ({reason}); run '{command}'")
        return [Problem.of(where, "(file)", "", message, reason=reason, command=command)], []

    problems: list[Problem] = []
    warnings: list[Message] = []
    seen: set[str] = set()
    for fact in facts:
        relative = _relative(fact.path, root)
        file_shown = display(fact.path)
        seen.add(relative)
        resource = listed.get(relative)
        if resource is None:
            if fact.records is not None:
                message = N_("not in {manifest} (found {records} records); {fix}")
            else:
                message = N_("not in {manifest} (found a file); {fix}")
            fix = Message.of(FIX, command=command)
            found = Problem.of(file_shown, "(file)", "", message, manifest=MANIFEST_FILE, records=fact.records, fix=fix)
            problems.append(found)
            continue
        expected = int(resource["records"])
        if fact.records is None:
            continue  # unreadable: its own problem already says why
        if fact.records != expected:
            problems.append(
                Problem.of(
                    file_shown,
                    "(file)",
                    "",
                    N_("holds {records} records, {manifest} expects {expected}; {fix}"),
                    records=fact.records,
                    manifest=MANIFEST_FILE,
                    expected=expected,
                    fix=Message.of(FIX, command=command),
                )
            )
        elif resource.get("hash") != f"sha256:{fact.sha256}" or resource.get("bytes") != fact.bytes:
            warnings.append(
                Message.of(
                    N_(
                        "{file}: changed since {manifest} (same {expected} records); run '{command}' to record the edit"
                    ),
                    file=file_shown,
                    manifest=MANIFEST_FILE,
                    expected=expected,
                    command=command,
                )
            )
    for relative in sorted(set(listed) - seen):
        expected = int(listed[relative]["records"])
        problems.append(
            Problem.of(
                display(root / relative),
                "(file)",
                "",
                N_("file listed in {manifest} is missing (expected {expected} records, found none); {fix}"),
                manifest=MANIFEST_FILE,
                expected=expected,
                fix=Message.of(FIX, command=command),
            )
        )
    return problems, warnings
