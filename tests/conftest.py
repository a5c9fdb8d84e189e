"""Shared helpers: small menus written inline, audited through the public API."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from ivraudit import Audit, audit_menu, loads_menu

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "menus"


def audit_yaml(text: str, source: str = "m.yaml") -> Audit:
    """Audit a menu written as (indented) YAML text."""
    return audit_menu(loads_menu(textwrap.dedent(text), source))


@pytest.fixture
def root() -> Path:
    return ROOT
