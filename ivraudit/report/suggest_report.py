"""The `ivraudit suggest` reports: text, Markdown and JSON, rendered from Suggestions alone."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Sequence
from typing import Any

from ivraudit.format.units import duration, message_seconds
from ivraudit.format.yamltree import visible
from ivraudit.report.callsview import month_effect
from ivraudit.report.location import display_path
from ivraudit.report.markdown import md_text
from ivraudit.report.safe import json_text
from ivraudit.suggest import Figures, Suggestion, Suggestions
from ivraudit.suggest.figures import MonthEffect


def render_suggest_json(results: Sequence[Suggestions], *, many: bool = False) -> str:
    """Return the contract's JSON: one object for one file, a list for several."""
    items = [_json(r) for r in results]
    data: Any = items if many or len(items) != 1 else items[0]
    return json_text(data)


def _json(r: Suggestions) -> dict[str, Any]:
    return {**r.to_dict(), "file": display_path(r.file)}


def _code(text: str) -> str:
    """Return `text` as a Markdown code span (no escapes inside; backticks replaced)."""
    return "`" + visible(text).replace("`", "'") + "`"


def _s(value: float | None) -> str:
    # As every other report gives a time: m:ss past 90 s, the unit glued to its number.
    return duration(value)


def _wrap(text: str, width: int, first: str = "", rest: str = "    ") -> list[str]:
    """Return a line of the text report wrapped to `width`, words kept whole."""
    return textwrap.wrap(
        text,
        width,
        initial_indent=first,
        subsequent_indent=rest,
        break_long_words=False,
        break_on_hyphens=False,
    )


def _typical(fig: Figures) -> str:
    """Return the typical call's time; with an overloaded queue it has no end, not "never"."""
    if fig.typical_call_seconds is None and fig.calls is not None and fig.calls.overloaded:
        return "without end (a queue is overloaded)"
    return _s(fig.typical_call_seconds)


def _to_person(fig: Figures) -> str:
    """Return the time to a person as the score report gives it: with a staffed queue,
    the queue as it answers (`calls.person_seconds`), else the hold the menu states."""
    c = fig.calls
    if c is None or not c.staffed_queues:
        return _s(fig.time_to_human_seconds)
    if c.person_seconds is None and fig.time_to_human_seconds is not None:
        return "without end (a queue is overloaded)"
    return _s(c.person_seconds)


def _figures(before: Figures, after: Figures) -> str:
    return (
        f"score {before.score} → {after.score}, typical call {_typical(before)} → "
        f"{_typical(after)}, time to a person {_to_person(before)} → "
        f"{_to_person(after)}, calls resolved {before.resolved_share:.0%} → "
        f"{after.resolved_share:.0%}"
    )


def _effect(s: Suggestion, before: Figures) -> str:
    if s.after is None:
        return "not measured: the menu format cannot model this change"
    gains = list(s.gains)
    saves = s.saves_seconds
    if saves is not None and saves <= -0.05:
        # Only a change that resolves more calls may slow those already resolved.
        gains.append(f"the calls resolved before take {-saves:.1f}\u00a0s longer")
    return (
        f"{', '.join(gains) or 'typical call unchanged'} · score {before.score} → {s.after.score}"
    )


def _month(effect: MonthEffect | None) -> str:
    """Return what a change does to a month of calls, in words ('' without `traffic`)."""
    text = month_effect(None if effect is None else effect.to_dict())[0]
    return text.removesuffix(" a month").replace("\u00a0", " ")


def _minor(s: Suggestion) -> bool:
    """Whether the model finds a change saving no time (under 0.05 s), resolving no more
    calls and gaining no score."""
    return not s.gains and not (s.score_gain or 0) > 0


def _ratio(ratio: float | None, resolved: float) -> str:
    if ratio is None:
        return "no comparison (no call can be resolved)"
    text = f"{ratio:.2f}x as long as the best menu"
    if resolved >= 1.0:
        return text + " for its callers"
    return text + f" for the {resolved:.0%} of calls it resolves ({1 - resolved:.0%} unresolved)"


