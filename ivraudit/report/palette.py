"""The report's colours, light and dark: Okabe-Ito hues, darkened or lightened until text
and marks reach WCAG AA contrast on their background (tests check every pair)."""

from __future__ import annotations

from collections.abc import Mapping

# Each scheme: the page, text and the colours of marks; every mark is also told apart by
# shape, pattern or words, never by colour alone.
LIGHT: Mapping[str, str] = {
    "bg": "#ffffff",
    "panel": "#f4f5f7",
    "text": "#1b1f24",
    "muted": "#555d66",
    "line": "#7a838c",
    "good": "#00734f",
    "needs-work": "#8a5a00",
    "poor": "#b33c00",
    "route": "#0060a0",
    "journey": "#a0307a",
    "menu": "#0060a0",
    "agent": "#00734f",
    "self-service": "#6a4c93",
    "hangup": "#b33c00",
    "other": "#555d66",
    "hold": "#8a5a00",
}
DARK: Mapping[str, str] = {
    "bg": "#15181c",
    "panel": "#1f242a",
    "text": "#e8eaed",
    "muted": "#a9b1ba",
    "line": "#7b848e",
    "good": "#3fcf9c",
    "needs-work": "#f0c050",
    "poor": "#ff8a5c",
    "route": "#5cb8f0",
    "journey": "#f08ccf",
    "menu": "#5cb8f0",
    "agent": "#3fcf9c",
    "self-service": "#c2a6f0",
    "hangup": "#ff8a5c",
    "other": "#a9b1ba",
    "hold": "#f0c050",
}
# Colours that carry text (need 4.5:1 on bg and panel) and marks (need 3:1).
TEXT_COLOURS = ("text", "muted", "good", "needs-work", "poor", "route", "journey")
MARK_COLOURS = ("line", "menu", "agent", "self-service", "hangup", "other", "hold")


def css_variables(scheme: Mapping[str, str]) -> str:
    """Return the scheme as CSS custom properties (`--bg: #fff;` ...)."""
    return " ".join(f"--{name}: {value};" for name, value in scheme.items())
