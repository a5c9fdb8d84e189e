"""The rules reference (docs/rules.md), generated from the rule modules themselves."""

from __future__ import annotations

from ivraudit.judge.rules import CATEGORIES, REGISTRY, Rule


def rules_markdown() -> str:
    """Return the Markdown reference of every rule, grouped by category."""
    out = [
        "# Rules",
        "",
        "Generated from the rule modules by `ivraudit rules --format markdown`; do not edit.",
        "Select rules by id or alias in `.ivraudit.yaml` (`select`, `extend-select`, `ignore`),",
        "change a severity under `severity:` and a threshold under `rules:` (see",
        "[configuration](configuration.md)).",
        "",
        "| id | alias | severity | title |",
        "|---|---|---|---|",
    ]
    for r in REGISTRY.values():
        out.append(f"| [{r.id}](#{r.id.lower()}) | `{r.name}` | {r.severity.value} | {r.title} |")
    for category, title in [*CATEGORIES.items(), ("meta", "Suppressions")]:
        rules = [r for r in REGISTRY.values() if r.category == category]
        if not rules:
            continue
        out += ["", f"## {title}"]
        for r in rules:
            out += ["", *_rule(r)]
    return "\n".join(out) + "\n"


def rule_markdown(r: Rule) -> str:
    """Return the Markdown reference of one rule."""
    return "\n".join(_rule(r))


def _rule(r: Rule) -> list[str]:
    lines = [
        f"### {r.id}",
        "",
        f"**{r.title}** — alias `{r.name}`, default severity **{r.severity.value}**.",
        "",
        r.summary if r.summary != r.title else "",
        "",
        f"*Why:* {r.rationale}",
        "",
        f"*Source:* {r.source}",
    ]
    if r.options:
        opts = ", ".join(f"`{k}` = `{v!r}`" for k, v in r.options.items())
        lines += ["", f"*Options:* {opts}"]
    for label, which in (("Fails", "Fails"), ("Passes", "Passes")):
        lines += ["", f"{label}:", "", "```yaml", r.example(which).rstrip(), "```"]
    return [ln for i, ln in enumerate(lines) if not (ln == "" and i > 0 and lines[i - 1] == "")]
