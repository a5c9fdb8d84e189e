"""The one error type for bad input: it always knows where in which file."""

from __future__ import annotations


class MenuError(Exception):
    """A menu file that cannot be read, with the place that is wrong."""

    def __init__(self, file: str, line: int, column: int, message: str) -> None:
        super().__init__(f"{file}:{line}:{column}: error: {message}")
        self.file = file
        self.line = line
        self.column = column
        self.message = message

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: error: {self.message}"
