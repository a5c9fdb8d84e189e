"""Judgement: stage 4 of the pipeline, after the figures (`analysis`).

Takes a menu, its figures and the configuration (`config`: rules chosen, thresholds,
presets) and gives findings (`rules`, run by `lint`, as `findings`), the 0-100 score
(`score`) and the CI gate's verdict (`gate`); `rulesdoc` and `settings` describe the
rules and the settings in force.
"""
