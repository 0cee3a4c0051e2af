"""Sources & method: how we count, what each grade means, every source, known gaps and the changelog."""

from pathlib import Path

import streamlit as st

from dashboard.context import load, md_escape, page_header
from dashboard.i18n import day, lang, message_text, t
from dashboard.widgets import DATE_SAMPLE, GRID_OPTIONS, PAGE_GRID_WIDTH, fitted_widths, free_text_help
from data.localise import UNTRANSLATED_MARK

DATA = Path(__file__).resolve().parents[2] / "data"
# The method page in the reader's language (METHOD.<lang>.md), English where a translation is missing.
METHOD = {"en": DATA / "METHOD.md", "es": DATA / "METHOD.es.md"}

loaded = load()
page_header(t("Sources & method"), loaded)
st.success(
    t(
        "Validated: {records} records loaded from {files} files, 0 errors",
        records=loaded.record_count,
        files=loaded.file_count,
    )
    + (" · " + t("{n} warnings", n=len(loaded.warnings)) if loaded.warnings else "")
)
method = METHOD.get(lang(), METHOD["en"])
st.markdown((method if method.is_file() else METHOD["en"]).read_text(encoding="utf-8"))

st.subheader(t("Sources ({n})", n=len(loaded.sources)))
tier_counts = loaded.sources["tier"].value_counts().sort_index()
st.caption(
    t("By tier, strongest first:")
    + " "
    + " · ".join(t("tier {tier}: {n}", tier=tier, n=count) for tier, count in tier_counts.items())
    + ". "
    + t(
        "Tier 1: the authority's own words or the originating outlet's page; 2: a faithful copy naming it; "
        "3: secondary; 4: weak, corroboration only."
    )
)
source_table = loaded.sources[["tier", "published", "cited_as", "title", "kind", "cited_by", "url"]]
open_link = t("open ↗")
source_widths = fitted_widths(
    {
        "tier": (t("Tier"), source_table["tier"]),
        "published": (t("Published"), [DATE_SAMPLE]),
        "cited_as": (t("Publisher"), source_table["cited_as"]),
        "kind": (t("Kind"), source_table["kind"]),
        "cited_by": (t("Cited by (records)"), source_table["cited_by"]),
        "url": (t("Link"), [open_link]),
    },
    free=["title"],
    total=PAGE_GRID_WIDTH,
    caps={"cited_as": 240},  # one publisher name runs to 86 characters: the titles get the room
)
st.dataframe(
    source_table,
    column_config={
        "tier": st.column_config.NumberColumn(t("Tier"), width=source_widths["tier"]),
        "url": st.column_config.LinkColumn(t("Link"), display_text=open_link, width=source_widths["url"]),
        "published": st.column_config.DateColumn(t("Published"), format="YYYY-MM-DD", width=source_widths["published"]),
        "cited_as": st.column_config.TextColumn(t("Publisher"), width=source_widths["cited_as"], help=free_text_help()),
        "title": st.column_config.TextColumn(t("Title"), width=source_widths["title"], help=free_text_help()),
        "kind": st.column_config.TextColumn(t("Kind"), width=source_widths["kind"]),
        "cited_by": st.column_config.NumberColumn(t("Cited by (records)"), width=source_widths["cited_by"]),
    },
    **GRID_OPTIONS,
    width="stretch",
)

st.subheader(t("Known gaps ({n})", n=len(loaded.gaps)))
if loaded.gaps:
    gap_texts = loaded.translations.get(lang(), {}).get("gaps", {})
    for gap in loaded.gaps:
        translated = getattr(gap_texts.get(gap.id), "description", None)
        text = translated if translated else gap.description + (UNTRANSLATED_MARK if lang() != "en" else "")
        st.markdown(f"- {md_escape(text)}")
else:
    st.caption(t("No gaps recorded."))

st.subheader(t("Data changelog"))
if loaded.changelog:
    change_texts = loaded.translations.get(lang(), {}).get("changelog", {})
    for entry in loaded.changelog:
        translated = getattr(change_texts.get(entry.id), "change", None)
        change = translated if translated else entry.change + (UNTRANSLATED_MARK if lang() != "en" else "")
        st.markdown(f"- **{day(entry.date)}** · {md_escape(change)}")
else:
    st.caption(t("No changes recorded."))
if loaded.warnings:
    with st.expander(t("Curator warnings ({n})", n=len(loaded.warnings))):
        st.code("\n".join(message_text(w) for w in loaded.warnings), language=None, wrap_lines=True)
