"""Small Streamlit pieces shared by pages: counters, the event detail card, table column configs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from components.style import CATEGORY_LABELS, GRADE_LABELS, THEATER_LABELS, for_the_room
from dashboard import presenter
from dashboard.context import Loaded, md_escape, newest_first, source_links, view_key
from dashboard.derived import cached_figure
from dashboard.i18n import chart_config, column, column_help, count, day, label_of, lang, t
from data.changes import revision_value
from data.metrics import CasualtySummary


def view_chart(
    loaded: Loaded,
    figure: str,
    build: Callable[[], go.Figure],
    *,
    key: str,
    alt: str,
    variant: tuple[str, ...] = (),
    **options: Any,
) -> Any:
    """A full-width chart whose figure is built once per view and shared: the cache key is the data version, the
    filters and `variant` (the page's own choices the figure depends on, e.g. the timeline's lanes)."""
    if presenter.is_on():  # the same figure laid out for a room: large type, at most a screen tall
        size = presenter.type_size()
        shared = cached_figure(
            figure, (*view_key(loaded), *variant, f"present-{size}"), lambda: for_the_room(build(), size=size)
        )
    else:
        shared = cached_figure(figure, (*view_key(loaded), *variant), build)
    options["config"] = {**chart_config(), **options.get("config", {})}  # Plotly's toolbar in the reader's language
    return st.plotly_chart(shared, key=key, width="stretch", alt=alt, **options)


def casualty_counters(summary: CasualtySummary, as_of: dt.date) -> None:
    """The four headline counters of the boat-strike campaign, each with its unit, as-of date and sources.

    `as_of` is the date the shown record speaks for (the coverage end, or earlier), never today's date.
    """
    basis = t("as announced · as of {day} · {n} sources", day=day(as_of), n=summary.source_count)
    killed_range = (
        t("reported range {low}–{high}", low=summary.killed_low, high=summary.killed_high)
        if summary.has_range
        else t("no range reported")
    )
    st.markdown(t("**The boat-strike campaign** (2 Sep 2025 on) · figures as announced"))
    columns = st.columns(4)
    columns[0].metric(
        t("Strikes"),
        summary.strikes,
        help=t("Separate lethal engagements on boats announced by the US government."),
        border=True,
    )
    columns[0].caption(t("{n} announcements", n=summary.announcements) + f" · {basis}")
    columns[1].metric(t("Boats hit"), summary.vessels, help=t("Vessels struck, as announced."), border=True)
    columns[1].caption(basis)
    columns[2].metric(
        t("People killed"),
        summary.killed,
        help=t(
            "Dead of the boat-strike campaign as announced by the US government. Survivors later never found are "
            "not included (see 'presumed dead'); the dead of the 3 Jan 2026 raid in Caracas are a separate, disputed "
            "figure shown with that event, never added here."
        ),
        border=True,
    )
    columns[2].caption(f"{basis} · {killed_range}")
    columns[3].metric(
        t("Survivors"),
        summary.survived,
        help=t(
            "People reported alive after the engagement. Survivors of a first strike killed by a follow-up strike "
            "({n}) are among the dead, not here; survivors later never found are counted here and also as "
            "'presumed dead'.",
            n=summary.killed_later,
        ),
        border=True,
    )
    columns[3].caption(t("alive after the strike · {n} later presumed dead", n=summary.presumed_dead) + f" · {basis}")
    st.caption(
        t(
            "{strong} of {total} strike records rest on at least one tier 1–2 source (the authority's own words, "
            "the originating outlet, or a faithful copy naming it). After {day} the record is unknown, not quiet.",
            strong=summary.strong_records,
            total=summary.announcements,
            day=day(as_of),
        )
    )


def event_detail(row: pd.Series, revisions: pd.DataFrame | None = None) -> None:
    """Everything known about one event, with clickable sources and the trail of its revisions (`revisions`:
    rows of `loaded.revisions` for this event, already limited to what was known on the chosen date)."""
    with st.container(border=True):
        st.subheader(md_escape(row["title"]))
        facts = [
            (day(row["date"], "month") + " " + t("(month only)"))
            if row["date_precision"] == "month"
            else day(row["date"]),
            label_of(CATEGORY_LABELS, row["category"]),
            label_of(THEATER_LABELS, row["theater"]),
            md_escape(row["location"]),
        ]
        st.markdown(" · ".join(facts))
        dates = t("First reported {day}", day=day(row["first_reported"]))
        if row["last_updated"] != row["first_reported"]:
            dates += " · " + t(
                "last updated {day} ({n} revision(s))", day=day(row["last_updated"]), n=row["revision_count"]
            )
        st.caption(dates)
        st.markdown(md_escape(row["summary"]))
        if row["category"] == "strike":
            figures = t(
                "**Strikes** {strikes} · **boats** {boats} · **killed (as announced)** {killed} · **survivors** "
                "{survivors} · **presumed dead** {presumed}",
                strikes=row["strikes"],
                boats=row["vessels"],
                killed=row["killed"],
                survivors=row["survivors"],
                presumed=row["presumed_dead"],
            )
            if row["killed_low"] != row["killed"] or row["killed_high"] != row["killed"]:
                figures += " · " + t("**reported range** {low}–{high}", low=row["killed_low"], high=row["killed_high"])
            st.markdown(figures)
            st.caption(
                t(
                    "Announced by {who} on {day} · grade: {grade}",
                    who=md_escape(row["announced_by"]),
                    day=day(row["announced_on"]),
                    grade=label_of(GRADE_LABELS, row["grade"]),
                )
                + (
                    " · " + t("outlets' running number: {n}", n=row["running_number"])
                    if not pd.isna(row["running_number"])
                    else ""
                )
            )
            if isinstance(row["figure_note"], str) and row["figure_note"]:
                st.info(md_escape(row["figure_note"]))
            if isinstance(row["weak_sourcing"], str) and row["weak_sourcing"]:
                st.warning(t("Weakly sourced:") + " " + md_escape(row["weak_sourcing"]))
        if row["actor_names"]:
            st.caption(t("Actors:") + " " + md_escape(row["actor_names"]))
        st.markdown(t("**Sources**") + "\n\n" + source_links(row["source_urls"], row["source_labels"]))
        if revisions is not None and len(revisions):
            st.markdown(t("**How this record changed** (as later reported, oldest first)"))
            item: Any
            for item in revisions.sort_values("known").itertuples():
                st.markdown(
                    f"- {day(item.known)} · `{item.field}`: {md_escape(revision_value(item.old, lang()))} → "
                    f"{md_escape(revision_value(item.new, lang()))} · {md_escape(item.note)}\n"
                    + "\n".join("  " + line for line in source_links(item.source_urls, item.source_labels).splitlines())
                )


def lazy_expander(label: str, key: str) -> Any:
    """A closed expander whose content is built only once opened (check `.open`).

    For tables below a page's charts: a data grid brings 1.2 MB of the browser's table code into the page, and
    drawing it on every visit slowed the Casualties page by about a fifth (measured by `./dev.sh bench`); opened,
    it is one click away and stays open while the filters change.
    """
    return st.expander(label, key=key, on_change="rerun")


# Tables show at most this many rows: a browser table of 100,000 rows costs megabytes per rerun.
TABLE_ROW_LIMIT = 1000


def row_limit_note(shown: int, total: int) -> None:
    if shown < total:
        st.caption(
            t(
                "Showing the {shown} most recent of {total} rows; narrow the filters or download the CSV for all.",
                shown=count(shown),
                total=count(total),
            )
        )


def most_recent(events: pd.DataFrame, limit: int) -> pd.DataFrame:
    """The `limit` latest rows, newest first, without sorting (copying) the whole frame."""
    return events.iloc[newest_first(events["date"].to_numpy(), limit)]


def event_table_frame(events: pd.DataFrame, limit: int = TABLE_ROW_LIMIT) -> pd.DataFrame:
    """What the event tables show: newest first (at most `limit`), labels instead of codes, first source linked.
    Figures stay numbers (they sort as numbers); a missing one is drawn blank by `GRID_OPTIONS`' placeholder.
    Headers and widths come from `event_table_config(frame)`."""
    frame = most_recent(events, limit)
    return pd.DataFrame(
        {
            "date": frame["date"].dt.date,
            "category": frame["category"].map(lambda c: label_of(CATEGORY_LABELS, c)),
            "theater": frame["theater"].map(lambda c: label_of(THEATER_LABELS, c)),
            "title": frame["title"],
            "killed": frame["killed"],
            "survivors": frame["survivors"],
            "sources": frame["source_urls"].map(len),
            "best_tier": frame["best_tier"],
            "first_source": frame["source_urls"].map(lambda urls: urls[0] if urls else None),
            "id": frame["id"],
        }
    ).reset_index(drop=True)


def event_table_config(frame: pd.DataFrame, *, selectable: bool = False) -> dict[str, Any]:
    """Readable, translated headers of `event_table_frame`, every column wide enough to show whole at 1600 px
    except the title, which takes the rest (the id column stays hidden). `selectable`: the grid has row selection,
    whose check-box column takes room too."""
    open_link = t("open ↗")
    widths = fitted_widths(
        {
            "date": (t("Date"), [DATE_SAMPLE]),
            "category": (t("Category"), frame["category"]),
            "theater": (column("Theater"), frame["theater"]),
            "killed": (t("Killed"), frame["killed"]),
            "survivors": (column("Survivors"), frame["survivors"]),
            "sources": (t("Sources"), frame["sources"]),
            "best_tier": (t("Best source tier"), frame["best_tier"]),
            "first_source": (t("First source"), [open_link]),
        },
        free=["title"],
        total=PAGE_GRID_WIDTH - (ROW_MARKER_WIDTH if selectable else 0),
    )
    return {
        "date": st.column_config.DateColumn(t("Date"), format="YYYY-MM-DD", width=widths["date"]),
        "category": st.column_config.TextColumn(t("Category"), width=widths["category"]),
        "theater": st.column_config.TextColumn(column("Theater"), width=widths["theater"], help=column_help("Theater")),
        "title": st.column_config.TextColumn(t("Title"), width=widths["title"], help=free_text_help()),
        "killed": st.column_config.NumberColumn(t("Killed"), width=widths["killed"]),
        "survivors": st.column_config.NumberColumn(
            column("Survivors"), width=widths["survivors"], help=column_help("Survivors")
        ),
        "sources": st.column_config.NumberColumn(t("Sources"), width=widths["sources"]),
        "best_tier": st.column_config.NumberColumn(t("Best source tier"), width=widths["best_tier"]),
        "first_source": st.column_config.LinkColumn(
            t("First source"), display_text=open_link, width=widths["first_source"]
        ),
        "id": None,
    }


# --- data grids: every column whole at 1600 px ----------------------------------------------------------------
# st.dataframe draws on a canvas and sizes a column to its content only up to a cap, then the grid scrolls
# sideways: at 1600x1000 with the sidebar open the Casualties strike records hid four columns. So each table sets
# its widths: a label, date, number or name column exactly as wide as its widest text (header included, in the
# reader's language), free text (titles, notes) sharing what is left of the grid. Widths are estimated from the
# grid's 14 px Source Sans; a test in the browser checks that no table scrolls sideways.

# Grid widths at 1600x1000 with the sidebar open: inside an expander (1104 px) and straight on a page (1138 px).
GRID_WIDTH = 1100
PAGE_GRID_WIDTH = 1134
ROW_MARKER_WIDTH = 36  # the check-box column of a grid with row selection
# Free text never narrower than this; the full text is one double-click (or Enter) away in the grid's overlay.
FREE_TEXT_MIN = 100
DATE_SAMPLE = "2026-06-22"
# Missing values drawn blank instead of a grey "None" (st.dataframe's placeholder; the column keeps its type, so
# numbers still sort as numbers). Pass to every st.dataframe: `st.dataframe(frame, **GRID_OPTIONS, ...)`.
GRID_OPTIONS: dict[str, Any] = {"placeholder": "", "hide_index": True}
_NARROW = set("iljtfr.,:;'|!()[] ")
_WIDE = set("mwMW@%")
_CELL_PADDING = 18  # the grid's 8 px each side, and a little room
_HEADER_PADDING = 22  # the same, and room for the sort arrow


def free_text_help() -> str:
    """The header tooltip of a free-text column."""
    return t("Long text may end in '…': double-click the cell (or select it and press Enter) to read it whole.")


def text_width(text: str) -> int:
    """An estimate, a little generous, of `text`'s width in pixels in the grid's font."""
    width = 0.0
    for char in text:
        if char in _NARROW:
            width += 4.0
        elif char in _WIDE or char.isupper():
            width += 9.5
        elif char.isdigit():
            width += 7.5
        else:
            width += 7.2
    return round(width)


def fitted_width(header: str, values: Any = ()) -> int:
    """Pixels for a column that shows `header` and each of `values` whole (missing values count as blank)."""
    cells = [text_width(_cell_text(value)) + _CELL_PADDING for value in values]
    return max([text_width(header) + _HEADER_PADDING, *cells])


def _cell_text(value: Any) -> str:
    return "" if value is None or (not isinstance(value, (list, tuple)) and pd.isna(value)) else str(value)


def fitted_widths(
    fixed: dict[str, tuple[str, Any]], *, free: list[str], total: int = GRID_WIDTH, caps: dict[str, int] | None = None
) -> dict[str, int]:
    """Widths for `fixed` columns (header, values) that show them whole — or at most `caps[name]` pixels for a
    column of names that can be long, its full text then in the grid's overlay — and an equal share of what is left
    of `total` for each `free` (free-text) column, never under FREE_TEXT_MIN."""
    caps = caps or {}
    widths = {
        name: min(fitted_width(header, values), caps.get(name, 10_000)) for name, (header, values) in fixed.items()
    }
    if free:
        share = max(FREE_TEXT_MIN, (total - sum(widths.values())) // len(free))
        widths.update(dict.fromkeys(free, share))
    return widths


def _killed_range(row: Any) -> str | None:
    low, high, killed = row.killed_low, row.killed_high, row.killed
    if (pd.isna(low) or low == killed) and (pd.isna(high) or high == killed):
        return None
    return f"{'' if pd.isna(low) else low}–{'' if pd.isna(high) else high}"


def strike_records_table(records: pd.DataFrame) -> pd.DataFrame:
    """The Casualties page's strike records: one row per announcement, labels instead of codes. The low and high
    figures share one "range" column, filled only where sources differ (they equal the figure otherwise): two
    mostly-empty columns cost the grid the width that lets every other column show whole at 1600 px."""
    return pd.DataFrame(
        {
            "date": records["date"].dt.date,
            "theater": records["theater"].map(lambda code: label_of(THEATER_LABELS, code)),
            "title": records["title"],
            "strikes": records["strikes"],
            "vessels": records["vessels"],
            "killed": records["killed"],
            "killed_range": [_killed_range(row) for row in records.itertuples()],
            "survivors": records["survivors"],
            "presumed_dead": records["presumed_dead"],
            "grade": records["grade"].map(lambda code: label_of(GRADE_LABELS, code)),
            "announced_by": records["announced_by"],
            "first_source": records["source_urls"].map(lambda urls: urls[0] if urls else None),
        }
    ).reset_index(drop=True)


# Figure columns whose header `column()` may shorten in a language: the message whose full words become the tooltip.
_SHORTENED = {"vessels": "Boats", "survivors": "Survivors"}


def _number_columns(headers: dict[str, str], widths: dict[str, int], names: tuple[str, ...]) -> dict[str, Any]:
    """Number-column configs for `names`, a shortened header carrying its full words as the tooltip."""
    return {
        name: st.column_config.NumberColumn(
            headers[name], width=widths[name], help=column_help(_SHORTENED[name]) if name in _SHORTENED else None
        )
        for name in names
    }


def tracker_snapshots_table(trackers: pd.DataFrame) -> pd.DataFrame:
    """Other trackers' published totals as the Casualties page lists them: one row per snapshot, its first source."""
    columns = ["as_of", "tracker", "strikes", "vessels", "killed", "survivors", "unit", "best_tier", "source_urls"]
    return trackers[columns].assign(source_urls=trackers["source_urls"].map(lambda urls: urls[0]))


