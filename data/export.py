"""Exports a researcher can cite: events (two layouts), stances and casualty tables as CSV / JSON.

Every export states its provenance (dataset version, export time, the filters that produced it and a citation
line): JSON files are `{"provenance": {...}, <table>: [...]}`; CSV files start with a fixed block of
`CSV_PROVENANCE_LINES` lines (`key,value` rows, then one blank line) before the table's header, so
`pandas.read_csv(path, skiprows=CSV_PROVENANCE_LINES)` reads the table. File names say what is in them
(`export_file_name`). Text that a spreadsheet would run as a formula is neutralised in every CSV cell.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import pandas as pd

from data.i18n import format_day, translate

Layout = Literal["standard", "acled"]
LAYOUTS: tuple[Layout, ...] = ("standard", "acled")
LAYOUT_LABELS = {"standard": "Crisis Monitor columns", "acled": "ACLED-style columns"}

EXPORT_COLUMNS = [
    "id",
    "date",
    "reported",
    "category",
    "theater",
    "title",
    "summary",
    "location",
    "strikes",
    "killed",
    "killed_low",
    "killed_high",
    "survivors",
    "presumed_dead",
    "vessels",
    "announced_by",
    "grade",
    "running_number",
    "source_urls",
    # Added with the record's history and source tiers; appended so scripts reading the columns above keep working.
    "date_precision",
    "first_reported",
    "last_updated",
    "revision_count",
    "source_tiers",
    "best_tier",
    # Added for citation and re-use (issue 10); appended likewise.
    "actors",
    "actor_names",
    "latitude",
    "longitude",
    "location_precision",
    "figure_note",
    "milestone",
    "source_ids",
    "source_publishers",
    "source_titles",
    "source_published",
]
# The ACLED-style layout: ACLED's column names where the concept matches (data/FORMAT.md has the mapping), then
# ours for what ACLED has no column for.
ACLED_COLUMNS = {
    "event_id_cnty": "id",
    "event_date": "date",
    "year": None,
    "time_precision": None,
    "event_type": "category",
    "actor1": None,
    "assoc_actor_1": None,
    "location": "location",
    "latitude": "latitude",
    "longitude": "longitude",
    "geo_precision": None,
    "source": None,
    "notes": "summary",
    "fatalities": "killed",
    "timestamp": None,
    "theater": "theater",
    "title": "title",
    "fatalities_low": "killed_low",
    "fatalities_high": "killed_high",
    "strikes": "strikes",
    "vessels": "vessels",
    "survivors": "survivors",
    "presumed_dead": "presumed_dead",
    "grade": "grade",
    "announced_by": "announced_by",
    "figure_note": "figure_note",
    "milestone": "milestone",
    "reported": "reported",
    "first_reported": "first_reported",
    "last_updated": "last_updated",
    "source_urls": "source_urls",
    "source_titles": "source_titles",
    "source_published": "source_published",
    "source_tiers": "source_tiers",
}
# ACLED's time_precision: 1 = the day is known, 2 = the week, 3 = the month.
TIME_PRECISION = {"day": 1, "week": 2, "month": 3}
# ACLED's geo_precision: 1 = the exact place, 2 = near it / part of a region, 3 = only a larger region.
GEO_PRECISION = {"exact": 1, "approximate": 2, "theater": 3, "none": 3}

COUNT_COLUMNS = (
    "strikes",
    "killed",
    "killed_low",
    "killed_high",
    "survivors",
    "presumed_dead",
    "vessels",
    "running_number",
    "revision_count",
    "best_tier",
    "fatalities",
    "fatalities_low",
    "fatalities_high",
    "year",
    "time_precision",
    "geo_precision",
    "timestamp",
)
# Multi-valued cells: URLs and tiers are space-joined (as they always were); the rest use " | " (titles have spaces).
LIST_SEPARATOR = " | "
SPACE_JOINED = ("source_urls", "source_tiers")
LIST_COLUMNS = ("actors", "source_ids", "source_publishers", "source_titles", "source_published")
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_PROVENANCE_LINES = 12  # 11 `key,value` rows and one blank line before the table's header


@dataclass(frozen=True)
class Provenance:
    """Where an export comes from: enough to cite it and to reproduce it."""

    title: str
    version: str
    coverage_end: dt.date
    exported_at: dt.datetime
    filters: str
    table: str = "events"
    layout: str = "standard"
    rows: int = 0
    source: str = ""  # e.g. the app's link to this view, or the command line
    lang: str = "en"  # the language of the file's text (record text and this citation); ids and numbers never change

    def citation(self) -> str:
        return translate(
            self.lang,
            "{title}, data through {through} (dataset version {version}), accessed {accessed}, filters: {filters}.",
            title=self.title,
            through=format_day(self.coverage_end, self.lang),
            version=self.version,
            accessed=format_day(self.exported_at.date(), self.lang),
            filters=self.filters,
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "citation": self.citation(),
            "dataset": self.title,
            "dataset_version": self.version,
            "data_through": self.coverage_end.isoformat(),
            "exported_at": self.exported_at.isoformat(timespec="seconds"),
            "filters": self.filters,
            "table": self.table,
            "layout": self.layout,
            "rows": self.rows,
            "source": self.source,
            "lang": self.lang,
        }

    def with_table(self, table: str, rows: int, layout: str = "standard") -> Provenance:
        return dataclasses.replace(self, table=table, layout=layout, rows=rows)


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


# --- File names ---------------------------------------------------------------------------------------------------


def _slug(text: str, limit: int = 40) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:limit].strip("-")


def export_file_name(
    subject: str,
    *,
    first: dt.date | None,
    last: dt.date | None,
    ext: str,
    categories: Sequence[str] = (),
    theaters: Sequence[str] = (),
    actors: Sequence[str] = (),
    text: str = "",
    known_on: dt.date | None = None,
    strong_only: bool = False,
    layout: str = "standard",
) -> str:
    """A file name that says what the export holds.

    E.g. `crisis-monitor-strikes-eastern-pacific-2026-01-01_2026-02-28.csv`.

    `subject` is what is exported ("events", "stances", "casualties-by-theater" …); a single `strike` category makes
    events "strikes"; other categories, theaters, up to two actors, the search text, "as known on", tier 1–2 and
    the ACLED layout each add a part; `first`/`last` are the date range shown (a single date when equal).
    """
    parts = ["crisis-monitor"]
    if subject == "events" and list(categories) == ["strike"]:
        parts.append("strikes")
    else:
        parts.append(_slug(subject))
        parts += [_slug(c) for c in sorted(categories)]
    parts += [_slug(t) for t in sorted(theaters)]
    parts += [_slug(a) for a in sorted(actors)] if len(actors) <= 2 else [f"{len(actors)}-actors"]
    if text.strip():
        parts.append("search-" + _slug(text, 24))
    if strong_only:
        parts.append("tier-1-2")
    if known_on is not None:
        parts.append(f"as-known-{known_on.isoformat()}")
    if first is not None and last is not None:
        parts.append(first.isoformat() if first == last else f"{first.isoformat()}_{last.isoformat()}")
    if layout != "standard":
        parts.append(_slug(layout))
    return "-".join(p for p in parts if p) + "." + ext.lstrip(".")


# --- Events --------------------------------------------------------------------------------------------------------


def _source_table(sources: pd.DataFrame | None) -> dict[str, dict[str, Any]]:
    """id -> publisher, original outlet, title, published, url, tier (from `data.frames.sources_frame`)."""
    if sources is None or sources.empty:
        return {}
    table = {}
    for row in sources.to_dict(orient="records"):
        published = row.get("published")
        # keyed by id and by URL (frames without source ids, e.g. stances, find their sources by URL)
        table[str(row["id"])] = table[str(row.get("url") or "")] = {
            "id": str(row["id"]),
            "publisher": str(row.get("publisher") or ""),
            "original_outlet": str(row.get("original_outlet") or "") or None,
            "title": str(row.get("title") or ""),
            "published": pd.Timestamp(published).strftime("%Y-%m-%d") if not pd.isna(published) else None,
            "url": str(row.get("url") or ""),
            "tier": int(row["tier"]) if not pd.isna(row.get("tier")) else None,
        }
    return table


def _cited(source_ids: Iterable[str], urls: Iterable[str], table: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Each cited source as a mapping; falls back to the URL alone when no source table was given."""
    cited = []
    for source_id, url in zip(source_ids, urls, strict=False):
        cited.append(table.get(source_id) or table.get(url) or {"id": source_id, "url": url})
    return cited


