"""Every page through the real entry point (AppTest): no exception, known numbers, URL filters honoured."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest
import yaml
from streamlit.testing.v1 import AppTest

from tests.app.conftest import PAGES, Runner
from tests.conftest import BUNDLED


def metrics(app) -> dict[str, str]:  # noqa: ANN001
    return {metric.label: metric.value for metric in app.metric}


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_on_the_bundled_dataset(run_app: Runner, page: str) -> None:
    app = run_app(page, data_dir=BUNDLED)
    assert app.title, f"{page} shows no title"
    assert not app.error


def test_every_page_in_one_session(run_app: Runner) -> None:
    """One analyst's session visiting each page in turn, filters kept throughout."""
    app = run_app(query={"theater": "caribbean"})
    for page in PAGES:
        app.switch_page(page).run()
        assert not app.exception, page
        assert app.session_state["theater"] == ["caribbean"]


def test_overview_counters_for_the_fixture(run_app: Runner) -> None:
    app = run_app()
    assert metrics(app) == {"Strikes": "5", "Boats hit": "6", "People killed": "29", "Survivors": "3"}
    captions = " ".join(caption.value for caption in app.caption)
    # "As of" is the end of the record (the fixture's latest report, 17 Nov), never the last strike or today.
    assert "as of 17 Nov 2025" in captions and "reported range 29–30" in captions
    assert "1 later presumed dead" in captions
    assert "3 of 3 strike records rest on at least one tier 1–2 source" in captions
    assert "After 17 Nov 2025 the record is unknown, not quiet." in captions


def test_url_filter_takes_effect(run_app: Runner) -> None:
    app = run_app(query={"theater": "caribbean", "from": "2025-11-01"})
    assert metrics(app) == {"Strikes": "1", "Boats hit": "1", "People killed": "4", "Survivors": "2"}
    # Labels, never ids, in the "Showing …" line.
    assert "Showing **Caribbean · 1 Nov 2025 – latest**" in app.caption[0].value.replace("\\", "")
    spanish = run_app(query={"theater": "eastern_pacific", "lang": "es"})
    assert "Mostrando **Pacífico oriental**" in spanish.caption[0].value.replace("\\", "")


def test_junk_url_values_are_ignored_with_a_visible_note(run_app: Runner) -> None:
    app = run_app(query={"theater": ["caribbean", "<script>"], "from": "not-a-date", "category": "x" * 5000})
    assert metrics(app)["People killed"] == "15"
    notes = " ".join(warning.value for warning in app.sidebar.warning)
    assert "'theater': ignored unknown value(s) '<script>'" in notes
    assert "'from': ignored 'not-a-date'" in notes


def test_out_of_range_dates_are_clamped_with_a_note(run_app: Runner) -> None:
    app = run_app(query={"from": "1999-01-01"})
    assert app.session_state["from"].isoformat() == "2025-09-02"
    assert any("outside the data" in warning.value for warning in app.sidebar.warning)


def test_filter_widget_changes_the_counters_and_the_url(run_app: Runner) -> None:
    app = run_app()
    app.multiselect(key="category").select("strike").run()
    app.multiselect(key="theater").select("eastern_pacific").run()
    assert metrics(app)["People killed"] == "14"
    assert app.query_params["theater"] == "eastern_pacific"
    assert app.query_params["category"] == "strike"
    app.button(key="reset_filters").click().run()
    assert metrics(app)["People killed"] == "29"
    assert "theater" not in app.query_params


def test_text_search_filters(run_app: Runner) -> None:
    app = run_app(query={"q": "survivor"})
    assert metrics(app)["People killed"] == "14"


def test_timeline_lists_events_and_shows_the_chosen_one(run_app: Runner) -> None:
    app = run_app("views/timeline.py", query={"event": "strike-2025-10-27-eastern-pacific"})
    assert app.selectbox(key="event").value == "strike-2025-10-27-eastern-pacific"
    markdown = " ".join(block.value for block in app.markdown)
    assert "https://example.org/b" in markdown and "AP, via Example Daily" in markdown
    assert "**killed (as announced)** 14" in markdown and "**reported range** 14–15" in markdown
    assert len(app.dataframe[0].value) == 5
    assert app.query_params["event"] == "strike-2025-10-27-eastern-pacific"


def test_timeline_chart_selection_opens_the_event(run_app: Runner) -> None:
    selection = {"selection": {"points": [{"customdata": ["designation-2025-11-16-fto"]}]}}
    app = run_app("views/timeline.py")
    app.session_state["timeline_chart"] = selection
    app.run()
    assert app.selectbox(key="event").value == "designation-2025-11-16-fto"


