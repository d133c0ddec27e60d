"""An output folder and its manifest: the rules that keep other files safe.

The folder may hold files of its own (a site the content goes into, such as a
``hugo new site``): those are never replaced or removed. A run that would write a file
that is there and not in the manifest is refused before it writes anything. The files a
run is about to write are listed (an incomplete manifest) before the first is written,
so a run killed half-way can be run again; a new run clears the killed one's temporary
files. When a run succeeds the manifest lists exactly the files it wrote, and files an
earlier run wrote but this one did not are removed (never through a symlink). A failed
run leaves the folder as it is.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path

from .errors import OutputRefusedError
from .packed import StringKeys
from .paths import FolderWriter, remove_inside, safe_relative

__all__ = ["FolderOutput", "MANIFEST"]

MANIFEST = ".wpmigrate-manifest.json"


class FolderOutput:
    """The folder an exporter writes many files into (see the module's rules)."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self._root = Path(os.fspath(root))
        self._writer = FolderWriter(self._root)
        self._previous: list[str] | None = None
        self._made = False
        self._kept: set[str] = set()
        #: Files this run may write: an earlier run's, and those claimed. (Packed: there
        #: is one per post, and forked workers look their files up in it.)
        self._ours = StringKeys()

    @property
    def root(self) -> Path:
        return self._root

    @property
    def name(self) -> str:
        return str(self._root)

    def check(self) -> list[str]:
        """The files an earlier run wrote here (none in a folder without a manifest)."""
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
        return []

    def begin(self) -> None:
        """Claim the folder for this run, before the first file is written."""
        self._previous = self.check()
        self._ours = StringKeys(self._previous)
        self._ours.seal()
        self._made = not self._root.exists()
        self._clear_unfinished()
        self._write_manifest(self._previous, complete=False)

    def claim(self, relatives: list[str]) -> None:
        foreign = [r for r in relatives if r not in self._ours and self._present(r)]
        if foreign:
            more = f" (and {len(foreign) - 1} more)" if len(foreign) > 1 else ""
            raise OutputRefusedError(
                f"{self._root / foreign[0]}{more} is not a file wpmigrate wrote, and "
                "wpmigrate never replaces one: move it away, or write to another folder"
            )
        for relative in relatives:
            self._ours.setdefault(relative)
        self._ours.seal()
        self._write_manifest(sorted(self._ours), complete=False)

    def write_file(self, relative: str, data: bytes) -> None:
        if relative not in self._ours and self._present(relative):
            raise OutputRefusedError(
                f"{self._root / relative} is not a file wpmigrate wrote; it was left as it is"
            )
        self._writer.write(relative, data)

    def _present(self, relative: str) -> bool:
        return os.path.lexists(self._root / relative)

    def keep(self, relatives: Iterable[str]) -> None:
        self._kept.update(relatives)

    def commit(self) -> None:
        """Remove what only an earlier run wrote, and list this run's files as complete."""
        for stale in sorted(set(self._previous or ()) - self._kept):
            remove_inside(self._root, safe_relative(stale))
        self._write_manifest(sorted(self._kept), complete=True)
        self._writer.close()

    def discard(self) -> None:
        """A failed run leaves the folder as it is, to be run again; but where it had no
        manifest and this run claimed nothing, the manifest goes (and the folder, if
        this run made it)."""
        self._writer.close()
        if self._previous or self._kept or self._previous is None or len(self._ours):
            return
        try:
            (self._root / MANIFEST).unlink(missing_ok=True)
            if self._made:
                self._root.rmdir()
        except OSError:
            pass  # then it stays

    def _write_manifest(self, files: list[str], *, complete: bool) -> None:
        manifest = {"wpmigrate": 1, "complete": complete, "files": files}
        self._writer.write(
            MANIFEST, (json.dumps(manifest, ensure_ascii=False, indent=1) + "\n").encode()
        )

    def _clear_unfinished(self) -> None:
        """Remove the temporary files (``.wpmigrate-*.part``) of a run that was killed."""
        if not self._root.is_dir():
            return
        for folder, _dirs, files in os.walk(self._root):  # never follows symlinks
            for name in files:
                if name.startswith(".wpmigrate-") and name.endswith(".part"):
                    Path(folder, name).unlink(missing_ok=True)
