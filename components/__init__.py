"""Pure figure and table builders: a DataFrame in, a Plotly figure or a frame out. No Streamlit here."""
