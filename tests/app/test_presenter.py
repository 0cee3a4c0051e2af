"""Meeting mode through the real entry point (AppTest): presenter view on every page, storylines' steps opening the
right page with the right filters, and bad storyline files giving their messages, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.storyline_panel import STORYLINES_ENV
from data.storylines import PAGE_KEYS
from tests.app.conftest import PAGES, Runner
from tests.conftest import BUNDLED

STORY = """
id: demo
title: Demo briefing
steps:
  - headline: All strikes so far
    note: Start here.
    page: overview
    view: {category: [strike]}
  - headline: The Caribbean since October
    page: timeline
    view: {theater: [caribbean], from: 2025-10-01, lane: theater}
  - headline: Talks, as they stood
    page: stances
    view: {asof: 2025-10-01, cell: "ve-maduro:negotiations"}
  - headline: Where
    page: map
    view: {category: [strike], color: category}
"""


@pytest.fixture
def story_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "storylines"
    folder.mkdir()
    (folder / "demo.yaml").write_text(STORY)
    monkeypatch.setenv(STORYLINES_ENV, str(folder))
    return folder


def query(app: AppTest, key: str) -> list[str]:
    value = app.query_params.get(key)
    return [] if value is None else [value] if isinstance(value, str) else list(value)


def headline(app: AppTest) -> str:
    return " ".join(md.value for md in app.main.markdown).replace("\\", "")


def test_the_app_pages_match_the_storyline_page_table() -> None:
    """Storyline files name pages by URL path; the entry point's navigation must offer exactly those."""
    source = (Path(__file__).resolve().parents[2] / "dashboard" / "app.py").read_text()
    for page, keys in PAGE_KEYS.items():
        assert f'url_path="{page}"' in source, page
        for key in keys:
            assert f'"{key}"' in source, (page, key)
    assert len(PAGES) == len(PAGE_KEYS)


@pytest.mark.parametrize("page", PAGES)
def test_presenter_mode_on_every_page(run_app: Runner, page: str) -> None:
    app = run_app(page, query={"present": "1", "theater": "caribbean", "category": "strike"})
    assert app.title and not app.error
    assert app.toggle(key="present").value is True
    bar = app.main.get("flex_container")[0]  # the presenter bar comes first
    assert "Caribbean · Strike" in " ".join(md.value for md in bar.markdown)
    assert query(app, "present") == ["1"]


def test_the_filter_line_stays_one_line(run_app: Runner) -> None:
    app = run_app(
        data_dir=BUNDLED, query={"present": "1", "actor": ["us-war-dept", "ve-maduro", "co-colombia", "cu-cuba"]}
    )
    bar = app.main.get("flex_container")[0]
    assert "4 actors" in " ".join(md.value for md in bar.markdown)


def test_presenter_mode_draws_no_filter_widget_and_shows_link_notes_on_the_page(run_app: Runner) -> None:
    app = run_app(query={"present": "1", "theater": ["caribbean", "atlantis"]})
    assert not app.sidebar.multiselect and not app.sidebar.date_input  # the room sees none of them
    assert app.session_state["theater"] == ["caribbean"]
    assert any("atlantis" in warning.value for warning in app.main.warning)  # the sidebar is hidden: on the page
    app.run()  # a later run keeps the values although no widget holds them
    assert app.session_state["theater"] == ["caribbean"]


def test_leaving_presenter_mode_keeps_the_filters(run_app: Runner) -> None:
    app = run_app("views/timeline.py", query={"present": "1", "theater": "caribbean"})
    app.run()  # a run in presenter mode draws no filter widget; the values must outlive it
    app.toggle(key="present").set_value(False).run()
    assert not app.exception
    assert "present" not in app.query_params
    assert app.session_state["theater"] == ["caribbean"]
    assert app.sidebar.toggle(key="present").value is False  # the switch is back in the sidebar
    assert app.sidebar.multiselect(key="theater").value == ["caribbean"]


def test_a_storyline_link_opens_the_steps_view(run_app: Runner, story_dir: Path) -> None:
    app = run_app(query={"story": "demo", "step": "2"})
    assert app.title[0].value == "Timeline"
    assert app.session_state["theater"] == ["caribbean"] and str(app.session_state["from"]) == "2025-10-01"
    assert app.session_state["lane"] == "theater"
    assert "2 / 4 · The Caribbean since October" in headline(app)
    assert query(app, "story") == ["demo"] and query(app, "step") == ["2"]
    assert query(app, "theater") == ["caribbean"] and query(app, "from") == ["2025-10-01"]


def test_stepping_with_the_buttons(run_app: Runner, story_dir: Path) -> None:
    app = run_app(query={"story": "demo", "step": "1"})
    assert app.title[0].value == "Venezuela Crisis Monitor" and app.session_state["category"] == ["strike"]
    assert app.button(key="story_previous").disabled
    app.button(key="story_next").click().run()
    assert app.title[0].value == "Timeline"
    assert app.session_state["category"] == []  # step 2 has no category: the old filter is gone
    app.button(key="story_next").click().run()
    assert app.title[0].value.startswith("Stances")
    assert str(app.session_state["asof"]) == "2025-10-01" and app.session_state["cell"] == "ve-maduro:negotiations"
    assert query(app, "step") == ["3"] and "theater" not in app.query_params
    app.button(key="story_next").click().run()
    assert app.session_state["color"] == "category" and app.button(key="story_next").disabled
    app.button(key="story_previous").click().run()
    assert query(app, "step") == ["3"]
    app.button(key="story_close").click().run()
    assert "story" not in app.query_params and "step" not in app.query_params


