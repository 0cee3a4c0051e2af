"""What changed: everything that became public between two dates, ready to brief a meeting."""

import datetime as dt
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import streamlit as st

from components.style import CATEGORY_LABELS, POSITION_LABELS, THEATER_LABELS
from dashboard.context import load, md_escape, page_header, source_links
from dashboard.derived import changes
from dashboard.i18n import day, label_of, lang, t
from dashboard.last_visit import LAST_VISIT_KEY, previous_record_end
from dashboard.url_state import publish_one, seed_date
from data.changes import revision_value, to_csv, to_json, to_markdown, tracker_figures

KEY_SINCE, KEY_UNTIL = "since", "until"
DEFAULT_WINDOW = dt.timedelta(days=30)

loaded = load()
page_header(t("What changed"), loaded)
first = loaded.first_date
end = loaded.coverage_end
seed_date(KEY_SINCE, lowest=first, highest=end)
seed_date(KEY_UNTIL, lowest=first, highest=end)
st.session_state.setdefault(KEY_SINCE, end - DEFAULT_WINDOW)
st.session_state.setdefault(KEY_UNTIL, end)
# Hidden helper (constant CSS): the browser-side memory of the last visit draws nothing.
st.html(f"<style>.st-key-{LAST_VISIT_KEY} {{ display: none; }}</style>")
previous_end = previous_record_end(end)


def _since_last_visit() -> None:
    if previous_end is not None:
        st.session_state[KEY_SINCE] = min(max(previous_end, first), end)
        st.session_state[KEY_UNTIL] = end


left, right, visit = st.columns([1, 1, 2], vertical_alignment="bottom")
since = left.date_input(t("Since (after)"), min_value=first, max_value=end, key=KEY_SINCE, format="YYYY-MM-DD")
until = right.date_input(
    t("Until (up to and including)"), min_value=first, max_value=end, key=KEY_UNTIL, format="YYYY-MM-DD"
)
visit.button(
    t("Since my last visit"),
    on_click=_since_last_visit,
    disabled=previous_end is None,
    key="since_last_visit",
    help=(
        t("Your last visit from this browser saw the record up to {day}.", day=day(previous_end))
        if previous_end
        else t("Nothing remembered yet: this browser has not opened this page before.")
    )
    + " "
    + t("Remembered in your browser only, never on the server."),
)
since = since or end - DEFAULT_WINDOW
until = until or end
if until < since:
    st.warning(
        t(
            "'Until' ({until}) was before 'since' ({since}); the window is shown the right way round.",
            until=until,
            since=since,
        )
    )
    since, until = until, since
publish_one(KEY_SINCE, since.isoformat())
publish_one(KEY_UNTIL, None if until == end else until.isoformat())
st.caption(
    t(
        "Everything that became public after {since} and up to {until}: new events, revised facts, new stances and "
        "tracker totals. The record ends on {end}; after that date nothing is known to it.",
        since=day(since),
        until=day(until),
        end=day(end),
    )
)

report = changes(loaded, since, until)
row: Any  # a row tuple of one of the report's frames
st.subheader(report.headline(lang()))
before, after = report.before, report.after
columns = st.columns(4)
for column, label, old, new in (
    (columns[0], t("Strikes"), before.strikes, after.strikes),
    (columns[1], t("Boats hit"), before.vessels, after.vessels),
    (columns[2], t("People killed"), before.killed, after.killed),
    (columns[3], t("Presumed dead"), before.presumed_dead, after.presumed_dead),
):
    column.metric(label, new, delta=new - old, delta_color="off", border=True)
    column.caption(t("as known on {day}: {n} · boat-strike campaign, as announced", day=day(since), n=old))

if report.empty:
    st.info(t("Nothing became public in this window."))


# At most this many items per section on the page (a window over 100,000 synthetic events would draw for seconds);
# the downloads hold everything.
LIST_LIMIT = 50


