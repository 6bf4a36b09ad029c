"""The one error type for bad input: it names the file, the row and the field."""

from __future__ import annotations

from pathlib import Path


class DataError(Exception):
    """Bad input data. `line` is the file's line number (the header is line 1)."""

    def __init__(self, path: Path | str, line: int | None, field: str | None, message: str):
        self.path, self.line, self.field, self.message = Path(path), line, field, message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = str(self.path)
        if self.line is not None:
            where += f", row {self.line - 1} (line {self.line})"
        if self.field:
            where += f", field '{self.field}'"
        return f"{where}: {self.message}"


class DataErrors(Exception):
    """Several data errors found in one pass, reported together."""

    def __init__(self, errors: list[DataError]):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))
