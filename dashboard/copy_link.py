"""A "copy link to this view" control: the page's full address in a read-only field and a button that copies it.

Not `st.code`: its copy button comes with Streamlit's syntax highlighter, a 1.5 MB script that every first visit
had to fetch and parse for this one field (about 0.4 s of the first visit after a start, measured by
`./dev.sh bench`). This component is a field and a button in Streamlit's own component frame, which every page
loads anyway (the reconnect listener).
"""

from __future__ import annotations

import streamlit as st

from dashboard.i18n import t

COPY_LINK_KEY = "copy_link"

# Trusted, constant markup and code: the link and the labels arrive as data and are only ever assigned as a field's
# value or as text, never parsed as HTML.
_HTML = """
<div class="copy-link">
  <input class="copy-link-address" type="text" readonly spellcheck="false">
  <button class="copy-link-button" type="button"></button>
  <span class="copy-link-status" role="status" aria-live="polite"></span>
</div>
"""
_CSS = """
.copy-link { display: flex; flex-wrap: wrap; gap: 0.4rem; align-items: center; font-family: inherit; }
.copy-link-address {
  flex: 1 1 100%; min-width: 0; box-sizing: border-box; padding: 0.35rem 0.5rem; font: 0.8rem monospace;
  color: inherit; background: transparent; border: 1px solid rgba(128, 128, 128, 0.45); border-radius: 0.5rem;
}
.copy-link-button {
  padding: 0.3rem 0.8rem; font: inherit; font-size: 0.95rem; color: inherit; background: transparent;
  border: 1px solid rgba(128, 128, 128, 0.45); border-radius: 0.5rem; cursor: pointer;
}
.copy-link-button:hover, .copy-link-button:focus-visible { border-color: currentColor; }
.copy-link-status { font-size: 0.85rem; opacity: 0.8; }
"""
_JS = """
export default function (component) {
  const { data, parentElement } = component;
  const field = parentElement.querySelector(".copy-link-address");
  const button = parentElement.querySelector(".copy-link-button");
  const status = parentElement.querySelector(".copy-link-status");
  field.value = data.link;
  field.setAttribute("aria-label", data.label);
  button.textContent = data.copy;
  status.textContent = "";
  field.onfocus = () => field.select();
  button.onclick = async () => {
    try {
      await navigator.clipboard.writeText(field.value);
    } catch (error) {  // no clipboard API (a page served over plain http to another machine): select and copy
      field.focus();
      field.select();
      if (!document.execCommand("copy")) { status.textContent = data.failed; return; }
    }
    status.textContent = data.copied;
  };
}
"""


def copy_link(link: str) -> None:
    """Draw the control for `link` where the caller is (the sidebar)."""
    control = st.components.v2.component("crisis_monitor_copy_link", html=_HTML, css=_CSS, js=_JS)
    control(
        key=COPY_LINK_KEY,
        data={
            "link": link,
            "label": t("Link to this view"),
            "copy": t("Copy link"),
            "copied": t("Copied"),
            "failed": t("Select the address and copy it"),
        },
    )
