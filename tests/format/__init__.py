"""Tests of the format stage (ivraudit/format/), one module each."""