def export_frame(events: pd.DataFrame, sources: pd.DataFrame | None = None) -> pd.DataFrame:
    """The standard layout's columns, in order; dates as ISO text, list cells joined (see LIST_SEPARATOR).

    `killed_low` / `killed_high` are left empty unless sources actually differ.
    """
    frame = events.copy()
    table = _source_table(sources)
    frame["killed_low"] = frame["killed_low"].where(frame["killed_low"] != frame["killed"])
    frame["killed_high"] = frame["killed_high"].where(frame["killed_high"] != frame["killed"])
    frame["date"] = frame["date"].dt.strftime("%Y-%m-%d")
    for column in ("reported", "first_reported", "last_updated"):
        frame[column] = frame[column].dt.strftime("%Y-%m-%d")
    ids = frame["source_ids"] if "source_ids" in frame else frame["source_urls"].map(lambda urls: ("",) * len(urls))
    cited = [_cited(i, u, table) for i, u in zip(ids, frame["source_urls"], strict=True)]
    frame["source_ids"] = [tuple(s.get("id") or "" for s in c) for c in cited]
    frame["source_publishers"] = [tuple(_publisher(s) for s in c) for c in cited]
    frame["source_titles"] = [tuple(s.get("title") or "" for s in c) for c in cited]
    frame["source_published"] = [tuple(s.get("published") or "" for s in c) for c in cited]
    frame["source_urls"] = frame["source_urls"].map(" ".join)
    frame["source_tiers"] = frame["source_tiers"].map(lambda tiers: " ".join(str(t) for t in tiers))
    frame["actors"] = frame["actors"].map(tuple)
    frame["latitude"] = frame["lat"]
    frame["longitude"] = frame["lon"]
    frame["location_precision"] = frame["coord_precision"]
    frame["milestone"] = frame["milestone"].astype(bool)
    for column in LIST_COLUMNS:
        frame[column] = frame[column].map(LIST_SEPARATOR.join)
    return frame[EXPORT_COLUMNS].reset_index(drop=True)


