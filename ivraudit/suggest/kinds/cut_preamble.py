"""Cut the welcome and the stock phrases callers hear before the first option."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from ivraudit.analysis.timing import speech_seconds
from ivraudit.format.model import Menu, Node
from ivraudit.format.units import message_seconds
from ivraudit.judge.rules import filler_phrase
from ivraudit.suggest.base import Change, Site
from ivraudit.suggest.edit import with_node

KIND = "cut-preamble"
TITLE = "Cut the preamble and filler"
FIXES = ("IVR302", "IVR303", "IVR305")
RATIONALE = """Every caller hears the welcome on every call; stock phrases ("your call is
important to us", "please listen carefully") tell them nothing. A one-sentence greeting
and the notices the law requires are enough. A prompt marked `keep: true` is never cut,
and the sentences kept are for a person to check."""
SOURCE = """GetHuman Standard (2006 draft), "additional guidelines"; Software Advice (2014),
"IVR Design Lessons From the Fortune 500" (keep the greeting short); rules IVR302, IVR303."""

# Sentences that are usually required: recording and privacy notices, emergency numbers.
_LEGAL = re.compile(
    r"\b(?:record\w*|monitor\w*|privacy|data protection|terms|emergenc\w*|999|911|112)\b",
    re.IGNORECASE,
)
# Menu introductions that only announce that options follow.
_INTROS = (
    r"please (?:choose|select|listen to) (?:from )?(?:one of )?the following( options)?",
    r"(?:please )?listen to (?:all of )?the following options",
)
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_CLAUSE = re.compile(r"[,;:]\s*|\s+-\s+")


def propose(site: Site) -> Iterator[Change]:
    """Yield a change for each preamble message and each menu prompt with filler to cut."""
    timing = site.menu.timing
    for node in site.ctx.nodes("message", "menu"):
        if node.keep or not node.prompt or node.prompt_seconds is not None:
            continue
        before_first = site.ctx.presses[node.id] == 0
        if node.type == "message" and not before_first:
            continue
        kept = _cut(node, greeting=node.type == "message", first=before_first)
        if kept == node.prompt:
            continue
        was, now = speech_seconds(node.prompt, timing), speech_seconds(kept, timing)
        shown = f'"{kept}"' if kept else "nothing"
        yield Change(
            key=node.id,
            title=(
                f"Cut the message '{node.id}' to what callers need"
                if node.type == "message"
                else f"Drop the filler in the prompt of '{node.id}'"
            ),
            why=(
                f"'{node.id}' takes {message_seconds(was)}"
                + (" before the first option" if before_first else "")
                + "; most of it is stock phrases that tell callers nothing "
                + f"({message_seconds(now)} left)"
            ),
            change=f"say {shown} instead (mark legally required words with keep: true)",
            nodes=(node.id,),
            pos=node.where("prompt"),
            apply=lambda menu, nid=node.id, text=kept: _apply(menu, nid, text),
            decision=(
                "wording: check the kept words; notices the law requires must stay"
                if kept
                else "wording: whether callers need any words here; notices the law requires "
                "must stay"
            ),
        )


def _cut(node: Node, *, greeting: bool, first: bool = False) -> str:
    """Return the sentences of the prompt worth keeping. The first sentence callers hear
    keeps its clauses that are no filler ("Welcome to Pizza Place, your call is important
    to us." keeps "Welcome to Pizza Place."): the brand greeting tells them they called
    the right number."""
    sentences = [s for s in _SENTENCE.split(" ".join((node.prompt or "").split())) if s]
    kept = []
    for i, sentence in enumerate(sentences):
        filler = _filler(sentence)
        if _LEGAL.search(sentence) or (not filler and (not greeting or i == 0)):
            kept.append(sentence)
        elif i == 0 and first and filler:
            clauses = [c.strip() for c in _CLAUSE.split(sentence.rstrip(".!?")) if c.strip()]
            left = [c for c in clauses if not _filler(c)]
            if left and len(left) < len(clauses):
                kept.append(", ".join(left) + sentence[len(sentence.rstrip(".!?")) :])
    return " ".join(kept)


def _filler(text: str) -> bool:
    # The built-in phrases apart from the introductions: the rule's own screen serves.
    return filler_phrase.says_phrase(text, filler_phrase.DEFAULT_PHRASES) or (
        filler_phrase.says_phrase(text, _INTROS)
    )


def _apply(menu: Menu, node_id: str, text: str) -> Menu | None:
    node = menu.by_id.get(node_id)
    if node is None or node.keep or node.prompt == text:
        return None
    prompt = text if text or node.type == "menu" else None
    return with_node(menu, replace(node, prompt=prompt))
