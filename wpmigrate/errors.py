"""The errors wpmigrate raises, one tree under one base class.

    WpmigrateError                 exit 1   base class; anything that stops a run
    ├── UsageError                 exit 2   the call itself is wrong
    │   ├── UnknownExporterError            no exporter of that name
    │   ├── ExporterOptionError             an -O option the exporter does not have, or a bad value
    │   └── OutputRefusedError              the output folder holds files that are not ours
    ├── InputError                 exit 3   the export is broken or refused
    │   ├── RefusedInputError               refused before reading: DOCTYPE, encoding, bomb, size cap
    │   ├── NotWXRError                     well-formed XML, but not a WordPress export
    │   └── MalformedInputError             broken in the middle: items before the break were read
    └── OutputError                exit 1   the output could not be written (disk full, permissions)

Odd items (no title, bad date, duplicate id) are never errors: the reader and the
exporters put them in the report as warnings. Only the CLI prints errors or exits.
"""

from __future__ import annotations

__all__ = [
    "WpmigrateError",
    "UsageError",
    "UnknownExporterError",
    "ExporterOptionError",
    "OutputRefusedError",
    "InputError",
    "RefusedInputError",
    "NotWXRError",
    "MalformedInputError",
    "OutputError",
]


class WpmigrateError(Exception):
    """Base class of every error wpmigrate raises on purpose."""

    exit_code: int = 1

    def __init__(self, message: str, *, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.one_line()

    def one_line(self) -> str:
        """The error as the single line the CLI prints."""
        text = self.message
        if self.hint:
            text += f" ({self.hint})"
        return text


class UsageError(WpmigrateError):
    """The command or call is wrong: a bad option, exporter or output."""

    exit_code = 2


class UnknownExporterError(UsageError):
    """No exporter is registered under that name."""


class ExporterOptionError(UsageError):
    """An exporter option that does not exist, or a value of the wrong kind."""


class OutputRefusedError(UsageError):
    """The output folder holds someone else's files."""


class InputError(WpmigrateError):
    """The export is broken or refused.

    ``file``, ``line`` and ``column`` say where, when known (line and column are 1-based).
    """

    exit_code = 3

    def __init__(
        self,
        message: str,
        *,
        file: str = "",
        line: int | None = None,
        column: int | None = None,
        hint: str = "",
    ) -> None:
        super().__init__(message, hint=hint)
        self.file = file
        self.line = line
        self.column = column

    def location(self) -> str:
        """``file:line:column``, as much of it as is known."""
        parts = [self.file or "<input>"]
        if self.line:
            parts.append(str(self.line))
            if self.column:
                parts.append(str(self.column))
        return ":".join(parts)

    def one_line(self) -> str:
        return f"{self.location()}: {super().one_line()}"

    def as_dict(self) -> dict[str, object]:
        """The error as plain data, for the machine-readable report."""
        return {
            "kind": type(self).__name__,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "message": self.message,
            "hint": self.hint,
        }


class RefusedInputError(InputError):
    """Refused before any item was read (DOCTYPE, unsupported encoding, decompression bomb)."""


class NotWXRError(InputError):
    """Well-formed XML that is not a WordPress export."""


class MalformedInputError(InputError):
    """The XML breaks in the middle; every item before the break was read."""


class OutputError(WpmigrateError):
    """The output could not be written."""