def _publisher(source: dict[str, Any]) -> str:
    publisher = str(source.get("publisher") or "")
    outlet = source.get("original_outlet")
    return f"{publisher} (via {outlet})" if outlet else publisher


def acled_frame(events: pd.DataFrame, sources: pd.DataFrame | None = None) -> pd.DataFrame:
    """The ACLED-style layout: ACLED's names where a concept matches (see ACLED_COLUMNS and data/FORMAT.md)."""
    standard = export_frame(events, sources)
    frame = pd.DataFrame({name: standard[ours] for name, ours in ACLED_COLUMNS.items() if ours is not None})
    dates = pd.to_datetime(standard["date"])
    frame["year"] = dates.dt.year
    frame["time_precision"] = standard["date_precision"].map(TIME_PRECISION).fillna(1).astype(int)
    names = events["actor_names"].reset_index(drop=True).fillna("").str.split(", ")
    frame["actor1"] = names.map(lambda n: n[0] if n and n[0] else "")
    frame["assoc_actor_1"] = names.map(lambda n: "; ".join(n[1:]))
    frame["geo_precision"] = standard["location_precision"].map(GEO_PRECISION).fillna(3).astype(int)
    # ACLED's `source` names the publishers, ";"-separated.
    frame["source"] = standard["source_publishers"].str.replace(LIST_SEPARATOR, "; ", regex=False)
    updated = pd.to_datetime(standard["last_updated"])
    frame["timestamp"] = (updated - pd.Timestamp("1970-01-01")) // pd.Timedelta(seconds=1)
    return frame[list(ACLED_COLUMNS)]


