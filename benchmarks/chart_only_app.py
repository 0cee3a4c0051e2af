"""A reference, not a baseline: the Overview's running-totals chart alone, redrawn on every rerun.

The app's filter rerun (picking a theater) redraws that chart with new data. Streamlit draws a changed Plotly
figure as a new chart (its element id includes the figure), so this page measures what that redraw alone costs:
a title, the same "Rerun" button as the bare page and the Overview's chart for the same dataset, switching
between all theaters and the Caribbean on each click (the app's benchmarked filter change). No sidebar, counters
or lists. `./dev.sh bench` reports its rerun against the bare page's, in the same run.
"""

import os
import sys
from pathlib import Path

import streamlit as st

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `streamlit run benchmarks/chart_only_app.py` puts benchmarks/ on the path
    sys.path.insert(0, str(ROOT))

from components.casualties import cumulative_figure  # noqa: E402
from data.filters import Filters  # noqa: E402
from data.frames import event_states_frame  # noqa: E402
from data.loading import DEFAULT_DATA_DIR, load_dataset  # noqa: E402
from data.metrics import cumulative  # noqa: E402


@st.cache_resource
def _figures() -> tuple[object, object]:
    events = event_states_frame(load_dataset(Path(os.environ.get("CRISIS_MONITOR_DATA") or DEFAULT_DATA_DIR)))
    return tuple(
        cumulative_figure(cumulative(Filters(theaters=theaters).apply(events))) for theaters in ((), ("caribbean",))
    )


runs = st.session_state["runs"] = st.session_state.get("runs", -1) + 1
st.title("The Overview's chart alone")
st.button("Rerun", key="rerun")
st.plotly_chart(_figures()[runs % 2], key="chart", width="stretch")
