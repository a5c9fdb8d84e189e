"""`IntentCalls.edge_passes`: how often each intent's calls take each edge, branches split."""

from __future__ import annotations

import pytest

from tests.conftest import audit_yaml
from tests.rules.common import FIXTURES


def test_a_failed_self_service_passes_its_next_with_the_calls_it_does_not_resolve() -> None:
    text = (FIXTURES / "IVR110" / "fail.yaml").read_text()  # the contract's worked example
    calls = audit_yaml(text).metrics.calls
    assert calls is not None
    pay = calls.intent("pay_bill")
    assert pay is not None
    assert dict(pay.edge_passes) == pytest.approx(
        {("main", "pay", 0): 1.0, ("pay", "care_desk", 0): 0.3}
    )


def test_a_branch_splits_the_calls_by_share() -> None:
    text = (FIXTURES / "IVR208" / "fail_night_branch.yaml").read_text()
    a = audit_yaml(text)
    assert a.metrics.calls is not None
    renew = a.metrics.calls.intent("renew")
    assert renew is not None
    g = a.graph
    by_option = {
        (u, g.edges[u, v, k]["dtmf"]): p
        for (u, v, k), p in renew.edge_passes.items()
        if g.edges[u, v, k]["kind"] == "option"
    }
    assert by_option == pytest.approx({("day", "1"): 0.6, ("night", "2"): 0.4})


def test_an_unresolvable_intent_passes_nowhere() -> None:
    text = (FIXTURES / "IVR208" / "fail_branch.yaml").read_text()
    a = audit_yaml(text.replace("handles: [payments]", "handles: []"))
    assert a.metrics.calls is not None
    payments = a.metrics.calls.intent("payments")
    assert payments is not None and not payments.resolvable and dict(payments.edge_passes) == {}