def tracker_snapshots_config(table: pd.DataFrame) -> dict[str, Any]:
    """Headers and widths of a `tracker_snapshots_table` (each header written once: it sets its column's width)."""
    open_link = t("open ↗")
    headers = {
        "as_of": t("As of"),
        "tracker": t("Tracker"),
        "strikes": t("Strikes"),
        "vessels": column("Boats"),
        "killed": t("Killed"),
        "survivors": column("Survivors"),
        "best_tier": t("Best source tier"),
        "source_urls": t("Source"),
    }
    samples: dict[str, Any] = {"as_of": [DATE_SAMPLE], "source_urls": [open_link]}
    widths = fitted_widths(
        {name: (header, samples.get(name, table[name])) for name, header in headers.items()}, free=["unit"]
    )
    return _number_columns(headers, widths, ("strikes", "vessels", "killed", "survivors", "best_tier")) | {
        "as_of": st.column_config.DateColumn(headers["as_of"], format="YYYY-MM-DD", width=widths["as_of"]),
        "tracker": st.column_config.TextColumn(headers["tracker"], width=widths["tracker"]),
        "unit": st.column_config.TextColumn(t("What it counts"), width=widths["unit"], help=free_text_help()),
        "source_urls": st.column_config.LinkColumn(
            headers["source_urls"], display_text=open_link, width=widths["source_urls"]
        ),
    }


