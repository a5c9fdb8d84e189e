"""Allow `python -m ivraudit`."""

from ivraudit.cli import run

run()
