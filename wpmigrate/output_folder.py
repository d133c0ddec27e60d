"""An output folder wpmigrate owns: its manifest, and the rules that keep other files safe.

A folder holding files that no wpmigrate run wrote is refused. The folder is marked ours
(an incomplete manifest) before the first file is written, so a run killed half-way can
be run again; a new run clears the killed one's temporary files. When a run succeeds the
manifest lists exactly the files it wrote, and files an earlier run wrote but this one
did not are removed (never through a symlink). A failed run leaves the folder as it is,
still marked ours.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from .errors import OutputRefusedError
from .paths import remove_inside, safe_relative, write_inside

__all__ = ["FolderOutput", "MANIFEST"]

MANIFEST = ".wpmigrate-manifest.json"


class FolderOutput:
    """The folder an exporter writes many files into (see the module's rules)."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self._root = Path(os.fspath(root))
        self._previous: list[str] | None = None
        self._made = False
        self._kept: set[str] = set()

    @property
    def root(self) -> Path:
        return self._root

    @property
    def name(self) -> str:
        return str(self._root)

    def check(self) -> list[str]:
        """The files an earlier run wrote here; a folder holding other files is refused."""
        root = self._root
        if root.is_symlink() or (root.exists() and not root.is_dir()):
            raise OutputRefusedError(f"{root} is not a folder")
        if not root.exists():
            return []
        manifest = root / MANIFEST
        if manifest.is_file():
            try:
                files = json.loads(manifest.read_text(encoding="utf-8"))["files"]
                return [str(f) for f in files]
            except (ValueError, KeyError, TypeError, OSError):
                raise OutputRefusedError(
                    f"{manifest} is damaged; remove it or use an empty folder"
                ) from None
        if any(root.iterdir()):
            raise OutputRefusedError(
                f"{root} holds files that are not from wpmigrate; give an empty or new folder"
            )
        return []

    def begin(self) -> None:
        """Claim the folder for this run, before the first file is written."""
        self._previous = self.check()
        self._made = not self._root.exists()
        self._clear_unfinished()
        self._write_manifest(self._previous, complete=False)

    def write_file(self, relative: str, data: bytes) -> None:
        write_inside(self._root, relative, data)

    def keep(self, relatives: list[str]) -> None:
        self._kept.update(relatives)

    def commit(self) -> None:
        """Remove what only an earlier run wrote, and list this run's files as complete."""
        for stale in sorted(set(self._previous or ()) - self._kept):
            remove_inside(self._root, safe_relative(stale))
        self._write_manifest(sorted(self._kept), complete=True)

    def discard(self) -> None:
        """A failed run leaves the folder as it is, still ours, to be run again; but where
        it wrote nothing except the manifest into a folder that was empty, the manifest goes
        (and the folder, if this run made it)."""
        if self._previous or self._kept or self._previous is None:
            return
        try:
            if [p.name for p in self._root.iterdir()] == [MANIFEST]:
                (self._root / MANIFEST).unlink()
                if self._made:
                    self._root.rmdir()
        except OSError:
            pass  # then it stays, still marked ours

    def _write_manifest(self, files: list[str], *, complete: bool) -> None:
        manifest = {"wpmigrate": 1, "complete": complete, "files": files}
        write_inside(
            self._root,
            MANIFEST,
            (json.dumps(manifest, ensure_ascii=False, indent=1) + "\n").encode(),
        )

    def _clear_unfinished(self) -> None:
        """Remove the temporary files (``.wpmigrate-*.part``) of a run that was killed."""
        if not self._root.is_dir():
            return
        for folder, _dirs, files in os.walk(self._root):  # never follows symlinks
            for name in files:
                if name.startswith(".wpmigrate-") and name.endswith(".part"):
                    Path(folder, name).unlink(missing_ok=True)