def test_timeline_event_filtered_out_is_cleared(run_app: Runner) -> None:
    app = run_app("views/timeline.py", query={"event": "strike-2025-10-27-eastern-pacific", "theater": "caribbean"})
    assert app.selectbox(key="event").value is None


def test_casualties_page_numbers_and_trackers(run_app: Runner) -> None:
    app = run_app("views/casualties.py")
    assert metrics(app)["People killed"] == "29"
    labels = [box.label for box in app.expander]
    assert "Strike records: 3 announcements (table)" in labels and not app.dataframe
    for key in ("casualties_theater_table", "casualties_tracker_table", "casualties_strike_table"):
        app.session_state[key] = True
    app.run()
    theater_table = app.dataframe[0].value.set_index("Theater")
    assert theater_table.loc["Caribbean", "Killed"] == 15
    assert theater_table.loc["Eastern Pacific", "Presumed dead"] == 1
    trackers = app.dataframe[1].value
    assert trackers["killed"].tolist() == [30]
    assert len(app.dataframe[2].value) == 3  # one row per strike announcement


def test_casualties_page_with_no_strikes(run_app: Runner) -> None:
    app = run_app("views/casualties.py", query={"category": "statement"})
    assert any("No strikes match" in info.value for info in app.info)


def test_stances_page_shows_evidence_for_a_cell(run_app: Runner) -> None:
    app = run_app("views/stances.py", query={"cell": "ve-maduro:negotiations"})
    markdown = " ".join(block.value for block in app.markdown)
    assert "Support" in markdown and "Maduro offered face\\-to\\-face talks\\." in markdown
    assert "History" in markdown and "A letter proposed talks with conditions" in markdown


def test_stances_as_of_date_changes_the_cell(run_app: Runner) -> None:
    app = run_app("views/stances.py", query={"cell": "ve-maduro:negotiations", "asof": "2025-10-01"})
    markdown = " ".join(block.value for block in app.markdown)
    assert "Mixed" in markdown and "stated 6 Sep 2025 (25 days before 1 Oct 2025)" in markdown


def test_stances_empty_cell_says_no_evidence(run_app: Runner) -> None:
    app = run_app("views/stances.py", query={"cell": "co-colombia:negotiations"})
    assert any("No evidence found" in block.value for block in app.markdown)


def test_stances_chart_selection_picks_the_cell(run_app: Runner) -> None:
    app = run_app("views/stances.py")
    app.session_state["stance_chart"] = {"selection": {"points": [{"customdata": ["co-colombia", "boat-strikes"]}]}}
    app.run()
    assert app.selectbox(key="cell").value == "co-colombia:boat-strikes"


def test_sources_page_validation_badge(run_app: Runner) -> None:
    app = run_app("views/sources.py")
    assert app.success[0].value.startswith("Validated: 18 records loaded from 12 files, 0 errors")
    assert len(app.dataframe[0].value) == 4


def test_bad_data_shows_the_validator_messages_not_a_traceback(run_app: Runner, mini_copy: Path) -> None:
    path = mini_copy / "events" / "strikes.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("killed: 11", "killed: -11"), encoding="utf-8")
    app = run_app(data_dir=mini_copy)
    assert "has 1 problem(s), so nothing is shown" in app.error[0].value
    assert "record 'strike-2025-09-02-caribbean' (item 1), field 'strike.killed'" in app.code[0].value
    assert not app.metric  # no counters pretending the data is complete


def test_map_page_lists_events_without_a_location(run_app: Runner) -> None:
    app = run_app("views/map.py", query={"color": "category"})
    assert app.query_params["color"] == "category"
    headers = [header.value for header in app.subheader]
    assert "Events without a published location (3)" in headers
    assert len(app.dataframe[0].value) == 3


def test_as_known_on_replays_the_record_with_a_banner(run_app: Runner) -> None:
    # On 30 Oct 2025 two strikes were public (11 + 14 dead); the 27 Oct survivor was still being searched for.
    app = run_app(query={"known": "2025-10-30"})
    assert metrics(app) == {"Strikes": "4", "Boats hit": "5", "People killed": "25", "Survivors": "1"}
    captions = " ".join(caption.value for caption in app.caption)
    assert "0 later presumed dead" in captions and "as of 30 Oct 2025" in captions
    assert "Record as known on 30 Oct 2025" in app.warning[0].value
    assert app.query_params["known"] == "2025-10-30"
    later = run_app(query={"known": "2025-11-03"})
    assert "1 later presumed dead" in " ".join(caption.value for caption in later.caption)
    assert not run_app().warning  # the current record has no banner


