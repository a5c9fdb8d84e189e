"""The catalogue of suggestion kinds: one module each, listed once here.

A kind module defines KIND, TITLE, FIXES (the rules it fixes), RATIONALE, SOURCE and
`propose(site)`, a generator of Changes. Adding a kind means adding a module and a line.
"""

from __future__ import annotations

from types import ModuleType

from ivraudit.suggest.kinds import (
    ask_once,
    barge_in,
    callback,
    connect_stranded,
    cut_preamble,
    dead_ends,
    drop_repeat,
    flatten,
    function_first,
    order_by_share,
    staffing,
    taxi_model,
    zero_out,
)

KINDS: dict[str, ModuleType] = {
    m.KIND: m
    for m in (
        taxi_model,
        order_by_share,
        zero_out,
        cut_preamble,
        flatten,
        drop_repeat,
        ask_once,
        connect_stranded,
        dead_ends,
        barge_in,
        function_first,
        staffing,
        callback,
    )
}
