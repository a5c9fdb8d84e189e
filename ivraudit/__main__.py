"""Allow `python -m ivraudit`."""

from ivraudit.cli import main

main()