def _tree(r: Suggestions, clean: Callable[[str], str]) -> list[str]:
    """Return the optimum's menu, one option a line, nested menus indented."""
    lines: list[str] = []

    def walk(options: list[Any], depth: int) -> None:
        for key, option in enumerate(options, start=1):
            pad = "  " * depth
            if option and isinstance(option[0], str):
                lines.append(f"{pad}{key}  {clean(', '.join(option))}")
            else:
                lines.append(f"{pad}{key}  a menu:")
                walk(option, depth + 1)

    menu = r.optimum.menu()
    if not menu:
        leaf = r.optimum.leaves[0].intents if r.optimum.leaves else ()
        return [
            f"no menu: every caller goes straight to the one handler ({clean(', '.join(leaf))})"
        ]
    walk(menu, 0)
    return lines


def _field(name: str, text: str, width: int) -> list[str]:
    """Return one labelled field of a suggestion, wrapped under its label."""
    return textwrap.wrap(
        text,
        width,
        initial_indent=f"    {name:<8}",
        subsequent_indent=" " * 12,
        break_long_words=False,
        break_on_hyphens=False,
    )


def render_suggest_text(results: Sequence[Suggestions], *, width: int = 100) -> str:
    """Return the suggestions as plain text: ranked, each with what, where, why and effect."""
    width = max(width, 40)
    out: list[str] = []
    for r in results:
        if out:
            out.append("")
        b = r.before
        out.append(f"{display_path(r.file)} — {visible(r.name)}")
        out.extend(
            _wrap(
                f"now: score {b.score}, typical call {_typical(b)}, time to a "
                f"person {_to_person(b)}, calls resolved {b.resolved_share:.0%}",
                width,
            )
        )
        measured = [s for s in r.suggestions if s.measured]
        listed = [s for s in r.suggestions if not s.measured]
        # Changes that save no time and gain no score are listed in brief, after the rest.
        full = [s for s in measured if not _minor(s)]
        minor = [s for s in measured if _minor(s)]
        out.append("")
        if not full:
            out.append("No change found that the model shows to be better.")
        for n, s in enumerate(full, start=1):
            out.extend(_wrap(f"{visible(s.title)}  [{s.id}]", width, f"{n:>2}. ", " " * 4))
            out.append(f"    where   {display_path(s.file)}:{s.line}:{s.column}")
            out.extend(_field("why", visible(s.why), width))
            out.extend(_field("change", visible(s.change), width))
            fixes = f"; fixes {', '.join(s.fixes)}" if s.fixes else ""
            out.extend(_field("effect", f"{_effect(s, b)}{fixes}", width))
            if _month(s.saves_per_month):
                out.extend(_field("a month", visible(_month(s.saves_per_month)), width))
            if s.slower:
                slower = ", ".join(f"{visible(i)} +{x:.1f}\u00a0s" for i, x in s.slower)
                out.extend(_field("slower", slower, width))
            if s.decision:
                out.extend(_field("decide", visible(s.decision), width))
        if minor:
            out.append("")
            out.append("Also worth doing (no measurable time saved):")
            for s in minor:
                out.extend(
                    _wrap(
                        f"{visible(s.title)}  [{s.id}]  {display_path(s.file)}:{s.line}:{s.column}",
                        width,
                        " -  ",
                        " " * 4,
                    )
                )
        if listed:
            out.append("")
            out.append("Listed, not applied (the menu format cannot model them):")
            for s in listed:
                out.append(f" -  {visible(s.title)}  [{s.id}]")
                out.append(f"    where   {display_path(s.file)}:{s.line}:{s.column}")
                out.extend(_field("why", visible(s.why), width))
        c = r.combined
        out.append("")
        out.append(f"Combined ({len(c.applied)} of {len(measured)} changes; --write writes it):")
        out.extend(
            textwrap.wrap(
                _figures(b, c.after), width, initial_indent="    ", subsequent_indent="    "
            )
        )
        if _month(r.combined_saves_per_month):
            out.extend(_field("a month", visible(_month(r.combined_saves_per_month)), width))
        o = r.optimum
        out.append("")
        out.extend(
            _wrap(
                f"Best keypad menu for these callers (at most {o.max_options} options a menu): "
                f"typical call {_s(o.typical_call_seconds)}"
                + ("" if o.exact else " (a near-best tree: too many handlers to search exactly)"),
                width,
            )
        )
        for what, ratio, resolved in (
            ("this menu", r.optimum_ratio, b.resolvable_share),
            ("combined", r.combined_ratio, c.after.resolvable_share),
        ):
            out.extend(
                textwrap.wrap(
                    f"{what} takes {_ratio(ratio, resolved)}",
                    width,
                    initial_indent="    ",
                    subsequent_indent="      ",
                    break_long_words=False,
                )
            )
        out.extend(f"    {line}" for line in _tree(r, visible))
    return "\n".join(out) + "\n"