def events_table(
    events: pd.DataFrame, sources: pd.DataFrame | None = None, layout: Layout = "standard"
) -> pd.DataFrame:
    return acled_frame(events, sources) if layout == "acled" else export_frame(events, sources)


# --- Writers -------------------------------------------------------------------------------------------------------


def neutralise_formula(value: Any) -> Any:
    """Stop a spreadsheet from running text as a formula (CSV injection)."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def _csv_cell(value: Any) -> Any:
    """Neutralised, with carriage returns made newlines: with "\n" line ends, a bare "\r" would not be quoted."""
    value = neutralise_formula(value)
    return value.replace("\r\n", "\n").replace("\r", "\n") if isinstance(value, str) else value


def _one_line(value: Any) -> str:
    return " ".join(str(value).split())


def provenance_rows(provenance: Provenance) -> str:
    """The CSV's leading block: `key,value` rows (one line each, formulas neutralised), then a blank line."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for key, value in provenance.as_dict().items():
        writer.writerow([key, neutralise_formula(_one_line(value))])
    buffer.write("\n")
    text = buffer.getvalue()
    assert text.count("\n") == CSV_PROVENANCE_LINES, "the documented provenance block has a fixed size"  # noqa: S101
    return text


def frame_to_csv(frame: pd.DataFrame, provenance: Provenance | None = None) -> str:
    """Any export table as CSV: formulas neutralised in every text cell, the provenance block first when given."""
    frame = frame.copy()
    for column in frame.columns:
        if frame[column].dtype == object or pd.api.types.is_string_dtype(frame[column]):
            frame[column] = frame[column].map(_csv_cell)
    table = frame.to_csv(index=False, lineterminator="\n")
    return (provenance_rows(provenance) if provenance is not None else "") + table