def test_as_known_on_hides_later_stances_and_tracker_totals(run_app: Runner) -> None:
    app = run_app("views/stances.py", query={"known": "2025-11-10", "cell": "ve-maduro:negotiations"})
    markdown = " ".join(block.value for block in app.markdown)
    assert "Mixed" in markdown and "Maduro offered" not in markdown  # the 17 Nov offer was not yet public
    casualties = run_app("views/casualties.py", query={"known": "2025-11-10"})
    assert any("No tracker snapshots" in info.value for info in casualties.info)


def test_strong_sources_only_changes_the_counters(run_app: Runner) -> None:
    # Every fixture strike cites a tier 1-2 source, so the counters stay; the switch is kept in the URL.
    app = run_app(query={"strong": "1"})
    assert metrics(app)["People killed"] == "29"
    assert app.checkbox(key="strong").value is True
    bad = run_app(query={"strong": "yes", "known": "not-a-date"})
    notes = " ".join(w.value for w in bad.warning)
    assert "'strong': ignored 'yes'" in notes and "'known': ignored 'not-a-date'" in notes


def test_what_changed_page_lists_the_window_with_links(run_app: Runner) -> None:
    app = run_app("views/changes.py", query={"since": "2025-10-30", "until": "2025-11-20"})
    assert app.subheader[0].value.startswith("Killed as announced 25 → 29; +1 strike in 1 announcement (Caribbean 1)")
    assert metrics(app) == {"Strikes": "5", "Boats hit": "6", "People killed": "29", "Presumed dead": "1"}
    markdown = " ".join(block.value for block in app.markdown)
    assert "(timeline?event=strike-2025-11-10-caribbean)" in markdown
    assert "strike.survivor_fates" in markdown and "Mixed → **Support**" in markdown
    assert app.query_params["since"] == "2025-10-30"


def test_what_changed_page_turns_a_reversed_window_round_with_a_note(run_app: Runner) -> None:
    app = run_app("views/changes.py", query={"since": "2025-11-20", "until": "2025-10-30"})
    assert "was before 'since'" in app.warning[0].value
    assert app.subheader[0].value.startswith("Killed as announced 25 → 29")


def test_event_detail_shows_first_reported_last_updated_and_the_revision_trail(run_app: Runner) -> None:
    app = run_app("views/timeline.py", query={"event": "strike-2025-10-27-eastern-pacific"})
    captions = " ".join(caption.value for caption in app.caption)
    assert "First reported 28 Oct 2025 · last updated 3 Nov 2025 (2 revision(s))" in captions
    markdown = " ".join(block.value for block in app.markdown)
    assert "How this record changed" in markdown
    assert "`strike.survivor_fates`: 1 missing → 1 presumed dead" in markdown
    # As known on 2 Nov, only the first revision had been reported.
    earlier = run_app("views/timeline.py", query={"event": "strike-2025-10-27-eastern-pacific", "known": "2025-11-02"})
    text = " ".join(block.value for block in earlier.markdown)
    assert "strike.killed_high" in text and "strike.survivor_fates" not in text


def test_since_my_last_visit_is_off_on_a_first_visit(run_app: Runner) -> None:
    app = run_app("views/changes.py")
    button = app.button(key="since_last_visit")
    assert button.disabled
    assert app.session_state["since"] == dt.date(2025, 10, 18)  # the record's end (17 Nov) less 30 days


def test_spanish_interface_keeps_every_number_and_the_url_ids(run_app: Runner) -> None:
    english = run_app(query={"theater": "caribbean"})
    spanish = run_app(query={"theater": "caribbean", "lang": "es"})
    assert list(metrics(spanish)) == ["Ataques", "Embarcaciones atacadas", "Personas muertas", "Sobrevivientes"]
    assert list(metrics(spanish).values()) == list(metrics(english).values())
    assert spanish.query_params["theater"] == "caribbean" and spanish.query_params["lang"] == "es"
    assert spanish.sidebar.header[0].value == "Filtros"
    bad = run_app(query={"lang": "fr"})
    assert "'lang': ignored unknown value(s) 'fr'" in " ".join(w.value for w in bad.warning)
    assert list(metrics(bad))[0] == "Strikes"


def test_overview_latest_events_link_to_their_detail_with_the_view(run_app: Runner) -> None:
    app = run_app(query={"theater": "caribbean"})
    markdown = " ".join(block.value for block in app.markdown)
    assert "](timeline?theater=caribbean&event=strike-2025-11-10-caribbean)" in markdown


def test_casualties_tables_have_readable_headers_in_either_language(run_app: Runner) -> None:
    app = run_app("views/casualties.py", query={"lang": "es"})
    assert not app.dataframe  # the tables are built only once their expander is opened
    app.session_state["casualties_theater_table"] = True
    app.run()
    theater_table = app.dataframe[0].value
    assert list(theater_table.columns)[:3] == ["Teatro de operaciones", "Anuncios", "Ataques"]
    assert set(theater_table["Teatro de operaciones"]) == {"Caribe", "Pacífico oriental"}


