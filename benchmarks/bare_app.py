"""The baseline: a bare Streamlit page with a title, a sentence and one small Plotly chart.

The button reruns the script, so a rerun can be timed the same way as a filter change in the app.
"""

import plotly.graph_objects as go
import streamlit as st

st.title("Bare page")
st.write("A title, a sentence and one small Plotly chart: the baseline every ratio is measured against.")
st.button("Rerun", key="rerun")
st.plotly_chart(go.Figure(go.Scatter(x=[1, 2, 3, 4], y=[3, 1, 4, 1])), key="chart")
