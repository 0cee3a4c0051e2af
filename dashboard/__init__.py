"""The Streamlit app: pages that compose data frames and figure builders; caching lives here."""
