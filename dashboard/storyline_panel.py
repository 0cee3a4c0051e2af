"""Storylines in the app: step through saved views (buttons, →/←, PageDown/PageUp), build one, download, upload.

A step is applied the way a shared link is: its page and URL values (`Step.query()`) become the URL, the view's
widget state is forgotten, and the pages seed their widgets from the URL as on a session's first run — so a step
goes through exactly the checks a link does. The URL carries `story=<id>&step=N`, so a link opens the meeting at
the right slide and a reload keeps it. Nothing is written on the server: a built storyline travels as a YAML
download (and comes back by upload); only shipped storylines (`CRISIS_MONITOR_STORYLINES`, default
data/storylines/) can be opened from a link by someone else.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import streamlit as st

from dashboard import presenter
from dashboard.context import Loaded, md_escape
from dashboard.i18n import N_, css_text, lang, problem_text, t
from dashboard.url_state import reseed
from data.i18n import SOURCE_LANGUAGE
from data.storylines import (
    FILTER_KEYS,
    PAGE_KEYS,
    STORYLINES_DIR,
    Known,
    Step,
    Storyline,
    load_storylines,
    parse_storyline,
    step_from_query,
)
from data.validation import Problem

STORYLINES_ENV = "CRISIS_MONITOR_STORYLINES"
KEY_STORY, KEY_STEP = "story", "step"
URL_KEYS = (KEY_STORY, KEY_STEP)
KEYBOARD_KEY = "story_keyboard"
_PENDING, _UPLOADED, _DRAFT, _SEEN_UPLOAD, _NOTES, _STARTED = (
    "_story_pending",
    "_story_uploaded",
    "_story_draft",
    "_story_upload_seen",
    "_story_notes",
    "_story_started",
)
_TOOLS_KEY = "story_tools"
MAX_UPLOAD_BYTES = 200_000  # the shipped briefing is under 6 KB
_VIEW_KEYS = (*FILTER_KEYS, *{key for keys in PAGE_KEYS.values() for key in keys})

TEXT = {
    "previous": N_("◀ Previous"),
    "next": N_("Next ▶"),
    "close": N_("Close storyline"),
    "note": N_("Speaker note"),
    "section": N_("Storylines"),
    "pick": N_("Storyline"),
    "start": N_("Start from step 1"),
    "upload": N_("Load a storyline (YAML)"),
    "tools": N_("Load or build a storyline"),
    "build": N_("Build a storyline from views"),
    "headline": N_("Headline for this view"),
    "headline_placeholder": N_("e.g. Eastern Pacific since January"),
    "speaker_note": N_("Speaker note (optional)"),
    "add": N_("Add this view as a step"),
    "title": N_("Storyline title"),
    "download": N_("Download storyline (YAML)"),
    "present": N_("Present this storyline"),
    "clear": N_("Discard these steps"),
    "no_steps": N_("No steps yet: set up a view with the filters and pages, give it a headline, add it."),
    "need_headline": N_("Give the step a headline first."),
    "bad_files": N_("{count} storyline file(s) not offered: their problems"),
    "bad_upload": N_("This storyline file has problems, so it was not loaded:"),
    "loaded": N_("Loaded storyline"),
}

# Trusted, constant code (no data is ever interpolated): the keys a presentation clicker sends. Keys typed into a
# text field, a select or a table are left alone.
_JS = """
export default function (component) {
  const { setTriggerValue } = component;
  const onKey = (event) => {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    const target = event.target;
    if (target instanceof Element && (target.isContentEditable
        || target.closest("input, textarea, select, [role='grid'], [role='slider'], [role='listbox']"))) return;
    let move = null;
    if (event.key === "ArrowRight" || event.key === "PageDown") move = "next";
    if (event.key === "ArrowLeft" || event.key === "PageUp") move = "previous";
    if (move === null) return;
    event.preventDefault();
    setTriggerValue("pressed", move);
  };
  window.addEventListener("keydown", onKey);
  return () => window.removeEventListener("keydown", onKey);
}
"""
HIDDEN_CSS = (
    f".st-key-{KEYBOARD_KEY} {{ display: none; }}"
    ".st-key-story_bar [data-testid='stMarkdownContainer'] p { font-size: 1.35em; }"
)


# Streamlit writes the uploader's button and limit in English; in another language our catalog's words are put in
# their place with CSS (constant rules; only catalog text, quoted for CSS, is written).
UPLOADER_TEXT = {"button": N_("Upload"), "limit": N_("Up to 1 MB per file · YAML")}


def uploader_css() -> str:
    """CSS giving the storyline uploader's button and limit line in the reader's language ("" in English)."""
    if lang() == SOURCE_LANGUAGE:
        return ""

    zone = ".st-key-story_upload [data-testid='stFileUploaderDropzone']"
    button = f"{zone} button [data-testid='stMarkdownContainer'] p"
    limit = f"{zone} [data-testid='stFileUploaderDropzoneInstructions'] span"
    return (
        f"{button}, {limit} {{ font-size: 0 !important; }}"
        f"{button}::after {{ content: {css_text(UPLOADER_TEXT['button'])}; font-size: 1rem; }}"
        f"{limit}::after {{ content: {css_text(UPLOADER_TEXT['limit'])}; font-size: 0.875rem; }}"
    )


def storylines_dir() -> Path:
    return Path(os.environ.get(STORYLINES_ENV) or STORYLINES_DIR)


def known_ids(loaded: Loaded) -> Known:
    return Known(
        actors=frozenset(actor_id for actor_id, _name, _group in loaded.actors),
        events=frozenset(loaded.events["id"]),
        issues=frozenset(issue_id for issue_id, _short, _name in loaded.issues),
    )


def _signature(root: Path) -> tuple[tuple[str, int, int], ...]:
    if not root.is_dir():
        return ()
    return tuple((p.name, s.st_size, s.st_mtime_ns) for p in sorted(root.glob("*.yaml")) if (s := p.stat()))


@st.cache_resource(max_entries=8, show_spinner=False)
def _shipped(
    data_key: str, root: str, signature: tuple[tuple[str, int, int], ...], _loaded: Loaded
) -> tuple[dict[str, Storyline], tuple[Problem, ...]]:
    return load_storylines(Path(root), known=known_ids(_loaded))


def shipped(loaded: Loaded) -> tuple[dict[str, Storyline], tuple[Problem, ...]]:
    root = storylines_dir()
    return _shipped(loaded.key, str(root), _signature(root), loaded)


def available(loaded: Loaded) -> dict[str, Storyline]:
    """Shipped storylines, then this session's uploaded or built ones (an upload with a shipped id wins), each in
    the reader's language where its file gives that language's words."""
    stories = dict(shipped(loaded)[0])
    stories.update(st.session_state.get(_UPLOADED, {}))
    return {story_id: story.in_language(lang()) for story_id, story in stories.items()}


def active(loaded: Loaded) -> tuple[Storyline, int] | None:
    story = available(loaded).get(str(st.session_state.get(KEY_STORY) or ""))
    step = st.session_state.get(KEY_STEP)
    if story is None or not isinstance(step, int):
        return None
    return story, min(max(step, 1), len(story.steps))


def _note(text: str) -> None:
    notes: list[str] = st.session_state.setdefault(_NOTES, [])
    if text not in notes:
        notes.append(text)


def _seed(loaded: Loaded) -> None:
    """Read `story` and `step` from the URL once per session; unknown ones are noted, never guessed."""
    if st.session_state.get(_STARTED):
        return
    st.session_state[_STARTED] = True
    story_id = st.query_params.get(KEY_STORY)
    if not story_id:
        return
    story = available(loaded).get(story_id[:80])
    if story is None:
        offered = ", ".join(sorted(available(loaded))) or "none"
        _note(
            f"'story': no storyline {story_id[:40]!r} here (shipped: {offered}); "
            "a storyline built in another session travels as its YAML file: load it in the sidebar."
        )
        return
    raw_step = st.query_params.get(KEY_STEP) or "1"
    step = int(raw_step) if raw_step.isdigit() else 0
    if not 1 <= step <= len(story.steps):
        clamped = min(max(step, 1), len(story.steps))
        _note(f"'step': {raw_step[:20]!r} is not a step of {story.id!r} (1 to {len(story.steps)}); showing {clamped}")
        step = clamped
    st.session_state[KEY_STORY] = story.id
    st.session_state[KEY_STEP] = step
    # A link with only the storyline (no filters or page keys) opens the step's own view.
    if not any(key in st.query_params for key in _VIEW_KEYS):
        st.session_state[_PENDING] = step


def _forget_view() -> None:
    """Drop the view's widget state and its "seeded from the URL" marks, so the next run reads the new URL."""
    for key in _VIEW_KEYS:
        st.session_state.pop(key, None)
    reseed(*_VIEW_KEYS)


