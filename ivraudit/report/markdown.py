"""A Markdown report for a pull-request comment or a job summary: menus, then details."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from ivraudit.audit import Audit
from ivraudit.format.units import NBSP, message_seconds
from ivraudit.judge.findings import Severity
from ivraudit.judge.gate import Verdict
from ivraudit.report.callsview import OVERLOADED, TITLE, calls_view
from ivraudit.report.grouping import group_findings
from ivraudit.report.headline import Headline, headline, person_text, score_part_title
from ivraudit.report.location import display_path
from ivraudit.report.menuname import shown_name
from ivraudit.report.safe import one_line
from ivraudit.report.walkthrough import TITLE as WALK_TITLE
from ivraudit.report.walkthrough import build_walkthrough

# A GitHub comment holds at most 65,536 characters; long lists belong in SARIF.
MAX_FINDING_ROWS = 50
# Backslash first, so the escapes added after it stay escapes.
# `@` too: a name such as "@team" must not notify anyone from a pull-request comment.
_MARKDOWN = re.compile(r"([\\`*_\[\]|~@])")
# In HTML, HTML's own specials and Markdown's, each as a numeric character reference.
_MARKDOWN_IN_HTML = re.compile(r"[&<>\"'\\`*_\[\]|~@!#]")
# Kinds of call walked through per menu; the HTML page shows every one.
MAX_WALKS = 10
_ORDER = (Severity.ERROR, Severity.WARNING, Severity.INFO)


def md_text(text: str) -> str:
    """Return `text` safe in Markdown on one line: HTML and Markdown punctuation escaped.

    A line break shows as `\\n`: one in a name could otherwise start a heading, a list
    or an image of its own."""
    return _MARKDOWN.sub(r"\\\1", html.escape(one_line(text), quote=False))


def md_cell(text: str) -> str:
    """Return `text` safe in a table cell, `|` escaped."""
    return md_text(text)


def html_text(text: str) -> str:
    """Return `text` safe on one line inside HTML such as `<summary>`.

    Markdown punctuation becomes character references too, so the text stays inert
    where a renderer reads Markdown inside HTML."""
    return _MARKDOWN_IN_HTML.sub(lambda m: f"&#{ord(m.group())};", one_line(text))


def _seconds(value: float | None) -> str:
    return "never" if value is None else message_seconds(value)


def render_markdown(verdicts: Sequence[Verdict]) -> str:
    """Return a table of menus, then the findings and score of each flagged menu."""
    failed = sum(1 for v in verdicts if not v.passed)
    out = markdown_head(len(verdicts), failed)
    out += [table_row(v) for v in verdicts]
    if verdicts:
        out.append("")
    for v in verdicts:
        out += menu_details(v)
    return "\n".join(out).rstrip("\n") + "\n"


def markdown_head(count: int, failed: int) -> list[str]:
    """Return the report's heading and, when there are menus, its table's header lines."""
    noun = "menu" if count == 1 else "menus"
    if failed:
        head = f"## ivraudit: {failed} of {count} {noun} failed"
    else:
        head = f"## ivraudit: {count} {noun} checked, all passed"
    out = [head, ""]
    if count:
        out += [
            "| Menu | Score | Band | Time to a person | Errors | Warnings | Info | Result |",
            "| --- | ---: | --- | ---: | ---: | ---: | ---: | --- |",
        ]
    return out


def table_row(v: Verdict) -> str:
    """Return a menu's row in the table of menus."""
    a = v.audit
    counts = [sum(1 for f in a.findings if f.severity is s) for s in _ORDER]
    result = "✅ pass" if v.passed else "❌ **FAIL**"
    cells = [
        md_cell(display_path(a.file)),
        str(a.score.value),
        a.score.band,
        _plain(person_text(a)),
        *map(str, counts),
        result,
    ]
    return "| " + " | ".join(cells) + " |"


def menu_details(v: Verdict) -> list[str]:
    """Return a menu's lines after the table: its findings and score when it failed or has
    findings, else the assumptions of an imported menu, else none."""
    if not v.passed or v.audit.findings:
        return _details(v)
    calls = v.audit.metrics.calls
    if calls is not None and calls.month is not None:
        # With traffic, what callers live through (queues, the month) is worth a look
        # even when the menu passes clean; intents alone add nothing the table lacks.
        return _calls_details(v)
    if v.audit.menu.assumptions:  # an imported menu: what its figures rest on
        return _assumptions(v)
    return []


