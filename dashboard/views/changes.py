"""What changed: everything that became public between two dates, ready to brief a meeting."""

import datetime as dt
from typing import Any

import streamlit as st

from components.style import CATEGORY_LABELS, THEATER_LABELS
from dashboard.context import load, md_escape, page_header, source_links
from dashboard.derived import changes
from dashboard.last_visit import LAST_VISIT_KEY, previous_record_end
from dashboard.url_state import publish_one, seed_date
from data.changes import rows, to_csv, to_json, to_markdown

KEY_SINCE, KEY_UNTIL = "since", "until"
DEFAULT_WINDOW = dt.timedelta(days=30)

loaded = load()
page_header("What changed", loaded)
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
since = left.date_input("Since (after)", min_value=first, max_value=end, key=KEY_SINCE, format="YYYY-MM-DD")
until = right.date_input(
    "Until (up to and including)", min_value=first, max_value=end, key=KEY_UNTIL, format="YYYY-MM-DD"
)
visit.button(
    "Since my last visit",
    on_click=_since_last_visit,
    disabled=previous_end is None,
    key="since_last_visit",
    help=(
        f"Your last visit from this browser saw the record up to {previous_end:%d %b %Y}."
        if previous_end
        else "Nothing remembered yet: this browser has not opened this page before."
    )
    + " Remembered in your browser only, never on the server.",
)
since = since or end - DEFAULT_WINDOW
until = until or end
if until < since:
    st.warning(f"'Until' ({until}) was before 'since' ({since}); the window is shown the right way round.")
    since, until = until, since
publish_one(KEY_SINCE, since.isoformat())
publish_one(KEY_UNTIL, None if until == end else until.isoformat())
st.caption(
    f"Everything that became public after {since:%d %b %Y} and up to {until:%d %b %Y}: new events, revised facts, "
    f"new stances and tracker totals. The record ends on {end:%d %b %Y}; after that date nothing is known to it."
)

report = changes(loaded, since, until)
row: Any  # a row tuple of one of the report's frames
st.subheader(report.headline())
before, after = report.before, report.after
columns = st.columns(4)
for column, label, old, new in (
    (columns[0], "Strikes", before.strikes, after.strikes),
    (columns[1], "Boats hit", before.vessels, after.vessels),
    (columns[2], "People killed", before.killed, after.killed),
    (columns[3], "Presumed dead", before.presumed_dead, after.presumed_dead),
):
    column.metric(label, new, delta=new - old, delta_color="off", border=True)
    column.caption(f"as known on {since:%d %b %Y}: {old} · boat-strike campaign, as announced")

if report.empty:
    st.info("Nothing became public in this window.")


def _tuples(frame: Any) -> list[Any]:
    """Rows as named tuples (typed loosely: the frames' columns are documented in data.frames)."""
    return list(frame.itertuples())


def _event_link(event_id: str, text: str) -> str:
    return f"[{md_escape(text)}](timeline?event={event_id})"


if len(report.new_strikes):
    st.markdown(f"#### New strikes ({len(report.new_strikes)})")
    st.markdown(
        "\n".join(
            f"- {row.date:%d %b %Y} · {THEATER_LABELS.get(row.theater, row.theater)} · "
            f"{_event_link(row.id, row.title)} · **{row.killed} killed**, {row.vessels} boat(s) · "
            f"first reported {row.first_reported:%d %b %Y}"
            for row in _tuples(report.new_strikes)
        )
    )
if len(report.new_events):
    st.markdown(f"#### New events ({len(report.new_events)})")
    st.markdown(
        "\n".join(
            f"- {row.date:%d %b %Y} · {CATEGORY_LABELS.get(row.category, row.category)} · "
            f"{'★ ' if row.milestone else ''}{_event_link(row.id, row.title)}"
            for row in _tuples(report.new_events)
        )
    )
if len(report.revisions):
    st.markdown(f"#### Revised facts ({len(report.revisions)})")
    for row in _tuples(report.revisions):
        st.markdown(
            f"- {row.known:%d %b %Y} · **{md_escape(row.label)}** · `{row.field}`: "
            f"{md_escape(str(row.old))} → {md_escape(str(row.new))} · {md_escape(row.note)}\n"
            + "\n".join("  " + line for line in source_links(row.source_urls, row.source_labels).splitlines())
        )
if len(report.stances):
    st.markdown(f"#### New stances ({len(report.stances)})")
    st.markdown(
        "\n".join(
            f"- {row.first_reported:%d %b %Y} · **{md_escape(row.actor_name)}** on {md_escape(row.issue_name)}: "
            f"{row.previous_position or 'no evidence'} → **{row.position}** · {md_escape(row.evidence)}"
            for row in _tuples(report.stances)
        )
    )
if len(report.trackers):
    st.markdown(f"#### New tracker totals ({len(report.trackers)})")
    st.markdown(
        "\n".join(
            f"- {row['known']} · {md_escape(row['what'])}: {row['new']}"
            for row in rows(report)
            if row["change"] == "tracker total"
        )
    )

name = f"crisis-monitor-changes-{since.isoformat()}_{until.isoformat()}"
downloads = st.columns(3)
downloads[0].download_button("Digest (Markdown)", to_markdown(report), f"{name}.md", "text/markdown", key="dl_md")
downloads[1].download_button("Changes (CSV)", to_csv(report), f"{name}.csv", "text/csv", key="dl_csv")
downloads[2].download_button("Changes (JSON)", to_json(report), f"{name}.json", "application/json", key="dl_json")
