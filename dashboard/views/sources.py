"""Sources & method: how we count, what each grade means, every source, known gaps and the changelog."""

from pathlib import Path

import streamlit as st

from dashboard.context import load, md_escape, page_header

METHOD = Path(__file__).resolve().parents[2] / "data" / "METHOD.md"

loaded = load()
page_header("Sources & method", loaded)
st.success(
    f"Validated: {loaded.record_count} records loaded from {loaded.file_count} files, 0 errors"
    + (f" · {len(loaded.warnings)} warnings" if loaded.warnings else "")
)
st.markdown(METHOD.read_text(encoding="utf-8"))

st.subheader(f"Sources ({len(loaded.sources)})")
tier_counts = loaded.sources["tier"].value_counts().sort_index()
st.caption(
    "By tier, strongest first: "
    + " · ".join(f"tier {tier}: {count}" for tier, count in tier_counts.items())
    + ". Tier 1: the authority's own words or the originating outlet's page; 2: a faithful copy naming it; "
    "3: secondary; 4: weak, corroboration only."
)
st.dataframe(
    loaded.sources[["tier", "published", "cited_as", "title", "kind", "cited_by", "url"]],
    column_config={
        "tier": st.column_config.NumberColumn("Tier", width="small"),
        "url": st.column_config.LinkColumn("Link", display_text="open ↗"),
        "published": st.column_config.DateColumn("Published", format="YYYY-MM-DD"),
        "cited_as": "Publisher",
        "title": "Title",
        "kind": "Kind",
        "cited_by": "Cited by (records)",
    },
    hide_index=True,
    width="stretch",
)

st.subheader(f"Known gaps ({len(loaded.gaps)})")
if loaded.gaps:
    for gap in loaded.gaps:
        st.markdown(f"- {md_escape(gap.description)}")
else:
    st.caption("No gaps recorded.")

st.subheader("Data changelog")
if loaded.changelog:
    for entry in loaded.changelog:
        st.markdown(f"- **{entry.date:%d %b %Y}** · {md_escape(entry.change)}")
else:
    st.caption("No changes recorded.")
if loaded.warnings:
    with st.expander(f"Curator warnings ({len(loaded.warnings)})"):
        st.code("\n".join(loaded.warnings), language=None, wrap_lines=True)
