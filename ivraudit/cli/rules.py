"""`ivraudit rules`: the rules, listed or explained one at a time."""

from __future__ import annotations

import sys

import click

from ivraudit.cli.program import EXIT_INPUT


@click.command()
@click.argument("rule", required=False)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "markdown"]),
    default="text",
    show_default=True,
    help="markdown writes the rules reference (docs/rules.md).",
)
def rules(rule: str | None, fmt: str) -> None:
    """List the rules, or explain one (by id or alias).

    \b
    Examples:
      ivraudit rules
      ivraudit rules IVR104
      ivraudit rules max-depth
    """
    import json

    from ivraudit.judge.rules import REGISTRY, get_rule

    if fmt == "markdown":
        from ivraudit.judge.rulesdoc import rule_markdown, rules_markdown

        if rule is None:
            click.echo(rules_markdown(), nl=False)
            return
        try:
            click.echo(rule_markdown(get_rule(rule)))
        except KeyError as exc:
            click.echo(f"error: {exc.args[0]}", err=True)
            sys.exit(EXIT_INPUT)
        return
    if rule is None:
        if fmt == "json":
            items = [_rule_dict(r) for r in REGISTRY.values()]
            click.echo(json.dumps(items, indent=2))
            return
        for r in REGISTRY.values():
            click.echo(f"{r.id}  {r.name:<22} {r.severity.value:<8} {r.category:<11} {r.title}")
        return
    try:
        r = get_rule(rule)
    except KeyError as exc:
        click.echo(f"error: {exc.args[0]}", err=True)
        sys.exit(EXIT_INPUT)
    if fmt == "json":
        click.echo(json.dumps(_rule_dict(r), indent=2))
        return
    click.echo(f"{r.id} ({r.name}): {r.title}")
    click.echo(f"category: {r.category}   default severity: {r.severity.value}")
    if r.options:
        click.echo("options (set under `rules:` in .ivraudit.yaml):")
        for name, value in r.options.items():
            if isinstance(value, list) and value:
                click.echo(f"  {name}:")
                for item in value:
                    click.echo(f"    - {item}")
            else:
                click.echo(f"  {name}: {value!r}")
    click.echo(f"\nWhy: {r.rationale}\nSource: {r.source}\n")
    click.echo(r.doc.strip())


def _rule_dict(r) -> dict:  # type: ignore[no-untyped-def]
    return {
        "id": r.id,
        "name": r.name,
        "title": r.title,
        "category": r.category,
        "severity": r.severity.value,
        "options": dict(r.options),
        "rationale": r.rationale,
        "source": r.source,
    }
