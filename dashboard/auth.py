"""Login gate for the shared profile (issue 5): call `require_login()` before the app loads any data.

With `CRISIS_MONITOR_PROFILE=shared` an anonymous visitor gets a login page and nothing else: the script stops
(`st.stop()`) before the dataset is read, so no page content, chart data or export of it reaches the browser.
A signed-in user sees their name and a logout button in the sidebar. Without that variable (the laptop profile)
the gate does nothing.

Login is Streamlit's built-in OIDC (`st.login` / `st.user`, needs `streamlit[auth]`), configured by the `[auth]`
section of secrets.toml (see deploy/streamlit/secrets.example.toml). The gate fails closed: in the shared
profile, a missing `[auth]` section shows a configuration error and stops, it never falls back to no login.

Optional: `CRISIS_MONITOR_ALLOWED_DOMAINS="example.org,agency.example"` admits only users whose e-mail address
(as the provider reports it, and not marked unverified) is in one of these domains (exact match, no subdomains).
"""

from __future__ import annotations

import os

import streamlit as st

from dashboard.i18n import N_, language_switch, t

PROFILE_ENV = "CRISIS_MONITOR_PROFILE"
ALLOWED_DOMAINS_ENV = "CRISIS_MONITOR_ALLOWED_DOMAINS"
SHARED = "shared"


def is_shared_profile() -> bool:
    """Whether this process runs the shared (login-required) profile."""
    return os.environ.get(PROFILE_ENV, "").strip().lower() == SHARED


def allowed_domains() -> frozenset[str]:
    """The e-mail domains admitted, lower-case; empty means every authenticated user is admitted."""
    raw = os.environ.get(ALLOWED_DOMAINS_ENV, "")
    return frozenset(part.strip().lower().lstrip("@") for part in raw.split(",") if part.strip())


def email_admitted(email: object, email_verified: object, domains: frozenset[str]) -> bool:
    """Whether a user with this e-mail claim passes the domain allow-list (pure, for tests)."""
    if not domains:
        return True
    if email_verified is False or not isinstance(email, str) or email.count("@") != 1:
        return False
    return email.rsplit("@", 1)[1].strip().lower().rstrip(".") in domains


def _auth_configured() -> bool:
    try:
        return "auth" in st.secrets
    except FileNotFoundError:
        return False


def _claim(name: str) -> object:
    value: object = st.user.get(name)
    return value


def _display_name() -> str:
    for claim in ("name", "preferred_username", "email", "sub"):
        value = _claim(claim)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return t(TEXT["someone"])


# Every string of the gate, in the reader's language (the URL's `lang`, else the browser's: seeded before the gate).
TEXT = {
    "title": N_("Venezuela Crisis Monitor"),
    "welcome": N_("This is the team's shared instance. Sign in with your organisation account to open the dashboard."),
    "login": N_("Log in"),
    "logout": N_("Log out"),
    "not_configured": N_(
        "Login is not configured: the shared profile needs an [auth] section in secrets.toml "
        "(see deploy/streamlit/secrets.example.toml). Nothing is shown without it."
    ),
    "denied": N_("The account {name} is not allowed to open this dashboard."),
    "signed_in": N_("Signed in as {name}"),
    "someone": N_("signed-in user"),
}


def _login_page() -> None:
    language_switch()
    st.title(t(TEXT["title"]))
    st.write(t(TEXT["welcome"]))
    st.button(t(TEXT["login"]), type="primary", on_click=st.login, key="auth_gate_login")


def require_login() -> None:
    """Stop the script unless the visitor is signed in (shared profile only); a no-op on the laptop profile.

    Call it after `dashboard.i18n.seed_language()`, so the gate speaks the reader's language.
    """
    if not is_shared_profile():
        return
    if not _auth_configured():
        st.title(t(TEXT["title"]))
        st.error(t(TEXT["not_configured"]))
        st.stop()
    if not st.user.is_logged_in:
        _login_page()
        st.stop()
    domains = allowed_domains()
    if not email_admitted(_claim("email"), _claim("email_verified"), domains):
        st.title(t(TEXT["title"]))
        # Plain text only: claims come from the identity provider and are not trusted markup.
        st.text(t(TEXT["denied"], name=_display_name()))
        st.button(t(TEXT["logout"]), on_click=st.logout, key="auth_gate_logout_denied")
        st.stop()
    with st.sidebar:
        st.text(t(TEXT["signed_in"], name=_display_name()))
        st.button(t(TEXT["logout"]), on_click=st.logout, key="auth_gate_logout")
