"""The command line, the pipeline's last stage: it takes a run's arguments and files, calls
the library, and gives the reports and the exit code (0 fine, 1 failed, 2 bad input)."""

from __future__ import annotations

# The modules share helpers whose names start with `_`: they are the package's own, not an
# API; what other code may import from here is `__all__`.
from ivraudit.cli import (
    check,
    diff,
    import_,
    map_,
    report,
    rules,
    schema,
    score,
    simulate,
    suggest,
)
from ivraudit.cli.common import FILE_WIDTH, MAX_WIDTH, MIN_WIDTH
from ivraudit.cli.program import (
    DOCS_URL,
    EXIT_FAIL,
    EXIT_INPUT,
    EXIT_INTERRUPTED,
    EXIT_OK,
    main,
    run,
)

# Every command, one module each: a new command is a module and one line here.
main.add_command(score.score)
main.add_command(check.check)
main.add_command(report.report)
main.add_command(diff.diff)
main.add_command(suggest.suggest)
main.add_command(import_.import_)
main.add_command(rules.rules)
main.add_command(schema.schema)
main.add_command(map_.map_)
main.add_command(simulate.simulate)

__all__ = [
    "DOCS_URL",
    "EXIT_FAIL",
    "EXIT_INPUT",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "FILE_WIDTH",
    "MAX_WIDTH",
    "MIN_WIDTH",
    "main",
    "run",
]
