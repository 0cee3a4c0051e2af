"""Turn pydantic errors and cross-record rule breaks into short, human messages.

Every problem names the file, the record (its id, or its position when it has no
usable id) and the field, so a curator can go straight to the line to fix.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the data, located as precisely as we can."""

    file: str
    record: str
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}: record {self.record}"
        if self.field:
            where += f", field '{self.field}'"
        return f"{where}: {self.message}"


def record_label(item: Any, position: int) -> str:
    """Name a record by its id when it has a usable one, else by its 1-based position."""
    if isinstance(item, dict):
        record_id = item.get("id")
        if isinstance(record_id, str) and record_id.strip():
            return f"'{record_id.strip()}' (item {position})"
    return f"#{position}"


_FRIENDLY = {
    "extra_forbidden": "unknown field (not in the data contract)",
    "missing": "required field is missing",
}


def _friendly_message(error: dict[str, Any]) -> str:
    kind = str(error.get("type", ""))
    if kind in _FRIENDLY:
        return _FRIENDLY[kind]
    message = str(error.get("msg", "invalid value"))
    # pydantic prefixes errors raised in our own validators with "Value error, ".
    return message.removeprefix("Value error, ")


def _field_path(location: tuple[Any, ...]) -> str:
    parts: list[str] = []
    for part in location:
        if isinstance(part, int):
            parts.append(f"[{part}]")
        else:
            parts.append(("." if parts else "") + str(part))
    return "".join(parts)


def problems_from_validation_error(error: ValidationError, *, file: str, record: str) -> list[Problem]:
    """The one place a pydantic `ValidationError` becomes messages an editor can act on."""
    problems = []
    for detail in error.errors():
        location = tuple(detail.get("loc", ()))
        problems.append(
            Problem(
                file=file,
                record=record,
                field=_field_path(location),
                message=_friendly_message(dict(detail)),
            )
        )
    return problems