def _json_value(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return [_json_value(v) for v in value]
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp | dt.date):
        return value.strftime("%Y-%m-%d")
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def frame_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as JSON-ready mappings (blank cells as null, numpy scalars as Python numbers, dates as ISO text)."""
    return [{str(k): _json_value(v) for k, v in row.items()} for row in frame.to_dict(orient="records")]


def to_json_document(tables: dict[str, Any], provenance: Provenance | None) -> str:
    body: dict[str, Any] = {}
    if provenance is not None:
        body["provenance"] = provenance.as_dict()
    body.update(tables)
    return json.dumps(body, ensure_ascii=False, indent=2) + "\n"


def to_csv(
    events: pd.DataFrame,
    *,
    sources: pd.DataFrame | None = None,
    provenance: Provenance | None = None,
    layout: Layout = "standard",
) -> str:
    frame = events_table(events, sources, layout)
    return frame_to_csv(frame, provenance.with_table("events", len(frame), layout) if provenance else None)


def event_records(
    events: pd.DataFrame, sources: pd.DataFrame | None = None, layout: Layout = "standard"
) -> list[dict[str, Any]]:
    """Events as JSON records: lists as lists, counts as integers; the standard layout adds each source in full."""
    frame = events_table(events, sources, layout)
    table = _source_table(sources)
    ids = events["source_ids"].tolist() if "source_ids" in events else [()] * len(events)
    records = []
    for row, source_ids, urls in zip(frame_records(frame), ids, events["source_urls"], strict=True):
        for key in COUNT_COLUMNS:
            if key in row and row[key] is not None:
                row[key] = int(row[key])
        if "source_urls" in row:
            row["source_urls"] = row["source_urls"].split() if row["source_urls"] else []
        if "source_tiers" in row:
            row["source_tiers"] = [int(t) for t in row["source_tiers"].split()] if row["source_tiers"] else []
        for key in LIST_COLUMNS + ("source_titles", "source_published"):
            if key in row and isinstance(row[key], str):
                row[key] = row[key].split(LIST_SEPARATOR) if row[key] else []
        if layout == "standard":
            row["sources"] = _cited(source_ids, urls, table)
        records.append(row)
    return records


def to_json(
    events: pd.DataFrame,
    *,
    sources: pd.DataFrame | None = None,
    provenance: Provenance | None = None,
    layout: Layout = "standard",
) -> str:
    """`{"provenance": {...}, "events": [...]}`; without a provenance, the bare list (the old shape)."""
    records = event_records(events, sources, layout)
    if provenance is None:
        return json.dumps(records, ensure_ascii=False, indent=2) + "\n"
    return to_json_document({"events": records}, provenance.with_table("events", len(records), layout))


# --- Stances and casualty tables -----------------------------------------------------------------------------------


def stance_evidence_frame(
    matrix: pd.DataFrame,
    *,
    as_of: dt.date,
    actors: Sequence[tuple[str, str]],
    issues: Sequence[tuple[str, str]],
    sources: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per matrix cell (actor x issue) as of `as_of`: the position, when stated, the evidence and sources.

    `matrix` is `data.metrics.stance_matrix` (the latest stance per cell); cells with no evidence are kept, blank.
    """
    table = _source_table(sources)
    by_cell = {(r["actor"], r["issue"]): r for r in matrix.to_dict(orient="records")}
    rows = []
    for actor, actor_name in actors:
        for issue, issue_name in issues:
            found = by_cell.get((actor, issue))
            row: dict[str, Any] = {"actor_id": actor, "actor": actor_name, "issue_id": issue, "issue": issue_name}
            if found is None:
                row.update(position="", stated_on="", days_before_as_of=None, evidence="", stance_id="")
                cited: list[dict[str, Any]] = []
            else:
                stated = pd.Timestamp(found["date"]).date()
                row.update(
                    position=found["position"],
                    stated_on=stated.isoformat(),
                    days_before_as_of=(as_of - stated).days,
                    evidence=found["evidence"],
                    stance_id=found.get("id", ""),
                )
                cited = _cited(
                    found.get("source_ids") or ("",) * len(found["source_urls"]), found["source_urls"], table
                )
                if not table:  # no source table: keep the labels the frame has
                    labels = list(found.get("source_labels") or ())
                    cited = [{**c, "publisher": (labels[n] if n < len(labels) else "")} for n, c in enumerate(cited)]
            row["source_publishers"] = LIST_SEPARATOR.join(_publisher(s) for s in cited)
            row["source_titles"] = LIST_SEPARATOR.join(str(s.get("title") or "") for s in cited)
            row["source_published"] = LIST_SEPARATOR.join(str(s.get("published") or "") for s in cited)
            row["source_urls"] = " ".join(str(s.get("url") or "") for s in cited)
            row["source_tiers"] = " ".join(str(s["tier"]) for s in cited if s.get("tier") is not None)
            rows.append(row)
    frame = pd.DataFrame(rows)
    frame["days_before_as_of"] = frame["days_before_as_of"].astype("Int64")
    return frame


def stance_matrix_wide(evidence: pd.DataFrame) -> pd.DataFrame:
    """The matrix itself: one row per actor, one column per issue, each cell the position (blank: no evidence)."""
    wide = evidence.pivot_table(
        index=["actor_id", "actor"], columns="issue", values="position", aggfunc="first", sort=False
    )
    issues = list(dict.fromkeys(evidence["issue"]))
    return wide.reindex(columns=issues).fillna("").reset_index().rename_axis(columns=None)