def _go(step: int) -> None:
    st.session_state[_PENDING] = step


def _close() -> None:
    for key in (KEY_STORY, KEY_STEP, _PENDING):
        st.session_state.pop(key, None)


def start(loaded: Loaded, current_page: str, pages: Mapping[str, Any]) -> None:
    """Call after `st.navigation`, before the filters are drawn: seeds the storyline from the URL, listens for the
    clicker's keys, and switches to a requested step (which ends this run)."""
    _seed(loaded)
    st.session_state["_story_page"] = current_page
    current = active(loaded)
    if current is None:
        st.session_state.pop(_PENDING, None)
        return
    story, step = current
    keyboard = st.components.v2.component("crisis_monitor_story_keys", js=_JS)
    pressed = getattr(keyboard(key=KEYBOARD_KEY, on_pressed_change=_ignore), "pressed", None)
    if pressed in ("next", "previous"):
        target = step + (1 if pressed == "next" else -1)
        if 1 <= target <= len(story.steps):
            st.session_state[_PENDING] = target
    pending = st.session_state.pop(_PENDING, None)
    if isinstance(pending, int) and 1 <= pending <= len(story.steps):
        target_step = story.steps[pending - 1]
        st.session_state[KEY_STEP] = pending
        if pending == step and target_step.page == current_page and not _view_differs(target_step):
            return  # already there (e.g. a link to a step without filters)
        # Session-wide URL keys (e.g. the interface language) stay; the view's keys are the step's.
        kept = {
            key: st.query_params.get_all(key)
            for key in st.query_params
            if key not in _VIEW_KEYS and key not in (*URL_KEYS, presenter.KEY_PRESENT)
        }
        _forget_view()
        query: dict[str, str | list[str]] = {
            **kept,
            **target_step.query(),
            KEY_STORY: story.id,
            KEY_STEP: str(pending),
        }
        if presenter.is_on():
            query[presenter.KEY_PRESENT] = "1"
        # Widgets not drawn in this (interrupted) run lose their state; presenter mode and the session-wide keys
        # (e.g. the language switch) are read back from the URL, which carries them.
        reseed(presenter.KEY_PRESENT, *kept)
        st.switch_page(pages[target_step.page], query_params=query)


