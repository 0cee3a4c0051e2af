"""Stances: who stood where on each issue, as of a chosen date; every cell backed by dated evidence."""

from typing import Any

import plotly.graph_objects as go
import streamlit as st

from components.stances import matrix_text, stance_matrix_figure
from components.style import POSITION_LABELS, POSITION_SYMBOLS, for_the_room
from dashboard import presenter
from dashboard.context import (
    KEY_ACTOR,
    actor_labels,
    current_filters,
    issue_labels,
    known_stances,
    load,
    md_escape,
    page_header,
    source_links,
)
from dashboard.derived import cached_figure
from dashboard.exports import download, fresh, provenance
from dashboard.i18n import chart_config, day, label_of, lang, relabel_after_switch, t
from dashboard.url_state import apply_new_selection, publish_one, seed_choices, seed_date
from data.export import export_file_name, frame_to_csv, stance_evidence_frame, stance_matrix_wide, stances_json
from data.metrics import stance_history, stance_matrix

KEY_ASOF, KEY_CELL, KEY_CHART = "asof", "cell", "stance_chart"


loaded = load()
stances = known_stances(loaded)
page_header(t("Stances"), loaded)
if stances.empty:
    st.info(t("No stances are recorded yet."))
    st.stop()

# The matrix defaults to the end of the record (or the "as known on" date), never to today: after the coverage end
# the record is unknown, and a position stated long ago would look current.
first = stances["date"].min().date()
last = current_filters(loaded).known_on or loaded.coverage_end
seed_date(KEY_ASOF, lowest=first, highest=last)
st.session_state.setdefault(KEY_ASOF, last)
as_of = st.columns([1, 3])[0].date_input(
    t("As of"),
    value=None,
    min_value=first,
    max_value=last,
    key=KEY_ASOF,
    format="YYYY-MM-DD",
    help=t("Each cell shows the latest stance stated on or before this date."),
)
as_of = as_of or last
publish_one(KEY_ASOF, None if as_of == last else as_of.isoformat())
matrix = stance_matrix(stances, as_of)
wanted = set(st.session_state.get(KEY_ACTOR) or ())
with_evidence = set(stances["actor"])
actors = [(a, name) for a, name, _ in actor_labels(loaded) if a in with_evidence and (not wanted or a in wanted)]
issues = [(i, name) for i, name, _ in issue_labels(loaded)]
matrix = matrix.loc[matrix["actor"].isin([a for a, _ in actors])]

matrix_title = t("Stances as of {day}", day=day(as_of))
size = presenter.type_size() if presenter.is_on() else ""


def _matrix_figure() -> go.Figure:
    figure = stance_matrix_figure(matrix, actors=actors, issues=issues, title=matrix_title, lang=lang())
    # presenter mode: large type; the matrix keeps its height (one readable row per actor)
    return for_the_room(figure, size=size, height=None) if size else figure


chart = st.plotly_chart(
    cached_figure(
        "stances", (loaded.key, lang(), as_of.isoformat(), ",".join(a for a, _ in actors), size), _matrix_figure
    ),
    key=KEY_CHART,
    on_select="rerun",
    selection_mode="points",
    alt=matrix_text(matrix, len(actors), len(issues), lang=lang()),
    width="stretch",
    config=chart_config(),  # Plotly's toolbar in the reader's language
)
apply_new_selection(chart, KEY_CELL, join=":")
st.caption(t("Cells show the latest stance on or before the date; click a cell to see its evidence and its age."))
# The sidebar's date, category, theater and text filters do not apply to stances; actors and "as known on" do.
st.sidebar.caption(t("On this page only the Actor filter and 'As known on' apply."))

actor_names, issue_names = dict(actors), dict(issues)
cells = [f"{a}:{i}" for a, _ in actors for i, _ in issues]


def _cell_label(cell: str) -> str:
    actor, _, issue = cell.partition(":")
    return f"{actor_names.get(actor, actor)} · {issue_names.get(issue, issue)}"


seed_choices(KEY_CELL, cells, multiple=False)
if st.session_state.get(KEY_CELL) not in cells:
    st.session_state[KEY_CELL] = None
relabel_after_switch(KEY_CELL)  # the chosen cell's names in the new language after the switch
cell = st.selectbox(
    t("Cell"),
    options=cells,
    index=None,
    format_func=_cell_label,
    key=KEY_CELL,
    placeholder=t("Pick an actor and issue, or click a cell above"),
)
publish_one(KEY_CELL, cell)
if cell:
    actor, _, issue = cell.partition(":")
    current = matrix.loc[(matrix["actor"] == actor) & (matrix["issue"] == issue)]
    with st.container(border=True):
        st.subheader(md_escape(_cell_label(cell)))
        if current.empty:
            st.markdown(t("**No evidence found** on or before {day}.", day=day(as_of)))
        else:
            row: Any = current.iloc[0]
            age = (as_of - row["date"].date()).days
            st.markdown(
                f"**{POSITION_SYMBOLS[row['position']]} {label_of(POSITION_LABELS, row['position'])}** · "
                + t("stated {day} ({age} days before {as_of})", day=day(row["date"]), age=age, as_of=day(as_of))
            )
            st.markdown(md_escape(row["evidence"]))
            st.markdown(source_links(row["source_urls"], row["source_labels"]))
        history = stance_history(stances, actor, issue)
        if len(history) > 1 or (len(history) == 1 and current.empty):
            st.markdown(t("**History** (newest first; entries after the chosen date are marked)"))
            item: Any
            for item in history.itertuples():
                later = " · _" + t("after {day}", day=day(as_of)) + "_" if item.date.date() > as_of else ""
                st.markdown(
                    f"- {day(item.date)} · **{label_of(POSITION_LABELS, item.position)}**{later} · "
                    f"{md_escape(item.evidence)}\n"
                    + "\n".join("  " + line for line in source_links(item.source_urls, item.source_labels).splitlines())
                )

# Downloads: the matrix and every cell's evidence with its sources, as of the chosen date.
st.subheader(t("Download"))
export_day = as_of or last
known_on = current_filters(loaded).known_on
stance_filters = f"stances as of {export_day:%d %b %Y}" + (f"; actors: {', '.join(sorted(wanted))}" if wanted else "")
if known_on is not None:
    stance_filters += f"; as known on {known_on:%d %b %Y}"
origin = provenance(loaded, "stances", stance_filters)


def _evidence() -> Any:
    return stance_evidence_frame(matrix, as_of=export_day, actors=actors, issues=issues, sources=loaded.sources)


def _stances_name(subject: str, ext: str) -> str:
    return export_file_name(
        subject, first=export_day, last=export_day, ext=ext, actors=sorted(wanted), known_on=known_on
    )


columns = st.columns(3)
download(
    t("Matrix (CSV)"),
    lambda: frame_to_csv(stance_matrix_wide(_evidence()), fresh(origin).with_table("stance-matrix", len(actors))),
    _stances_name("stance-matrix", "csv"),
    key="download_stance_matrix",
    container=columns[0],
)
download(
    t("Evidence with sources (CSV)"),
    lambda: frame_to_csv(_evidence(), fresh(origin).with_table("stance-evidence", len(actors) * len(issues))),
    _stances_name("stance-evidence", "csv"),
    key="download_stance_evidence",
    container=columns[1],
)
download(
    t("Matrix and evidence (JSON)"),
    lambda: stances_json(_evidence(), fresh(origin), as_of=export_day),
    _stances_name("stances", "json"),
    key="download_stances_json",
    container=columns[2],
)