def _tuples(frame: Any) -> list[Any]:
    """The first LIST_LIMIT rows as named tuples (typed loosely: the frames' columns are documented in data.frames)."""
    return list(frame.head(LIST_LIMIT).itertuples())


def _more(total: int) -> None:
    if total > LIST_LIMIT:
        st.caption(t("… and {n} more: the downloads below hold every change.", n=total - LIST_LIMIT))


# The filters and the language every event link keeps (not this page's window), read once per run.
_SHARED = {k: st.query_params.get_all(k) for k in st.query_params if k not in (KEY_SINCE, KEY_UNTIL)}


def _event_link(event_id: str, text: str) -> str:
    """A link to the event's detail on the Timeline, keeping the filters and the language (not this page's window)."""
    return f"[{md_escape(text)}](timeline?{urlencode({**_SHARED, 'event': event_id}, doseq=True)})"


def _section(title: str, frame: Any, line: Callable[[Any], str]) -> None:
    """A heading with the count, one Markdown line per change (the first LIST_LIMIT), and how many more there are."""
    if not len(frame):
        return
    st.markdown("#### " + title.format(n=len(frame)))
    st.markdown("\n".join(line(row) for row in _tuples(frame)))
    _more(len(frame))


no_evidence = t("no evidence")
_section(
    t("New strikes ({n})"),
    report.new_strikes,
    lambda row: (
        f"- {day(row.date)} · {label_of(THEATER_LABELS, row.theater)} · {_event_link(row.id, row.title)} · "
        + t(
            "**{killed} killed**, {boats} boat(s) · first reported {day}",
            killed=row.killed,
            boats=row.vessels,
            day=day(row.first_reported),
        )
    ),
)
_section(
    t("New events ({n})"),
    report.new_events,
    lambda row: (
        f"- {day(row.date)} · {label_of(CATEGORY_LABELS, row.category)} · "
        f"{'★ ' if row.milestone else ''}{_event_link(row.id, row.title)}"
    ),
)
_section(
    t("Revised facts ({n})"),
    report.revisions,
    lambda row: (
        f"- {day(row.known)} · **{md_escape(row.label)}** · `{row.field}`: "
        f"{md_escape(revision_value(row.old, lang()))} → {md_escape(revision_value(row.new, lang()))} · "
        f"{md_escape(row.note)}\n"
        + "\n".join("  " + line for line in source_links(row.source_urls, row.source_labels).splitlines())
    ),
)
_section(
    t("New stances ({n})"),
    report.stances,
    lambda row: (
        f"- {day(row.first_reported)} · **{md_escape(row.actor_name)}** · {md_escape(row.issue_name)}: "
        f"{label_of(POSITION_LABELS, row.previous_position) if row.previous_position else no_evidence} → "
        f"**{label_of(POSITION_LABELS, row.position)}** · {md_escape(row.evidence)}"
    ),
)
_section(
    t("New tracker totals ({n})"),
    report.trackers,
    lambda row: (
        f"- {day(row.reported)} · "
        + md_escape(t("{tracker} as of {day} ({unit})", tracker=row.tracker, day=day(row.as_of), unit=row.unit))
        + f": {tracker_figures(row, lang())}"
    ),
)

name = f"crisis-monitor-changes-{since.isoformat()}_{until.isoformat()}"
downloads = st.columns(3)
language = lang()
# Built only when clicked: a long window's digest is not built on every run.
downloads[0].download_button(
    t("Digest (Markdown)"),
    lambda: to_markdown(report, language),
    f"{name}.md",
    "text/markdown",
    key="dl_md",
    on_click="ignore",
)
downloads[1].download_button(
    t("Changes (CSV)"), lambda: to_csv(report, language), f"{name}.csv", "text/csv", key="dl_csv", on_click="ignore"
)
downloads[2].download_button(
    t("Changes (JSON)"),
    lambda: to_json(report, language),
    f"{name}.json",
    "application/json",
    key="dl_json",
    on_click="ignore",
)