def _ignore() -> None:
    """The key press is read from the component's result in the same run."""


def _view_differs(step: Step) -> bool:
    wanted = step.query()
    for key in _VIEW_KEYS:
        have = st.query_params.get_all(key)
        want = wanted.get(key)
        if (have or None) != ([want] if isinstance(want, str) else want):
            return True
    return False


def query() -> dict[str, str | list[str] | None]:
    """The URL form of the storyline state, for `publish`."""
    story, step = st.session_state.get(KEY_STORY), st.session_state.get(KEY_STEP)
    if not story or not isinstance(step, int):
        return {KEY_STORY: None, KEY_STEP: None}
    return {KEY_STORY: str(story), KEY_STEP: str(step)}


def step_bar(loaded: Loaded) -> None:
    """Step number, headline and the previous/next buttons, at the top of the page while a storyline is open."""
    for note in st.session_state.get(_NOTES, []):
        st.warning(t("From the link: {note}", note=note), icon="⚠️")
    st.session_state[_NOTES] = []
    current = active(loaded)
    if current is None:
        return
    story, step = current
    headline = story.steps[step - 1]
    with st.container(key="story_bar", horizontal=True, vertical_alignment="center", gap="small"):
        st.button(
            t(TEXT["previous"]),
            key="story_previous",
            disabled=step <= 1,
            on_click=_go,
            args=(step - 1,),
            width="content",
        )
        st.markdown(f"**{step} / {len(story.steps)} · {md_escape(headline.headline)}**", width="content")
        st.button(
            t(TEXT["next"]),
            key="story_next",
            disabled=step >= len(story.steps),
            on_click=_go,
            args=(step + 1,),
            type="primary",
            width="content",
        )
        if headline.note:
            with st.popover(t(TEXT["note"]), width="content"):
                st.markdown(md_escape(headline.note))
        st.button(t(TEXT["close"]), key="story_close", on_click=_close, type="tertiary", width="content")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "my-storyline"


