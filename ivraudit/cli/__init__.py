"""The command line, the pipeline's last stage: it takes a run's arguments and files, calls
the library, and gives the reports and the exit code (0 fine, 1 failed, 2 bad input)."""

from __future__ import annotations

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

# Every command, one module each, imported only when it runs or `--help` lists it: a new
# command is a module and one line here.
main.add_lazy("score", "ivraudit.cli.score:score")
main.add_lazy("check", "ivraudit.cli.check:check")
main.add_lazy("report", "ivraudit.cli.report:report")
main.add_lazy("diff", "ivraudit.cli.diff:diff")
main.add_lazy("suggest", "ivraudit.cli.suggest:suggest")
main.add_lazy("import", "ivraudit.cli.import_:import_")
main.add_lazy("rules", "ivraudit.cli.rules:rules")
main.add_lazy("schema", "ivraudit.cli.schema:schema")
main.add_lazy("map", "ivraudit.cli.map_:map_")
main.add_lazy("simulate", "ivraudit.cli.simulate:simulate")

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