def strike_records_config(table: pd.DataFrame) -> dict[str, Any]:
    """Headers and widths of a `strike_records_table`."""
    open_link = t("open ↗")
    headers = {
        "date": t("Date"),
        "theater": column("Theater"),
        "strikes": t("Strikes"),
        "vessels": column("Boats"),
        "killed": t("Killed"),
        "killed_range": t("Range"),
        "survivors": column("Survivors"),
        "presumed_dead": t("Presumed dead"),
        "grade": t("Grade"),
        "first_source": t("Source"),
    }
    samples: dict[str, Any] = {"date": [DATE_SAMPLE], "first_source": [open_link]}
    widths = fitted_widths(
        {name: (header, samples.get(name, table[name])) for name, header in headers.items()},
        free=["title", "announced_by"],
    )
    return _number_columns(headers, widths, ("strikes", "vessels", "killed", "survivors", "presumed_dead")) | {
        "date": st.column_config.DateColumn(headers["date"], format="YYYY-MM-DD", width=widths["date"]),
        "theater": st.column_config.TextColumn(
            headers["theater"], width=widths["theater"], help=column_help("Theater")
        ),
        "title": st.column_config.TextColumn(t("Title"), width=widths["title"], help=free_text_help()),
        "killed_range": st.column_config.TextColumn(
            headers["killed_range"],
            width=widths["killed_range"],
            help=t("Lowest and highest figure where sources differ; blank where they agree."),
        ),
        "grade": st.column_config.TextColumn(headers["grade"], width=widths["grade"]),
        "announced_by": st.column_config.TextColumn(
            t("Announced by"), width=widths["announced_by"], help=free_text_help()
        ),
        "first_source": st.column_config.LinkColumn(
            headers["first_source"], display_text=open_link, width=widths["first_source"]
        ),
    }
