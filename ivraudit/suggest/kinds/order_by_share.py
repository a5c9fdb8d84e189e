"""Read a menu's options in descending share of the callers who choose them."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import replace

from ivraudit.format.model import Menu, Option, Position
from ivraudit.judge.rules import frequent_intent_late
from ivraudit.suggest.base import Change, Site
from ivraudit.suggest.edit import DIGITS, rekey, with_node

KIND = "order-by-share"
TITLE = "Most frequent first"
FIXES = ("IVR208", "IVR206")
RATIONALE = """Callers listen until they hear their option, so reading the most chosen
options first saves the most caller-seconds. Keys are renumbered so they are still read
1, 2, 3: regular callers who press from memory will reach another option until they
learn the new keys, so announce the change (or keep the old keys and accept keys read
out of order). Options no caller's route uses keep their order, after the others."""
SOURCE = """Avaya Interactive Response R2.0, "Designing voice response applications"
(2006): most likely choice first; rule IVR208."""


def propose(site: Site) -> Iterator[Change]:
    """Yield a change for each reachable menu whose options are not read most chosen first."""
    weights = frequent_intent_late._option_weights(site.ctx)
    for node in site.menus():
        w = weights.get(node.id)
        if w is None:
            continue
        share = {o.pos: x for o, x in zip(node.options, w, strict=True)}
        order = _ordered(node.options, share)
        renumbered = _renumber(order)
        if order == node.options and (renumbered is None or renumbered == order):
            continue
        keys = "renumbered" if renumbered is not None else "kept"
        said = ", ".join(
            dict.fromkeys(f"{_name(o)} (key {o.key}, {share[o.pos]:.0%})" for o in order)
        )
        change = f"read the options as: {said}; keys {keys}" + (
            " so they are still read in order: regular callers who press from memory need telling"
            if renumbered is not None
            else " (the wording names keys in a way that cannot be renumbered)"
        )
        yield Change(
            key=node.id,
            title=f"Read the options of '{node.id}' most chosen first",
            why=(
                f"at '{node.id}' callers hear rarer options before the ones most of them "
                "choose, and wait through them"
            ),
            change=change,
            nodes=(node.id,),
            pos=node.where("options"),
            apply=lambda menu, nid=node.id, s=share: _apply(menu, nid, s),
            decision="regular callers: renumber the keys (announce it) or keep them",
        )


# "Press 2 for", "For billing, press 2": the words around the key that name no option.
_PRESS = re.compile(r"\b(?:press|dial|say)\s+[0-9*#]+\b[,.]?", re.IGNORECASE)
_LEAD = re.compile(r"^(?:for|to)\s+", re.IGNORECASE)


def _name(option: Option, limit: int = 40) -> str:
    """Return an option as a caller knows it: its label, else its words without the key."""
    if option.label:
        return option.label
    words = _LEAD.sub("", _PRESS.sub("", option.say or "").strip(" ,.;:"))
    words = " ".join(words.split())
    if not words:
        return f"to '{option.goto}'"
    return words if len(words) <= limit else words[: limit - 1].rstrip() + "…"


def _ordered(options: tuple[Option, ...], share: Mapping[Position, float]) -> tuple[Option, ...]:
    """Return digit options by share (used ones first, stable), then 0, * and #."""
    digits = [o for o in options if o.key in DIGITS]
    rest = [o for o in options if o.key not in DIGITS]
    used = sorted((o for o in digits if share.get(o.pos, 0) > 0), key=lambda o: -share[o.pos])
    unused = [o for o in digits if share.get(o.pos, 0) <= 0]
    return (*used, *unused, *rest)


def _renumber(order: tuple[Option, ...]) -> tuple[Option, ...] | None:
    """Return the options with the same digit keys handed out in reading order."""
    keys = sorted(o.key for o in order if o.key in DIGITS)
    out, it = [], iter(keys)
    for o in order:
        new = rekey(o, next(it)) if o.key in DIGITS else o
        if new is None:
            return None
        out.append(new)
    return tuple(out)


def _apply(menu: Menu, node_id: str, share: Mapping[Position, float]) -> Menu | None:
    node = menu.by_id.get(node_id)
    if node is None or node.type != "menu":
        return None
    order = _ordered(node.options, share)
    options = _renumber(order) or order
    if options == node.options:
        return None
    if len({o.key for o in options}) != len({o.key for o in node.options}):
        return None
    return with_node(menu, replace(node, options=options))