def stances_json(evidence: pd.DataFrame, provenance: Provenance, *, as_of: dt.date) -> str:
    records = frame_records(evidence)
    for row in records:
        for key in ("source_publishers", "source_titles", "source_published"):
            row[key] = row[key].split(LIST_SEPARATOR) if row[key] else []
        row["source_urls"] = row["source_urls"].split()
        row["source_tiers"] = [int(t) for t in row["source_tiers"].split()]
    matrix = frame_records(stance_matrix_wide(evidence))
    return to_json_document(
        {"as_of": as_of.isoformat(), "matrix": matrix, "evidence": records},
        provenance.with_table("stances", len(records)),
    )


def tables_json(tables: dict[str, pd.DataFrame], provenance: Provenance) -> str:
    """Several tables in one JSON document (e.g. the Casualties page's three), each as a list of rows."""
    rows = sum(len(t) for t in tables.values())
    return to_json_document(
        {name: frame_records(t) for name, t in tables.items()}, provenance.with_table(",".join(tables), rows)
    )


def tracker_comparison_frame(
    trackers: pd.DataFrame, running: pd.DataFrame, sources: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Each tracker snapshot beside our own running totals on its date (`data.metrics.cumulative`), with sources.

    Trackers count different units (see `unit`), so `killed_difference` is a pointer to read the unit, not an error.
    """
    table = _source_table(sources)
    ours = running.sort_values("date").reset_index(drop=True) if not running.empty else running
    rows = []
    for snap in trackers.sort_values(["as_of", "tracker"]).to_dict(orient="records"):
        as_of = pd.Timestamp(snap["as_of"])
        before = ours.loc[ours["date"] <= as_of] if not ours.empty else ours
        mine = before.iloc[-1] if len(before) else None
        cited = _cited(("",) * len(snap["source_urls"]), snap["source_urls"], table)
        rows.append(
            {
                "as_of": as_of.strftime("%Y-%m-%d"),
                "tracker": snap["tracker"],
                "unit": snap["unit"],
                "strikes": snap["strikes"],
                "vessels": snap["vessels"],
                "killed": snap["killed"],
                "survivors": snap["survivors"],
                "ours_strikes": None if mine is None else mine["strikes"],
                "ours_vessels": None if mine is None else mine["vessels"],
                "ours_killed": None if mine is None else mine["killed"],
                "ours_survivors": None if mine is None else mine["survivors"],
                "killed_difference": None
                if mine is None or pd.isna(snap["killed"])
                else int(snap["killed"]) - int(mine["killed"]),
                "best_tier": snap.get("best_tier"),
                "source_publishers": LIST_SEPARATOR.join(_publisher(s) for s in cited),
                "source_titles": LIST_SEPARATOR.join(str(s.get("title") or "") for s in cited),
                "source_urls": " ".join(str(s.get("url") or "") for s in cited),
            }
        )
    frame = pd.DataFrame(rows)
    counts = ("strikes", "vessels", "killed", "survivors", "ours_strikes", "ours_vessels", "ours_killed")
    for column in (*counts, "ours_survivors", "killed_difference", "best_tier"):
        if column in frame:
            frame[column] = pd.to_numeric(frame[column]).astype("Int64")
    return frame


def casualty_tables(
    by_theater: pd.DataFrame, by_month: pd.DataFrame, trackers: pd.DataFrame
) -> dict[str, pd.DataFrame]:
    """The Casualties page's tables, ready to export (months as YYYY-MM)."""
    months = by_month.copy()
    if "month" in months and not months.empty:
        months["month"] = pd.to_datetime(months["month"]).dt.strftime("%Y-%m")
    return {"by_theater": by_theater.reset_index(drop=True), "by_month": months, "tracker_comparison": trackers}
