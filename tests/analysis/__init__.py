"""Tests of the analysis stage (ivraudit/analysis/), one module each."""