def _calls_details(v: Verdict) -> list[str]:
    """Return a passing menu's folded details: the headline, what to fix first, the key
    figures and what its callers live through."""
    a = v.audit
    summary = f"<b>{html_text(display_path(a.file))}</b> ({html_text(shown_name(a.menu))}): pass"
    lines = [*_top_lines(v), *_calls_lines(a), *walk_lines(a), *_assumption_lines(a)]
    return ["<details>", f"<summary>{summary}</summary>", "", *lines, "</details>", ""]


def _top(v: Verdict) -> Headline:
    """Return the headline of a verdict's menu, its fixes from the verdict's top
    suggestions (the suggest contract's objects, as the other reports read them)."""
    found = v.top_suggestions
    known = None
    if found is not None:
        known = {
            "before": {"score": v.audit.score.value},
            "suggestions": [t.to_dict() for t in found],
        }
    return headline(v.audit, known)


def _top_lines(v: Verdict) -> list[str]:
    """Return the headline, the things to fix first and the key figures, in the order
    every report keeps (docs/reports.md)."""
    top = _top(v)
    out = ["**" + md_text(_plain(" ".join(top.sentences))) + "**", ""]
    if top.fixes:
        out += ["**Fix these first** (`ivraudit suggest` measures and writes them):", ""]
        for f in top.fixes:
            effect = [f.gain if not f.gain.startswith("saves") else f"{f.gain} a typical call"]
            if f.month:
                effect.append(f.month)
            where = f" ({f.where})" if f.where else ""
            ident = f" [{md_text(f.id)}]" if f.id else ""
            out.append(f"1. {md_text(f.title)}{ident}: {md_text(_plain('; '.join(effect)))}{where}")
        out.append("")
    out += ["| Key figure | Value | Mark | Note |", "| --- | ---: | --- | --- |"]
    for f in top.figures:
        mark = f"**{f.status}**" if f.status == "poor" else f.status
        cells = [md_cell(f.label), md_cell(_plain(f.value)), mark, md_cell(_plain(f.note))]
        out.append("| " + " | ".join(cells) + " |")
    out.append("")
    return out


def _plain(text: str) -> str:
    return text.replace(NBSP, " ")


def _calls_lines(a: Audit) -> list[str]:
    """Return what callers live through beyond the key figures: each queue and the month
    (none without `traffic`)."""
    view = calls_view(a)
    if view is None or not (view.queues or view.month is not None):
        return []
    # Resolved, hang-ups and time on the phone are key figures; here the queues and month.
    head = f"**{TITLE}**" + (f" (at {_plain(view.per_hour)})" if view.per_hour else "")
    out = [head, ""]
    if view.queues:
        out += [
            "| Queue | Load | Answered in | Hang up | Agents | Needed |",
            "| --- | ---: | ---: | ---: | ---: | ---: |",
        ]
        for q in view.queues:
            cells = [q.name, q.load, _plain(q.answer), q.hang_up, q.agents, q.needed]
            out.append("| " + " | ".join(md_cell(c) for c in cells) + " |")
        out.append("")
        for q in view.queues:
            if q.note:
                out += [f"**{md_text(q.name)}** is {q.note}.", ""]
        out += [f"_{md_text(_plain(view.needed_note).capitalize())}._", ""]
    if view.month is not None:
        mo = view.month
        endless = f" ({OVERLOADED})" if mo.endless else ""
        month = (
            f"**A month** ({_plain(mo.calls)} over {_plain(mo.hours)} like this one): "
            f"callers on the line {_plain(mo.caller_hours)}{endless}, agents talking "
            f"{_plain(mo.agent_hours)} of {_plain(mo.staffed_hours)} staffed"
        )
        if mo.cost:
            month += f", cost {md_text(_plain(mo.cost))}{endless}"
        out += [month + ".", ""]
    return out


def _why_lines(a: Audit) -> list[str]:
    """Return why each rule that found something matters, with its source, once a rule."""
    rules = {r.rule: r for g in group_findings(a.findings) for r in g.rules if r.why}
    if not rules:
        return []
    out = ["**Why these matter:**", ""]
    for _, r in sorted(rules.items()):
        why = f"{md_text(r.title)} — {md_text(r.why)}"
        out.append(f"- **{r.rule}** {why} _Source: {md_text(r.cite)}_")
    return [*out, ""]