def _add_step(loaded: Loaded) -> None:
    headline = str(st.session_state.get("story_new_headline") or "").strip()
    if not headline:
        st.session_state["_story_add_error"] = t(TEXT["need_headline"])
        return
    page = str(st.session_state.get("_story_page") or "overview")
    values = {key: st.query_params.get_all(key) for key in st.query_params if key in _VIEW_KEYS}
    try:
        step = step_from_query(
            page,
            values,
            headline=headline[:120],
            note=str(st.session_state.get("story_new_note") or "")[:2000],
            known=known_ids(loaded),
        )
    except ValueError as error:  # pydantic's ValidationError is a ValueError
        st.session_state["_story_add_error"] = str(error).splitlines()[0]
        return
    st.session_state.setdefault(_DRAFT, []).append(step)
    st.session_state["story_new_headline"] = ""
    st.session_state["story_new_note"] = ""


def _move(index: int, offset: int) -> None:
    steps: list[Step] = st.session_state.get(_DRAFT, [])
    other = index + offset
    if 0 <= index < len(steps) and 0 <= other < len(steps):
        steps[index], steps[other] = steps[other], steps[index]


def _remove(index: int) -> None:
    steps: list[Step] = st.session_state.get(_DRAFT, [])
    if 0 <= index < len(steps):
        steps.pop(index)


def _draft() -> Storyline | None:
    steps: list[Step] = st.session_state.get(_DRAFT, [])
    if not steps:
        return None
    title = str(st.session_state.get("story_new_title") or "My storyline").strip()[:120] or "My storyline"
    return Storyline(id=_slug(title), title=title, steps=tuple(steps))


def _present_draft() -> None:
    story = _draft()
    if story is None:
        return
    st.session_state.setdefault(_UPLOADED, {})[story.id] = story
    st.session_state[KEY_STORY] = story.id
    st.session_state[KEY_STEP] = 1
    st.session_state[_PENDING] = 1


def _start_picked() -> None:
    picked = st.session_state.get("story_pick")
    if picked:
        st.session_state[KEY_STORY] = picked
        st.session_state[KEY_STEP] = 1
        st.session_state[_PENDING] = 1


def _load_upload(loaded: Loaded) -> None:
    upload = st.session_state.get("story_upload")
    if upload is None or st.session_state.get(_SEEN_UPLOAD) == upload.file_id:
        return
    st.session_state[_SEEN_UPLOAD] = upload.file_id
    name = upload.name[:80]
    if upload.size > MAX_UPLOAD_BYTES:  # refused whole, never cut: a cut file could lose steps without a word
        message = N_("the file has {size} bytes; a storyline file may have at most {limit}")
        too_big = Problem.of(name, "storyline", "", message, size=upload.size, limit=MAX_UPLOAD_BYTES)
        st.session_state["_story_upload_problems"] = [too_big]
        return
    text = upload.getvalue().decode("utf-8", errors="replace")
    result = parse_storyline(text, file=name, known=known_ids(loaded))
    st.session_state["_story_upload_problems"] = list(result.problems)
    if result.storyline is not None:
        st.session_state.setdefault(_UPLOADED, {})[result.storyline.id] = result.storyline
        st.session_state["story_pick"] = result.storyline.id


