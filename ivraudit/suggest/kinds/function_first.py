"""Say what an option does before its key ("For billing, press 2")."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from ivraudit.format.model import Menu, Node, Option
from ivraudit.judge.rules import key_first
from ivraudit.suggest.base import Change, Site
from ivraudit.suggest.edit import with_node

KIND = "function-first"
TITLE = "Function before key"
FIXES = ("IVR301",)
RATIONALE = """Callers who hear the key first must hold it in mind until they know
whether the option is theirs; saying the function first lets them skip what is not
theirs. The words are the same, only their order changes."""
SOURCE = """IBM WebSphere Voice Response design guide, "Wording your prompts"; ISO/IEC
13714:1995 as commonly summarised; rule IVR301."""


def propose(site: Site) -> Iterator[Change]:
    """Yield a change for each reachable menu with options worded key first."""
    for node in site.menus():
        turned = _turned(node)
        if not turned:
            continue
        first = next(o for o in node.options if o.key in turned)
        yield Change(
            key=node.id,
            title=f"Say the function before the key at '{node.id}'",
            why=(
                f"{len(turned)} options of '{node.id}' name the key before what they do"
                if len(turned) > 1
                else f"an option of '{node.id}' names the key before what it does"
            ),
            change="; ".join(f'key {k}: "{say}"' for k, say in turned.items()),
            nodes=(node.id,),
            pos=first.pos,
            apply=lambda menu, nid=node.id: _apply(menu, nid),
            decision="wording",
        )


def _turned(node: Node) -> dict[str, str]:
    """Return the new wording of each key-first option the rule can turn round."""
    out = {}
    for option in node.options:
        say = _turn(option)
        if say is not None:
            out[option.key] = say
    return out


def _turn(option: Option) -> str | None:
    if option.say is None:
        return None
    match = key_first._KEY_FIRST.match(" ".join(option.say.split()))
    if not match or not key_first._CLAUSE.match(match["rest"]):
        return None
    function = match["rest"].rstrip(".!? ")
    return f"{function[0].upper()}{function[1:]}, press {match['key']}."


def _apply(menu: Menu, node_id: str) -> Menu | None:
    node = menu.by_id.get(node_id)
    if node is None or node.type != "menu":
        return None
    turned = _turned(node)
    if not turned:
        return None
    options = tuple(
        replace(o, say=turned[o.key]) if o.key in turned and _turn(o) else o for o in node.options
    )
    return with_node(menu, replace(node, options=options))