def test_search_matches_the_chosen_language_without_accents(run_app: Runner, mini_copy: Path) -> None:
    spanish = run_app("views/timeline.py", query={"lang": "es", "q": "lancha"})
    assert sorted(metrics_free_titles(spanish)) == [
        "Ataque en el Caribe",
        "Primer ataque",
        "Tres ataques contra cuatro lanchas",
    ]
    assert run_app("views/timeline.py", query={"q": "lancha"}).dataframe[0].value.empty  # English text has no "lancha"
    folded = run_app("views/timeline.py", query={"lang": "es", "q": "RODRIGUEZ"})
    assert metrics_free_titles(folded) == ["Anunciada la designación como organización terrorista extranjera"]
    # A record without Spanish text keeps its English text, marked.
    texts = mini_copy / "translations" / "es" / "events.yaml"
    kept = [r for r in yaml.safe_load(texts.read_text(encoding="utf-8")) if r["id"] != "strike-2025-11-10-caribbean"]
    texts.write_text(yaml.safe_dump(kept, allow_unicode=True), encoding="utf-8")
    everything = metrics_free_titles(run_app("views/timeline.py", data_dir=mini_copy, query={"lang": "es"}))
    assert "Caribbean strike [EN]" in everything and "Primer ataque" in everything


def metrics_free_titles(app: AppTest) -> list[str]:
    """The titles in the Timeline's event table (its title column is the fourth)."""
    table = app.dataframe[0].value
    return list(table.iloc[:, 3])


def test_an_unknown_or_filtered_out_event_in_the_link_gets_a_visible_note(run_app: Runner) -> None:
    unknown = run_app("views/timeline.py", query={"event": "does-not-exist"})
    notes = " ".join(w.value for w in unknown.warning)
    assert "'event': ignored unknown value(s) 'does-not-exist'" in notes
    hidden = run_app("views/timeline.py", query={"event": "strike-2025-09-02-caribbean", "theater": "eastern_pacific"})
    assert "outside the current filters" in " ".join(i.value for i in hidden.info)


def test_event_table_shows_blanks_not_none_for_events_without_figures(run_app: Runner) -> None:
    grid = run_app("views/timeline.py").dataframe[0]
    table = grid.value
    statement = table.loc[table["id"] == "statement-2025-11-17-talks"].iloc[0]
    # missing stays missing (the grid draws its placeholder, blank), and the figures stay numbers that sort as such
    assert pd.isna(statement["killed"]) and pd.isna(statement["survivors"])
    assert pd.api.types.is_numeric_dtype(table["killed"]) and pd.api.types.is_numeric_dtype(table["survivors"])
    assert grid.proto.HasField("placeholder") and grid.proto.placeholder == ""


@pytest.mark.parametrize("page", ["views/timeline.py", "views/casualties.py", "views/map.py", "views/sources.py"])
def test_every_table_draws_missing_values_blank_not_none(run_app: Runner, page: str) -> None:
    opened = {key: True for key in ("casualties_theater_table", "casualties_tracker_table", "casualties_strike_table")}
    app = run_app(page, state=opened if "casualties" in page else None)
    assert app.dataframe, "the page draws no table"
    for grid in app.dataframe:
        assert grid.proto.HasField("placeholder") and grid.proto.placeholder == "", grid.proto.id
        table = grid.value
        text = table.select_dtypes(exclude="number").astype(str)
        assert not text.isin(["None", "nan", "<NA>"]).any().any(), table.columns.tolist()


def test_strike_records_keep_numbers_and_show_a_range_only_where_sources_differ(run_app: Runner) -> None:
    app = run_app("views/casualties.py", state={"casualties_strike_table": True})
    table = app.dataframe[0].value
    assert pd.api.types.is_numeric_dtype(table["killed"]) and pd.api.types.is_numeric_dtype(table["presumed_dead"])
    ranges = table["killed_range"].dropna().tolist()
    assert ranges == ["14–15"] and len(table) == 3  # the 27 Oct strike: 14 killed, 15 in one count
    columns = json.loads(app.dataframe[0].proto.columns)
    assert all(isinstance(columns[name]["width"], int) for name in ("date", "theater", "title", "grade"))


def test_a_reversed_date_range_is_swapped_with_a_note(run_app: Runner) -> None:
    app = run_app(query={"from": "2025-11-01", "to": "2025-10-01"})
    assert "'from' 2025-11-01 was after 'to' 2025-10-01; the range was swapped" in " ".join(
        w.value for w in app.warning
    )
    assert metrics(app)["People killed"] == "14"  # the 27 Oct strike, not an empty record
    assert app.query_params["from"] == "2025-10-01" and app.query_params["to"] == "2025-11-01"
