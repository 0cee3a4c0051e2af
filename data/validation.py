"""Turn pydantic errors and cross-record rule breaks into short, human messages.

Every problem names the file, the record (its id, or its position when it has no
usable id) and the field, so a curator can go straight to the line to fix.

A message is an English template and its values (`Message`): `str()` gives the English text the command line
prints; `data.i18n.localise_problem` gives it in the app's language through the message catalog. Templates are
marked with `N_` so the catalog test finds them.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError


def N_(message: str) -> str:  # noqa: N802 - gettext's conventional name
    """Mark an English message template for the catalog; it is translated where it is shown."""
    return message


@dataclass(frozen=True)
class Message:
    """An English template with `{name}` placeholders and its values (a value may itself be a Message)."""

    template: str
    values: tuple[tuple[str, Any], ...] = ()

    @classmethod
    def of(cls, template: str, /, **values: Any) -> Message:
        return cls(template, tuple(values.items()))

    def __str__(self) -> str:
        if not self.values:
            return self.template
        return self.template.format(**{name: str(v) if isinstance(v, Message) else v for name, v in self.values})


class ContractError(ValueError):
    """A rule of the data contract broken inside a pydantic validator: pydantic keeps the English text (`str()`),
    `problems_from_validation_error` keeps the template so the app can show it in another language."""

    def __init__(self, template: str, /, **values: Any) -> None:
        self.message = Message.of(template, **values)
        super().__init__(str(self.message))


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the data, located as precisely as we can."""

    file: str
    record: str
    field: str
    message: str
    # The message as template + values, for showing it in another language (None: `message` is all there is).
    text: Message | None = dataclasses.field(default=None, compare=False, repr=False)

    @classmethod
    def of(cls, file: str, record: str, field_path: str, template: str, /, **values: Any) -> Problem:
        """A problem whose message is `template` (English, marked with N_) filled with `values`."""
        text = Message.of(template, **values)
        return cls(file, record, field_path, str(text), text)

    @property
    def message_text(self) -> Message:
        return self.text or Message(self.message)

    @property
    def framed(self) -> Message:
        """The whole problem as a message ("file: record X, field 'y': message"), its str() equal to str(self)."""
        record = label_message(self.record)
        if self.field:
            return Message.of(FRAME, file=self.file, record=record, field=self.field, message=self.message_text)
        return Message.of(FRAME_NO_FIELD, file=self.file, record=record, message=self.message_text)

    def __str__(self) -> str:
        where = f"{self.file}: record {self.record}"
        if self.field:
            where += f", field '{self.field}'"
        return f"{where}: {self.message}"


# How a problem is framed ("file: record X, field 'y': message"), for translation; str(Problem) writes the same.
FRAME = N_("{file}: record {record}, field '{field}': {message}")
FRAME_NO_FIELD = N_("{file}: record {record}: {message}")
# The forms a record label takes (record_label, storyline labels), so a label can be shown in another language.
ITEM_LABEL = N_("'{id}' (item {position})")
RECORD_LABELS = (
    N_("(file)"),
    N_("(folder)"),
    N_("(dataset)"),
    ITEM_LABEL,
    N_("storyline"),
    N_("storyline {id}"),
    N_("step {position} ({headline})"),
    N_("step {position}"),
)


def _label_pattern(template: str) -> re.Pattern[str]:
    parts = re.split(r"\{(\w+)\}", template)
    pattern = "".join(re.escape(part) if n % 2 == 0 else f"(?P<{part}>.+?)" for n, part in enumerate(parts))
    return re.compile(pattern + r"\Z", re.DOTALL)


_LABEL_PATTERNS = [(template, _label_pattern(template)) for template in RECORD_LABELS]


def label_message(label: str) -> Message:
    """A record label ("'x' (item 3)", "(file)", "step 2") as a template and values; unknown forms as they are."""
    for template, pattern in _LABEL_PATTERNS:
        match = pattern.match(label)
        if match:
            return Message.of(template, **match.groupdict())
    return Message(label)


def record_label(item: Any, position: int) -> str:
    """Name a record by its id when it has a usable one, else by its 1-based position."""
    if isinstance(item, dict):
        record_id = item.get("id")
        if isinstance(record_id, str) and record_id.strip():
            return ITEM_LABEL.format(id=record_id.strip(), position=position)
    return f"#{position}"


_FRIENDLY = {
    "extra_forbidden": N_("unknown field (not in the data contract)"),
    "missing": N_("required field is missing"),
}
# pydantic's own wording of common errors, as templates over the error's `ctx`: used only while pydantic's message
# is exactly this template filled in (so the English stays pydantic's), translated in the app.
_PYDANTIC: dict[str, tuple[str, ...]] = {
    "literal_error": (N_("Input should be {expected}"),),
    "string_type": (N_("Input should be a valid string"),),
    "string_too_short": (
        N_("String should have at least {min_length} character"),
        N_("String should have at least {min_length} characters"),
    ),
    "string_too_long": (
        N_("String should have at most {max_length} character"),
        N_("String should have at most {max_length} characters"),
    ),
    "string_pattern_mismatch": (N_("String should match pattern '{pattern}'"),),
    "int_type": (N_("Input should be a valid integer"),),
    "int_parsing": (N_("Input should be a valid integer, unable to parse string as an integer"),),
    "int_from_float": (N_("Input should be a valid integer, got a number with a fractional part"),),
    "bool_type": (N_("Input should be a valid boolean"),),
    "bool_parsing": (N_("Input should be a valid boolean, unable to interpret input"),),
    "float_type": (N_("Input should be a valid number"),),
    "float_parsing": (N_("Input should be a valid number, unable to parse string as a number"),),
    "greater_than_equal": (N_("Input should be greater than or equal to {ge}"),),
    "less_than_equal": (N_("Input should be less than or equal to {le}"),),
    "list_type": (N_("Input should be a valid list"),),
    "too_short": (
        N_("List should have at least {min_length} item after validation, not {actual_length}"),
        N_("List should have at least {min_length} items after validation, not {actual_length}"),
    ),
    "date_type": (N_("Input should be a valid date"),),
    "date_parsing": (N_("Input should be a valid date in the format YYYY-MM-DD, {error}"),),
    "date_from_datetime_parsing": (N_("Input should be a valid date or datetime, {error}"),),
    "date_from_datetime_inexact": (N_("Datetimes provided to dates should have zero time - e.g. be exact dates"),),
    "model_type": (N_("Input should be a valid dictionary or instance of {class_name}"),),
    "dict_type": (N_("Input should be a valid dictionary"),),
}


def _friendly_message(error: dict[str, Any]) -> Message:
    kind = str(error.get("type", ""))
    context = error.get("ctx") or {}
    if kind in _FRIENDLY:
        return Message(_FRIENDLY[kind])
    cause = context.get("error")
    if isinstance(cause, ContractError):
        return cause.message
    message = str(error.get("msg", "invalid value"))
    for template in _PYDANTIC.get(kind, ()):
        filled = Message.of(template, **{name: context[name] for name in _placeholders(template) if name in context})
        try:
            if str(filled) == message:
                return filled
        except (KeyError, IndexError, ValueError):
            continue
    # pydantic prefixes errors raised in our own validators with "Value error, ".
    return Message(message.removeprefix("Value error, "))


def _placeholders(template: str) -> Iterable[str]:
    return re.findall(r"\{(\w+)", template)


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
        text = _friendly_message(dict(detail))
        problems.append(Problem(file=file, record=record, field=_field_path(location), message=str(text), text=text))
    return problems