def walk_lines(a: Audit, limit: int = MAX_WALKS) -> list[str]:
    """Return what it is like to call: each kind of call's prompts in order, with the
    clock, the keys pressed, the hold and where the call ends (the first `limit`)."""
    walks = build_walkthrough(a).walks
    if not walks:
        return []
    out = [f"**{WALK_TITLE}** (the clock runs from the first ring):", ""]
    for w in walks[:limit]:
        mix = f" ({w.share})" if w.share else ""
        out += [f"_{md_text(w.title)}_{mix}, {_plain(w.total)}:", ""]
        for m in w.moments:
            said = " ".join(
                x
                for x in (
                    f"“{md_text(m.hears)}”" if m.hears else "",
                    f"**{md_text(m.does)}**" if m.does else "",
                )
                if x
            )
            out.append(f"- {_plain(m.clock)}: {said}")
        out.append(f"- {_plain(w.total)}: **{md_text(w.end)}**")
        if w.note:
            out += ["", f"_{md_text(_plain(w.note))}_"]
        out.append("")
    if len(walks) > limit:
        out += [f"… and {len(walks) - limit} more (the HTML report shows them all).", ""]
    return out


def _assumptions(v: Verdict) -> list[str]:
    """Return the assumptions an imported menu's figures rest on, as a folded list."""
    a = v.audit
    summary = f"<b>{html.escape(display_path(a.file))}</b>: assumptions of the import"
    return [
        "<details>",
        f"<summary>{summary}</summary>",
        "",
        *_assumption_lines(a),
        "</details>",
        "",
    ]


def _assumption_lines(a: Audit) -> list[str]:
    if not a.menu.assumptions:
        return []
    lines = ["**Assumed where the export is silent** (docs/importers.md):", ""]
    return [*lines, *(f"- {md_text(x)}" for x in a.menu.assumptions), ""]


def _details(v: Verdict) -> list[str]:
    a = v.audit
    status = "pass" if v.passed else "FAIL"
    noun = "finding" if len(a.findings) == 1 else "findings"
    summary = (
        f"<b>{html_text(display_path(a.file))}</b> ({html_text(shown_name(a.menu))}): "
        f"{status}, {len(a.findings)} {noun}"
    )
    out = ["<details>", f"<summary>{summary}</summary>", ""]
    if v.reasons:
        out += ["**Fails because:**", ""]
        out += [f"- {md_text(r)}" for r in v.reasons]
        out.append("")
    out += [*_top_lines(v), *_calls_lines(a)]
    if a.findings:
        out += ["| Severity | Rule | Line | Message |", "| --- | --- | ---: | --- |"]
        for f in a.findings[:MAX_FINDING_ROWS]:
            rule = md_cell(f"{f.rule} {f.name}")
            out.append(f"| {f.severity.value} | {rule} | {f.pos.line} | {md_cell(f.message)} |")
        hidden = len(a.findings) - MAX_FINDING_ROWS
        if hidden > 0:
            out += ["", f"… and {hidden} more (the SARIF or JSON report lists them all)."]
        out.append("")
        out += _why_lines(a)
    out += walk_lines(a)
    out += _assumption_lines(a)
    out += _score(a)
    out += ["", "</details>", ""]
    return out


def _score(a: Audit) -> list[str]:
    """Return how the score was made: each category, its weight, score and parts."""
    score = a.score
    how = "the weighted mean of its categories"
    if score.capped_by:
        how = (
            f"capped from {score.uncapped} because of error findings "
            f"({', '.join(score.capped_by)}); otherwise {how}"
        )
    out = [
        f"**How the score was made:** {score.value}/100 ({score.band}), {how}.",
        "",
        "| Category | Weight | Score | Made of |",
        "| --- | ---: | ---: | --- |",
    ]
    for c in score.categories:
        parts = "<br>".join(
            md_cell(f"{score_part_title(a, p.metric, p.title)}: {p.display}")
            + (" (n/a)" if p.score is None else f" ({p.score * 100:.0f})")
            for p in c.parts
        )
        out.append(f"| {md_cell(c.title)} | {c.weight:.0%} | {c.value} | {parts} |")
    return out
