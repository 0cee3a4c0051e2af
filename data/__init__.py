"""The curated dataset and its contract: models, loading, validation and frames (no Streamlit here)."""
