"""The ranges a number read from a menu, a config or the command line must lie in.

Every figure ivraudit reports is a sum or an average of such numbers, so bounding them
where they are read keeps every figure finite (issue 6: a 400-digit `hold_seconds`, a
`speech_rate_wpm` of 0 or `.nan`, shares of 1e308 that overflow their sum).
"""

from __future__ import annotations

import math

from ivraudit.frozen import frozen

# A day: no one holds, listens or types for longer in one step of a call.
MAX_SECONDS = 86_400.0
# Human speech, slow to fast (150 is conversational; synthetic voices rarely pass 300).
MIN_WPM, MAX_WPM = 40.0, 400.0
# A menu repeated more often than this is already far past any caller's patience.
MAX_RETRIES = 100
# Shares are relative weights (percentages, call counts per year): any size up to this.
MAX_SHARE = 1e15
# Thresholds in a config or on the command line: a score is 0-100, times up to a year.
MAX_THRESHOLD_SECONDS = 31_536_000.0
# Numeric rule options (limits, ratios, shares) are at most this.
MAX_OPTION = 1e9
# Calls as they happen (issue 18). The Erlang A chain of a queue sums one state per call
# at the queue, about agents + calls an hour / 3600 x patience (or x handle time): these
# caps keep a line's load under 20,000 Erlangs, which is solved in about a second.
# A busy national line takes tens of thousands of calls in its busiest hour, over many
# numbers; one menu's busiest hour is well under this.
MAX_CALLS_PER_HOUR = 20_000.0
# A month has at most 31 x 24 hours.
MAX_HOURS_PER_MONTH = 744.0
# More agents than the largest call centres seat on one queue.
MAX_AGENTS = 10_000
# A mean talk time, or a mean patience on hold, beyond an hour is no call centre's.
MAX_QUEUE_SECONDS = 3_600.0
# The day of calls (issue 21): a week of hours at most, in one profile.
MAX_PROFILE_HOURS = 168
# A coefficient of variation beyond this describes no talk time or patience of people
# (a log-normal with cv 10 already has a median a tenth of its mean).
MAX_CV = 10.0
# An agent's hour or a line's minute, in any currency (yen and won included).
MAX_MONEY = 1e9


@frozen
class Range:
    """The numbers a field accepts: at least `low` (or above it), at most `high`."""

    low: float = 0.0
    high: float = MAX_SECONDS
    above_low: bool = False  # the low end itself is refused (a rate of 0)
    whole: bool = False

    def problem(self, value: object) -> str | None:
        """Return what is wrong with `value` for this range (as 'must ...'), or None."""
        what = "a whole number" if self.whole else "a number"
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return f"must be {what} {self.describe()}"
        if self.whole and not isinstance(value, int):
            return f"must be {what} {self.describe()}"
        # Compared without converting: a 400-digit integer does not fit a float.
        if isinstance(value, float) and not math.isfinite(value):
            return f"must be a finite number {self.describe()}"
        if value < self.low or (self.above_low and value == self.low) or value > self.high:
            return f"must be {what} {self.describe()}"
        return None

    def describe(self) -> str:
        """Return the range in words, e.g. 'from 0 to 86400'."""
        low, high = _num(self.low), _num(self.high)
        if self.above_low:
            return f"greater than {low} and at most {high}"
        return f"from {low} to {high}"


def _num(value: float) -> str:
    return str(int(value)) if value == int(value) and abs(value) < 1e16 else f"{value:g}"


SECONDS = Range()
RATE = Range(MIN_WPM, MAX_WPM)
RETRIES = Range(0, MAX_RETRIES, whole=True)
SHARE = Range(0, MAX_SHARE)
SCORE = Range(0, 100)
THRESHOLD_SECONDS = Range(0, MAX_THRESHOLD_SECONDS)
OPTION = Range(0, MAX_OPTION)
PROBABILITY = Range(0, 1)
CALLS_PER_HOUR = Range(0, MAX_CALLS_PER_HOUR, above_low=True)
HOURS_PER_MONTH = Range(0, MAX_HOURS_PER_MONTH, above_low=True)
AGENTS = Range(1, MAX_AGENTS, whole=True)
QUEUE_SECONDS = Range(0, MAX_QUEUE_SECONDS, above_low=True)
MONEY = Range(0, MAX_MONEY)
# An hour of the day: no calls (the line is quiet) is fine; agents may be 0 while no call
# reaches their queue.
HOUR_CALLS = Range(0, MAX_CALLS_PER_HOUR)
HOUR_AGENTS = Range(0, MAX_AGENTS, whole=True)
CV = Range(0, MAX_CV, above_low=True)
RETRY_DELAY = Range(0, MAX_SECONDS, above_low=True)
# The service level `agents_needed` aims at: a mean answer time, and a share hanging up.
ANSWER_TARGET = Range(0, MAX_QUEUE_SECONDS, above_low=True)
ABANDON_TARGET = Range(0, 1, above_low=True)
