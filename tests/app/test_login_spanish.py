"""The shared profile's login gate speaks the reader's language (URL `lang`, else the browser's), before any data."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.auth import ALLOWED_DOMAINS_ENV, PROFILE_ENV, TEXT
from data.i18n import catalog
from tests.app.conftest import APP

AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32, "client_id": "c"}


def gate(
    monkeypatch: pytest.MonkeyPatch, *, lang: str | None, configured: bool = True, user: dict[str, object] | None = None
) -> AppTest:
    monkeypatch.setenv(PROFILE_ENV, "shared")
    app = AppTest.from_file(APP, default_timeout=60)
    app.user = user or {"is_logged_in": False}
    if configured:
        app.secrets["auth"] = AUTH
    if lang:
        app.query_params["lang"] = lang
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def test_the_login_page_is_spanish_with_lang_es(monkeypatch: pytest.MonkeyPatch) -> None:
    app = gate(monkeypatch, lang="es")
    assert app.title[0].value == "Monitor de la crisis de Venezuela"
    assert app.markdown[0].value.startswith("Esta es la instancia compartida del equipo. Inicie sesión")
    assert app.button(key="auth_gate_login").label == "Iniciar sesión"
    assert not app.metric and not app.dataframe  # still nothing of the record before login
    english = {TEXT[k] for k in ("welcome", "login", "title")}
    assert not english & {app.title[0].value, app.markdown[0].value, app.button(key="auth_gate_login").label}


def test_the_login_page_switches_language_in_place(monkeypatch: pytest.MonkeyPatch) -> None:
    app = gate(monkeypatch, lang=None)
    assert app.button(key="auth_gate_login").label == "Log in"  # no lang, no Spanish browser: English
    app.segmented_control(key="lang").set_value("es").run()
    assert app.button(key="auth_gate_login").label == "Iniciar sesión"


def test_the_configuration_error_is_spanish(monkeypatch: pytest.MonkeyPatch) -> None:
    app = gate(monkeypatch, lang="es", configured=False)
    assert app.error[0].value == catalog("es")[TEXT["not_configured"]]
    assert app.error[0].value.startswith("El inicio de sesión no está configurado")
    assert not app.button


def test_a_refused_account_is_told_in_spanish(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ALLOWED_DOMAINS_ENV, "example.org")
    user = {"is_logged_in": True, "email": "mallory@outsider.test", "email_verified": True, "name": "Mallory"}
    app = gate(monkeypatch, lang="es", user=user)
    assert app.text[0].value == "La cuenta Mallory no tiene permiso para abrir este tablero."
    assert app.button(key="auth_gate_logout_denied").label == "Cerrar sesión"
    assert not app.metric
