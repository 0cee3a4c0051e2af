"""The shared profile's login gate: profile detection and the e-mail domain allow-list (pure parts)."""

from __future__ import annotations

import pytest

from dashboard.auth import allowed_domains, email_admitted, is_shared_profile


def test_profile_is_laptop_unless_shared_is_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CRISIS_MONITOR_PROFILE", raising=False)
    assert not is_shared_profile()
    monkeypatch.setenv("CRISIS_MONITOR_PROFILE", " Shared ")
    assert is_shared_profile()


def test_allowed_domains_are_normalised(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CRISIS_MONITOR_ALLOWED_DOMAINS", " Example.org, @agency.example ,,")
    assert allowed_domains() == frozenset({"example.org", "agency.example"})


@pytest.mark.parametrize(
    ("email", "verified", "admitted"),
    [
        ("alice@example.org", True, True),
        ("ALICE@Example.ORG", None, True),
        ("mallory@outsider.test", True, False),
        ("alice@example.org", False, False),  # an unverified address is refused
        ("alice@sub.example.org", True, False),  # exact domains, no subdomains
        ("not-an-address", True, False),
        ("a@b@example.org", True, False),
        (None, True, False),
    ],
)
def test_domain_allow_list(email: object, verified: object, admitted: bool) -> None:
    assert email_admitted(email, verified, frozenset({"example.org"})) is admitted


def test_no_allow_list_admits_every_signed_in_user() -> None:
    assert email_admitted("anyone@anywhere.test", True, frozenset())
