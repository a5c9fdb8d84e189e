"""The ranked table of several menus for the terminal: worst score first."""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table
from rich.text import Text

from ivraudit.audit import Audit
from ivraudit.format.units import NBSP, duration
from ivraudit.format.yamltree import visible
from ivraudit.report.grouping import worst_finding
from ivraudit.report.headline import person_text
from ivraudit.report.menuname import shown_name
from ivraudit.report.order import rank_key
from ivraudit.report.terminal import recording_console

_BAND_STYLE = {"good": "bold green", "needs work": "bold yellow", "poor": "bold red"}
LEGEND = (
    "Best first. Score 0-100: 90 and above good, 50-89 needs work, under 50 poor. "
    "Time to a person includes the hold; durations over 90 s read as minutes:seconds."
)


def ranked(audits: Sequence[Audit]) -> list[Audit]:
    """Return the audits by score, best first; equal scores by menu name, then file."""
    return sorted(audits, key=rank_key)


def ranking_table(audits: Sequence[Audit], *, files: bool = True) -> Table:
    """Return the table: rank, menu (and its file), score, band, time to a person,
    typical call, worst finding. Menu text goes in as Text, never read as markup."""
    table = Table(box=None, header_style="bold", pad_edge=False, title_justify="left")
    table.add_column("#", justify="right", overflow="fold")
    table.add_column("menu", ratio=3, overflow="fold")
    table.add_column("score", justify="right", overflow="fold")
    table.add_column("band", no_wrap=True, overflow="fold")
    table.add_column("time to\na person", justify="right", no_wrap=True, overflow="fold")
    table.add_column("typical\ncall", justify="right", no_wrap=True, overflow="fold")
    table.add_column("worst finding", ratio=2, overflow="fold")
    for rank, a in enumerate(ranked(audits), start=1):
        worst = worst_finding(a.findings)
        if worst is None:
            what = Text("none", style="green")
        else:
            n = sum(1 for f in a.findings if f.rule == worst.rule)
            what = Text(f"{worst.severity.value} {worst.rule} {worst.name}")
            if n > 1:
                what.append(f"\u00a0\u00d7{n}")
        table.add_row(
            str(rank),
            Text.assemble(
                (visible(shown_name(a.menu)), "bold"),
                *(("\n", (visible(a.file), "dim")) if files else ()),
            ),
            Text(str(a.score.value), style=_BAND_STYLE[a.score.band]),
            Text(a.score.band, style=_BAND_STYLE[a.score.band]),
            person_text(a),
            duration(a.metrics.typical_call_seconds),
            what,
        )
    return table


# Rich wraps at a no-break space too; this blank is not a space to rich (see terminal.py).
_GLUE = "\u2800"


def _glued(text: str) -> str:
    return text.replace(NBSP, _GLUE)


def ranking_list(audits: Sequence[Audit]) -> Table:
    """Return the ranking for a narrow terminal: one menu per entry, its figures below."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(justify="right", no_wrap=True)
    grid.add_column(overflow="fold", ratio=1)
    for rank, a in enumerate(ranked(audits), start=1):
        style = _BAND_STYLE[a.score.band]
        text = Text.assemble((visible(shown_name(a.menu)), "bold"), "\n")
        text.append(f"{a.score.value} {a.score.band}", style=style)
        m = a.metrics
        text.append(
            f"; time to a person {_glued(person_text(a))}; "
            f"typical call {_glued(duration(m.typical_call_seconds))}"
        )
        worst = worst_finding(a.findings)
        if worst is not None:
            n = sum(1 for f in a.findings if f.rule == worst.rule)
            text.append(f"\nworst: {worst.severity.value} {worst.rule} {worst.name}")
            if n > 1:
                text.append(f"{_GLUE}\u00d7{n}")
        grid.add_row(f"{rank}.", text)
    return grid


def render_ranking(audits: Sequence[Audit], *, color: bool = False, width: int = 100) -> str:
    """Return the ranked table of `audits` with its legend, as terminal text."""
    console = recording_console(width=width, color=color)
    console.print(Text(f"Ranking of {len(audits)} menus", style="bold"))
    console.print(
        ranking_table(audits, files=width >= 100) if width >= 70 else ranking_list(audits)
    )
    console.print(Text(LEGEND, style="dim"))
    return console.export_text(styles=color).replace(NBSP, " ").replace(_GLUE, " ")
