"""Allow `python -m ivraudit`."""

import sys

try:
    from ivraudit.cli import run
except KeyboardInterrupt:  # Ctrl-C while the program starts: no traceback either
    sys.stderr.write("ivraudit: interrupted\n")
    sys.exit(130)

run()