def sidebar(loaded: Loaded) -> None:
    """Pick, start, upload and build storylines (in the sidebar, below the filters)."""
    stories = available(loaded)
    problems = shipped(loaded)[1]
    with st.sidebar:
        st.header(t(TEXT["section"]))
        if problems:
            # Not an alarm: the dataset is fine; a storyline file does not fit it (e.g. the shipped briefing over
            # another dataset), so that file is not offered, and its messages say why.
            with st.expander(t(TEXT["bad_files"], count=len({p.file for p in problems}))):
                st.code("\n".join(problem_text(p) for p in problems), language=None, wrap_lines=True)
        if stories:
            if st.session_state.get("story_pick") not in stories:
                st.session_state["story_pick"] = next(iter(stories))
            st.selectbox(
                t(TEXT["pick"]), options=list(stories), format_func=lambda i: stories[i].title, key="story_pick"
            )
            st.button(t(TEXT["start"]), key="story_start", on_click=_start_picked, width="stretch")
        # Loading and building are occasional tasks: their widgets are drawn only when asked for, so that the
        # sidebar, and every rerun of every page, does not carry them (about 0.1 s of the browser's work per rerun).
        if _TOOLS_KEY not in st.session_state:
            st.session_state[_TOOLS_KEY] = bool(st.session_state.get(_DRAFT))
        if not st.toggle(t(TEXT["tools"]), key=_TOOLS_KEY):
            return
        st.file_uploader(
            t(TEXT["upload"]),
            type=["yaml", "yml"],
            key="story_upload",
            on_change=_load_upload,
            args=(loaded,),
        )
        upload_problems = st.session_state.get("_story_upload_problems") or []
        if upload_problems:
            st.error(t(TEXT["bad_upload"]))
            st.code("\n".join(problem_text(p) for p in upload_problems), language=None, wrap_lines=True)
        with st.container(border=True):
            st.markdown(f"**{t(TEXT['build'])}**")
            st.text_input(
                t(TEXT["headline"]),
                key="story_new_headline",
                max_chars=120,
                placeholder=t(TEXT["headline_placeholder"]),
            )
            st.text_area(t(TEXT["speaker_note"]), key="story_new_note", max_chars=2000, height=68)
            st.button(t(TEXT["add"]), key="story_add", on_click=_add_step, args=(loaded,), width="stretch")
            error = st.session_state.pop("_story_add_error", None)
            if error:
                st.warning(error)
            steps: list[Step] = st.session_state.get(_DRAFT, [])
            if not steps:
                st.caption(t(TEXT["no_steps"]))
                return
            st.text_input(TEXT["title"], key="story_new_title", value=None, placeholder=t("My storyline"))
            for index, step in enumerate(steps):
                st.markdown(f"{index + 1}\\. {md_escape(step.headline)} · *{step.page}*")
                row = st.container(horizontal=True, vertical_alignment="center", gap=None)
                row.button(
                    "↑",
                    key=f"story_up_{index}",
                    on_click=_move,
                    args=(index, -1),
                    disabled=index == 0,
                    type="tertiary",
                    help=t("Move up"),
                )
                row.button(
                    "↓",
                    key=f"story_down_{index}",
                    on_click=_move,
                    args=(index, 1),
                    disabled=index == len(steps) - 1,
                    type="tertiary",
                    help=t("Move down"),
                )
                row.button(
                    "✕",
                    key=f"story_remove_{index}",
                    on_click=_remove,
                    args=(index,),
                    type="tertiary",
                    help=t("Remove this step"),
                )
            story = _draft()
            if story is not None:
                st.download_button(
                    t(TEXT["download"]),
                    data=story.to_yaml(),
                    file_name=f"{story.id}.yaml",
                    mime="application/x-yaml",
                    key="story_download",
                    on_click="ignore",
                    width="stretch",
                )
                st.button(t(TEXT["present"]), key="story_present", on_click=_present_draft, width="stretch")
            st.button(t(TEXT["clear"]), key="story_clear", on_click=lambda: st.session_state.pop(_DRAFT, None))
