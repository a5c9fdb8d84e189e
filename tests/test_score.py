"""The score model: its curves, categories, not-applicable parts, the error cap, and the
ranking of the example menus a careful reviewer would give."""

from __future__ import annotations

import math

import pytest

from ivraudit import audit_file
from ivraudit.judge.score import ERROR_CAP, Curve, band
from tests.conftest import ROOT, audit_yaml


def test_curve_control_points() -> None:
    curve = Curve(good=30, poor=120)
    assert curve(30) == pytest.approx(0.9)
    assert curve(120) == pytest.approx(0.5)
    assert curve(0) == 1.0
    assert curve(10) > 0.9 > curve(60) > 0.5 > curve(600)


@pytest.mark.parametrize(
    ("value", "name"),
    [
        (100, "good"),
        (90, "good"),
        (89, "needs work"),
        (50, "needs work"),
        (49, "poor"),
        (0, "poor"),
    ],
)
def test_bands(value: int, name: str) -> None:
    assert band(value) == name


def test_overall_is_the_weighted_mean_of_categories() -> None:
    s = audit_file(ROOT / "menus" / "city_cabs.yaml").score
    assert math.isclose(sum(c.weight for c in s.categories), 1.0)
    assert s.value == round(sum(c.weight * c.value for c in s.categories))
    for c in s.categories:
        scored = [p for p in c.parts if p.score is not None]
        assert c.value == round(sum(c.contribution(p) for p in scored))


def test_parts_that_do_not_apply_are_left_out() -> None:
    a = audit_yaml(
        """
        ivraudit: 1
        name: Straight to a person
        nodes:
          desk: {type: agent, hold_seconds: 10}
        """
    )
    nav = {c.id: c for c in a.score.categories}["navigation"]
    options = next(p for p in nav.parts if p.metric == "max_options")
    assert options.score is None and options.display == "not applicable"
    assert a.score.value >= 90


def test_an_error_finding_caps_the_score_in_the_poor_band() -> None:
    a = audit_yaml(
        """
        ivraudit: 1
        name: Loop forever
        nodes:
          main:
            prompt: "Hi."
            options:
              - {key: 1, label: news, goto: news}
              - {key: 0, label: a person, goto: desk}
          news:
            type: message
            prompt: "No news."
            next: news_menu
          news_menu:
            options: [{key: 1, label: more news, goto: news}]
            no_input: {goto: news}
            no_match: {goto: news}
          desk: {type: agent}
        """
    )
    assert "IVR401" in a.score.capped_by
    assert a.score.value == ERROR_CAP and a.score.uncapped is not None
    assert a.score.uncapped > ERROR_CAP


def test_no_person_at_all_scores_poor() -> None:
    a = audit_yaml(
        """
        ivraudit: 1
        name: Robot only
        nodes:
          main:
            options: [{key: 1, label: opening hours, goto: hours}]
          hours: {type: self_service, prompt: "We open at nine."}
        """
    )
    assert a.score.band == "poor"


def test_example_menus_rank_as_a_reviewer_would() -> None:
    scores = {p.stem: audit_file(p).score.value for p in sorted((ROOT / "menus").glob("*.yaml"))}
    ranked = sorted(scores, key=scores.get, reverse=True)
    # The two-option taxi line, the caller-ID restaurant and the short, well-staffed
    # energy line lead; the telecom hell and the utility with a trap trail.
    # The clinic and the bank, good in parts, come next; the council's closed lines, the
    # water trap and the telecom hell after them.
    assert set(ranked[:3]) == {"city_cabs", "trattoria", "energy_day"}
    assert set(ranked[3:5]) == {"clinic_appointments", "retail_bank"}
    assert set(ranked[5:]) == {"council_services", "telecom_hell", "water_utility"}
    assert min(scores[m] for m in ranked[:3]) > max(scores[m] for m in ranked[3:5])
    assert min(scores[m] for m in ranked[3:5]) > max(scores[m] for m in ranked[5:])
    assert scores["city_cabs"] >= 90 and scores["telecom_hell"] < 50