def test_stepping_keeps_presenter_mode(run_app: Runner, story_dir: Path) -> None:
    app = run_app(query={"story": "demo", "step": "1", "present": "1"})
    app.button(key="story_next").click().run()
    assert query(app, "present") == ["1"] and app.toggle(key="present").value is True


def test_stepping_keeps_the_interface_language(run_app: Runner, story_dir: Path) -> None:
    app = run_app(query={"story": "demo", "step": "1", "lang": "es"})
    assert app.session_state["lang"] == "es"
    app.button(key="story_next").click().run()
    assert app.session_state["step"] == 2 and query(app, "theater") == ["caribbean"]
    assert app.session_state["lang"] == "es" and query(app, "lang") == ["es"]


def test_presenter_mode_keeps_the_interface_language(run_app: Runner) -> None:
    app = run_app("views/timeline.py", query={"lang": "es"})  # the switch is drawn in the sidebar
    app.sidebar.toggle(key="present").set_value(True).run()
    app.run()  # more runs in presenter mode: the language switch must still hold the choice
    assert app.session_state["lang"] == "es" and query(app, "lang") == ["es"]
    app.toggle(key="present").set_value(False).run()
    assert app.session_state["lang"] == "es"


def test_a_bad_step_number_or_story_is_noted(run_app: Runner, story_dir: Path) -> None:
    app = run_app(query={"story": "demo", "step": "99"})
    assert "'step': '99' is not a step of 'demo' (1 to 4); showing 4" in " ".join(w.value for w in app.warning)
    app = run_app(query={"story": "nope"})
    assert "no storyline 'nope' here" in " ".join(w.value for w in app.warning)


def test_bad_storyline_files_give_messages_not_tracebacks(run_app: Runner, story_dir: Path) -> None:
    (story_dir / "broken.yaml").write_text(
        STORY.replace("id: demo", "id: broken").replace("page: map", "page: atlas").replace("[caribbean]", "[pacific]")
    )
    app = run_app()
    shown = " ".join(code.value for code in app.sidebar.code)
    assert "broken.yaml: record step 4 ('Where'), field 'page': Input should be" in shown
    assert "broken.yaml: record step 2 ('The Caribbean since October'), field 'view.theater[0]'" in shown
    assert app.sidebar.selectbox(key="story_pick").options == ["Demo briefing"]  # the good file is still offered


def test_add_this_view_as_a_step_and_download(run_app: Runner, story_dir: Path) -> None:
    app = run_app("views/timeline.py", query={"theater": "caribbean", "lane": "theater"})
    # The builder is drawn only when asked for (it would otherwise weigh on every rerun of every page).
    assert "story_new_headline" not in [field.key for field in app.sidebar.text_input]
    app.sidebar.toggle(key="story_tools").set_value(True).run()
    app.sidebar.text_input(key="story_new_headline").input("Caribbean lanes").run()
    app.sidebar.button(key="story_add").click().run()
    app.switch_page("views/casualties.py").run()
    app.sidebar.text_input(key="story_new_headline").input("Toll").run()
    app.sidebar.button(key="story_add").click().run()
    steps = app.session_state["_story_draft"]
    assert [(s.headline, s.page, s.query()) for s in steps] == [
        ("Caribbean lanes", "timeline", {"theater": ["caribbean"], "lane": "theater"}),
        ("Toll", "casualties", {"theater": ["caribbean"]}),
    ]
    app.sidebar.button(key="story_down_0").click().run()
    assert [s.headline for s in app.session_state["_story_draft"]] == ["Toll", "Caribbean lanes"]
    app.sidebar.button(key="story_remove_1").click().run()
    assert [s.headline for s in app.session_state["_story_draft"]] == ["Toll"]
    app.sidebar.button(key="story_present").click().run()
    assert query(app, "story") == ["my-storyline"] and app.title[0].value == "Casualties"


def test_the_shipped_briefing_on_the_bundled_record(run_app: Runner) -> None:
    app = run_app(data_dir=BUNDLED, query={"story": "briefing", "step": "6", "present": "1"})
    assert app.title[0].value == "Timeline"
    assert app.session_state["event"] == "operation-2026-01-03-maduro-captured"
    assert "6 / 9 · The capture of Maduro" in headline(app)


def test_the_shipped_briefing_speaks_the_readers_language(run_app: Runner) -> None:
    app = run_app(data_dir=BUNDLED, query={"story": "briefing", "step": "6", "present": "1", "lang": "es"})
    assert "6 / 9 · La captura de Maduro, 3 de enero de 2026" in headline(app)
    assert app.session_state["event"] == "operation-2026-01-03-maduro-captured"  # the same view as in English
