"""The catalogue of built-in rules: one module each, listed once in REGISTRY.

A rule module defines ID, NAME, TITLE, CATEGORY, SEVERITY, RATIONALE, SOURCE, OPTIONS
and `check(ctx, options)`, a generator of Problems; its docstring shows a failing and a
passing menu. Adding a rule means adding a module and one line below.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable, Iterable, Mapping
from dataclasses import field
from types import ModuleType
from typing import Any

from ivraudit.frozen import frozen
from ivraudit.judge.findings import Problem, Severity
from ivraudit.judge.rules import (
    barge_in_off,
    dead_end,
    duplicate_key,
    error_path_fastest,
    excessive_retries,
    filler_phrase,
    frequent_intent_late,
    key_first,
    key_order,
    late_human,
    long_hold,
    long_preamble,
    long_prompt,
    max_depth,
    max_options,
    no_human,
    no_zero_out,
    nonstandard_key,
    overloaded_queue,
    repeat_question,
    single_option,
    slow_to_human,
    slow_to_queue,
    slow_typical_call,
    trap,
    understaffed_queue,
    unhandled_intent,
    unreachable,
    unused_suppression,
)
from ivraudit.judge.rules.context import Context

CATEGORIES: dict[str, str] = {
    "reach": "Reach a person",
    "navigation": "Navigation",
    "prompts": "Prompts",
    "robustness": "Robustness",
}


@frozen
class Rule:
    """A built-in rule, read from its module."""

    id: str
    name: str
    title: str
    category: str
    severity: Severity
    rationale: str
    source: str
    options: Mapping[str, Any]
    check: Callable[[Context, Mapping[str, Any]], Iterable[Problem]] = field(repr=False)
    # The module's docstring as written; `doc` dedents it when asked (rarely: `ivraudit
    # rules`, the docs), not for every run.
    docstring: str = field(default="", repr=False)
    after_suppression: bool = False
    # Optional check of configured options beyond their types: returns what is wrong.
    validate: Callable[[Mapping[str, Any]], str | None] | None = field(default=None, repr=False)

    @classmethod
    def from_module(cls, module: ModuleType) -> Rule:
        """Return the rule a module defines."""
        return cls(
            id=module.ID,
            name=module.NAME,
            title=module.TITLE,
            category=module.CATEGORY,
            severity=Severity(module.SEVERITY),
            rationale=" ".join(module.RATIONALE.split()),
            source=" ".join(module.SOURCE.split()),
            options=dict(module.OPTIONS),
            check=module.check,
            docstring=module.__doc__ or "",
            after_suppression=getattr(module, "AFTER_SUPPRESSION", False),
            validate=getattr(module, "validate_options", None),
        )

    @property
    def doc(self) -> str:
        """Return the module's docstring, dedented: what it says, then its examples."""
        return textwrap.dedent(self.docstring)

    def example(self, which: str) -> str:
        """Return the docstring's menu under 'Fails:' or 'Passes:' (`which`)."""
        match = re.search(rf"^{which}:\n\n((?:    .*\n|\n)+)", self.doc, re.MULTILINE)
        if not match:
            raise LookupError(f"{self.id} has no '{which}:' example in its docstring")
        return textwrap.dedent(match.group(1)).strip() + "\n"

    @property
    def why(self) -> str:
        """Return why the rule matters in one sentence: its rationale's first."""
        return _first(self.rationale, ".")

    @property
    def cite(self) -> str:
        """Return the rule's first source in brief: its SOURCE up to the first `:`, `;` or
        full stop outside brackets once a year or a quoted title is named (`GetHuman
        Standard v1.0 (2007), point 7`); a source that names neither is given whole."""
        return _first(self.source, ".:;", after=_CITED)

    @property
    def summary(self) -> str:
        """Return the docstring's first line."""
        return self.doc.strip().splitlines()[0] if self.doc.strip() else self.title


# What a citation names: a year or a quoted title.
_CITED = re.compile(r"\b(?:1[89]|20)\d\d\b|\"")


def _first(text: str, stops: str, after: re.Pattern[str] | None = None) -> str:
    """Return `text` up to the first of `stops` that ends a clause (followed by a space or
    the end) outside brackets, and, with `after`, once the text so far matches it; without
    a trailing colon or semicolon."""
    depth = 0
    for i, ch in enumerate(text):
        depth += (ch == "(") - (ch == ")")
        if depth == 0 and ch in stops and (i + 1 == len(text) or text[i + 1] == " "):
            # "v1.0" or "c. 2006" do not end a clause: a stop ends one before a capital.
            if ch == "." and i + 2 < len(text) and not text[i + 2].isupper():
                continue
            if after is not None and not after.search(text, 0, i):
                continue
            return text[: i + 1].rstrip(":;").strip()
    return text.strip()


_MODULES = (
    # Reach a person
    no_human,
    slow_to_queue,
    slow_to_human,
    no_zero_out,
    late_human,
    long_hold,
    error_path_fastest,
    slow_typical_call,
    overloaded_queue,
    understaffed_queue,
    # Navigation
    max_depth,
    max_options,
    unreachable,
    duplicate_key,
    single_option,
    key_order,
    nonstandard_key,
    frequent_intent_late,
    unhandled_intent,
    # Prompts
    key_first,
    long_preamble,
    filler_phrase,
    barge_in_off,
    long_prompt,
    # Robustness
    trap,
    dead_end,
    repeat_question,
    excessive_retries,
    # Suppressions
    unused_suppression,
)

REGISTRY: dict[str, Rule] = {m.ID: Rule.from_module(m) for m in _MODULES}
_BY_NAME: dict[str, str] = {r.name: r.id for r in REGISTRY.values()}


def rule_id(id_or_name: str) -> str:
    """Return the id of a rule named by id or alias; raise KeyError if there is none."""
    if id_or_name.upper() in REGISTRY:
        return id_or_name.upper()
    if id_or_name in _BY_NAME:
        return _BY_NAME[id_or_name]
    raise KeyError(f"unknown rule '{id_or_name}' (see `ivraudit rules`)")


def get_rule(id_or_name: str) -> Rule:
    """Return the rule named by id or alias; raise KeyError if there is none."""
    return REGISTRY[rule_id(id_or_name)]