def render_suggest_markdown(results: Sequence[Suggestions]) -> str:
    """Return the suggestions as Markdown, for a client report or a pull request."""
    out: list[str] = []
    for r in results:
        b = r.before
        out.append(f"## {md_text(r.name)}")
        out.append("")
        out.append(
            f"{_code(display_path(r.file))}: score **{b.score}**, typical call "
            f"{_typical(b)}, time to a person {_to_person(b)}, "
            f"calls resolved {b.resolved_share:.0%}."
        )
        out.append("")
        measured = [s for s in r.suggestions if s.measured]
        if measured:
            out.append(
                "| # | change | where | saves (typical call) | resolves more | score | fixes |"
            )
            out.append("|---|---|---|---|---|---|---|")
            for n, s in enumerate(measured, start=1):
                saves = "-" if not s.saves_seconds else message_seconds(s.saves_seconds)
                more = (
                    f"{s.resolves_more:.0%} ({md_text(', '.join(s.resolves))})"
                    if s.resolves_more and s.resolves_more >= 0.005
                    else "-"
                )
                score = f"{b.score} → {s.after.score}" if s.after else "-"
                out.append(
                    f"| {n} | {md_text(s.title)} | {md_text(display_path(s.file))}:{s.line} "
                    f"| {saves} | {more} | {score} | {', '.join(s.fixes) or '-'} |"
                )
            out.append("")
            for n, s in enumerate(measured, start=1):
                out.append(f"{n}. **{md_text(s.title)}** ({_code(s.id)}): {md_text(s.why)}.")
                out.append(f"   Change: {md_text(s.change)}.")
                if _month(s.saves_per_month):
                    out.append(f"   A month: {md_text(_month(s.saves_per_month))}.")
                if s.slower:
                    slower = ", ".join(f"{md_text(i)} +{message_seconds(x)}" for i, x in s.slower)
                    out.append(f"   Slower: {slower}.")
                if s.decision:
                    out.append(f"   *Decide:* {md_text(s.decision)}.")
            out.append("")
        else:
            out.append("No change found that the model shows to be better.")
            out.append("")
        listed = [s for s in r.suggestions if not s.measured]
        if listed:
            out.append("Listed, not applied (the menu format cannot model them):")
            out.append("")
            for s in listed:
                out.append(f"- **{md_text(s.title)}** ({_code(s.id)}): {md_text(s.why)}.")
            out.append("")
        c = r.combined
        combined = _month(r.combined_saves_per_month)
        out.append(
            f"**Combined** ({len(c.applied)} changes): {_figures(b, c.after)}"
            + (f"; a month: {md_text(combined)}." if combined else ".")
        )
        out.append("")
        o = r.optimum
        out.append(
            f"**Best keypad menu** for these callers (at most {o.max_options} options a menu): "
            f"typical call {_s(o.typical_call_seconds)}; this menu takes "
            f"{_ratio(r.optimum_ratio, b.resolvable_share)}, the combined one "
            f"{_ratio(r.combined_ratio, c.after.resolvable_share)}."
        )
        out.append("")
        out.append("```text")
        out.extend(_tree(r, lambda t: visible(t).replace("```", "'''")))
        out.append("```")
        out.append("")
    return "\n".join(out)
