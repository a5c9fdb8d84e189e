"""A consultant's branding for HTML reports: title, client, logo, accent colour, footer
and the date on the cover."""

from __future__ import annotations

import base64
from collections.abc import Mapping
from pathlib import Path

from ivraudit.format.errors import MenuError
from ivraudit.format.files import read_file, shown
from ivraudit.frozen import frozen
from ivraudit.judge.config import LOGO_TYPES, logo_problem

# A logo is a few kilobytes; it is embedded in every page, so more would bloat each one.
MAX_LOGO_BYTES = 256 * 1024
_MAGIC = {
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/gif": (b"GIF87a", b"GIF89a"),
    "image/webp": (b"RIFF",),
}
DEFAULT_ACCENT = "#0072b2"  # Okabe-Ito blue: safe for every kind of colour vision


@frozen
class Branding:
    """What a report says about who made it and for whom; text is data, never markup."""

    title: str = "IVR audit"
    client: str | None = None
    logo_data_uri: str | None = None
    accent: str = DEFAULT_ACCENT
    footer: str | None = None
    # Printed on the cover as given; never today's date, so that a report stays the same
    # for the same input.
    date: str | None = None

    @property
    def accent_text(self) -> str:
        """Return black or white, whichever reads better on the accent colour."""
        dark, light = contrast(self.accent, "#000000"), contrast(self.accent, "#ffffff")
        return "#000000" if dark >= light else "#ffffff"


def make_branding(settings: Mapping[str, str | None]) -> Branding:
    """Return the branding that `settings` (title, client, logo path, accent, footer,
    date) describe; missing or None settings keep their defaults. The logo is read here, and
    only here: raise LogoError if it cannot be one."""
    chosen = {k: v for k, v in settings.items() if v is not None}
    logo = chosen.get("logo")
    return Branding(
        title=chosen.get("title", Branding.title),
        client=chosen.get("client"),
        logo_data_uri=logo_data_uri(Path(logo)) if logo else None,
        accent=normal_hex(chosen.get("accent", DEFAULT_ACCENT)),
        footer=chosen.get("footer"),
        date=chosen.get("date"),
    )


class LogoError(ValueError):
    """A logo that cannot be read or is not the image its name says."""


def normal_hex(value: str) -> str:
    """Return a `#rgb` or `#rrggbb` colour as lower-case `#rrggbb`."""
    value = value.lower()
    if len(value) == 4:
        value = "#" + "".join(c * 2 for c in value[1:])
    return value


def logo_data_uri(path: Path) -> str:
    """Return the logo file as a `data:` URI, so the report needs no other file.

    Only a regular file up to MAX_LOGO_BYTES is read (files.read_file checks before it
    reads): a named pipe would block and /dev/zero never end. Raise LogoError."""
    if problem := logo_problem(path):
        raise LogoError(problem)
    kind = LOGO_TYPES[path.suffix.lower()]
    name = shown(path)
    try:
        data = read_file(path, MAX_LOGO_BYTES, what=f"logo {name}")
    except MenuError as exc:
        raise LogoError(exc.message) from None
    head = data[:512]
    if kind == "image/svg+xml":
        if b"<svg" not in head.lower() and b"<?xml" not in head.lower():
            raise LogoError(f"logo {name} is not an SVG image")
    elif not head.startswith(_MAGIC[kind]):
        raise LogoError(f"logo {name} is not a {kind.split('/')[1].upper()} image")
    return f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}"


def luminance(color: str) -> float:
    """Return the WCAG relative luminance of a `#rrggbb` colour."""
    rgb = [int(normal_hex(color)[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    """Return the WCAG contrast ratio of two colours (1 to 21)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)
