"""The one place that decides where an output file goes, and writes it there safely.

Names come from slugs through python-slugify (Unicode letters kept, or transliterated
with ``ascii_only``), then every path segment is made safe on every system: no ``..``,
no absolute or drive paths, no Windows reserved names (``CON``, ``nul.txt``...), no
trailing dots or spaces, no leading ``.`` or ``-``, no control or ``<>:"|?*``
characters, at most 240 bytes (cut on a character boundary). Two posts never share a
file: paths are compared as macOS and Windows compare them (case-folded, NFC), and a
later one gets ``-2``, ``-3``... in the order the export lists them. Files are written
under a temporary name and renamed, inside the output folder only: a symlink that
leads out of it is refused.
"""

from __future__ import annotations

import errno
import os
import re
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import unquote, urlsplit

from slugify import slugify

from .errors import OutputError
from .output import NEW_FILE_FLAGS, NEW_FILE_MODE, with_temporary_name

__all__ = [
    "post_path",
    "media_path",
    "comment_data_path",
    "batch_output_path",
    "redirects_file",
    "make_slug",
    "safe_segment",
    "safe_relative",
    "PathClaims",
    "FolderWriter",
    "folder_inside",
    "remove_inside",
]

_MAX_SEGMENT_BYTES = 240
# What a slug may not hold: python-slugify's default also drops combining marks (Python's
# \w has none), so "हमारे" became "हम-र"; these are the marks of the scripts that use them.
_NOT_IN_SLUG = (
    r"[^-\w\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670"
    r"\u06d6-\u06ed\u0711\u0730-\u074a\u07a6-\u07b0\u0900-\u0dff\u0e31-\u0e3a\u0e47-\u0e4e"
    r"\u0eb1-\u0ebc\u0f18-\u0fbc\u1000-\u109f\u17b4-\u17d3\u1ab0-\u1aff\u1dc0-\u1dff"
    r"\u20d0-\u20ff\u302a-\u302f\u3099\u309a\ufe20-\ufe2f]+"
)
_RESERVED = re.compile(r"^(?:con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(?:\..*)?$", re.I)
_UNSAFE = re.compile(r"[\x00-\x1f\x7f<>:\"|?*\\/\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def post_path(
    claims: PathClaims, template: str, values: Mapping[str, str], suffix: str
) -> tuple[str, str]:
    """A post's file from its path template: (the path wanted, the path given, which has
    ``-2``, ``-3``... when another post holds the one wanted)."""
    stem = safe_relative(template.format(**values)) or "untitled"
    head, _, last = stem.rpartition("/")
    if last.casefold() in ("index", "_index"):
        # index.md and _index.md are a section's own page to Hugo and Eleventy.
        stem = f"{head}/{last}-page" if head else f"{last}-page"
    return stem + suffix, claims.claim(stem, suffix)[0]


def media_path(claims: PathClaims, folder: str, url: str) -> str:
    """Where a downloaded file goes: its URL's path under ``folder``, made safe, unique."""
    relative = safe_relative(unquote(urlsplit(url).path)) or "file"
    stem, dot, suffix = relative.rpartition(".")
    if not dot or "/" in suffix:
        stem, suffix = relative, ""
    return claims.claim(f"{folder}/{stem}".strip("/"), f".{suffix}" if suffix else "")[0]


def comment_data_path(folder: str, url: str, form: str) -> str:
    """The data file holding the comments of the post served at ``url``."""
    return f"{folder}/{safe_relative(url.strip('/') or 'index')}.{form}"


_INPUT_ENDING = re.compile(r"(\.xml)?(\.gz|\.bz2|\.xz|\.zip)?$", re.IGNORECASE)


def _input_stem(source: str) -> str:
    name = "stdin" if source == "-" else Path(source).name
    return _INPUT_ENDING.sub("", name) or "export"


def batch_output_path(out: str, source: str, sources: list[str], suffix: str) -> str:
    """Where one input of a batch is written: ``out/<input name><suffix>``
    (``site.xml.gz`` -> ``out/site.jsonl``); inputs whose names would collide get ``-2``,
    ``-3``... in input order."""
    taken: dict[str, int] = {}
    mine = ""
    for candidate in sources:
        stem = _input_stem(candidate)
        taken[stem.lower()] = taken.get(stem.lower(), 0) + 1
        n = taken[stem.lower()]
        name = stem if n == 1 else f"{stem}-{n}"
        if candidate == source:
            mine = name
            break
    return os.path.join(out, mine + suffix)


_REDIRECT_FILES = {
    "netlify": "_redirects",
    "nginx": "redirects.nginx.conf",
    "apache": "redirects.htaccess",
    "csv": "redirects.csv",
    "json": "redirects.json",
}


def redirects_file(form: str, published_folder: str = "") -> str:
    """The redirect map's file, by its format. Netlify's ``_redirects`` is read from the
    published site, so it goes where the generator copies files as they are (Hugo's
    ``static/``, Astro's ``public/``); the server configurations stay at the top."""
    name = _REDIRECT_FILES[form]
    if form == "netlify" and published_folder:
        return f"{safe_relative(published_folder)}/{name}"
    return name


def make_slug(*candidates: str, ascii_only: bool = False) -> str:
    """The first candidate that makes a non-empty slug (a post's slug, then its title...)."""
    for candidate in candidates:
        if candidate:
            slug = slugify(
                candidate,
                allow_unicode=not ascii_only,
                max_length=200,
                word_boundary=False,
                regex_pattern=None if ascii_only else _NOT_IN_SLUG,
            )
            if slug:
                return slug
    return ""


def _cut(text: str, limit: int) -> str:
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    return data[:limit].decode("utf-8", errors="ignore")


def safe_segment(name: str, *, reserve: int = 0) -> str:
    """One path segment that is safe on every filesystem ('' when nothing is left)."""
    name = unicodedata.normalize("NFC", name)
    name = _UNSAFE.sub("-", name)
    name = name.strip(" .-")
    name = _cut(name, _MAX_SEGMENT_BYTES - reserve).rstrip(" .")
    if _RESERVED.match(name):
        name = "_" + name
    return name


def safe_relative(path: str) -> str:
    """A relative POSIX path of safe segments: '..', '.', empty and absolute parts go."""
    parts = [safe_segment(p) for p in re.split(r"[/\\]+", path)]
    return "/".join(p for p in parts if p and p not in (".", ".."))


class PathClaims:
    """Hands out output paths no other file has, as case-insensitive systems see them."""

    def __init__(self) -> None:
        self._taken: set[str] = set()

    @staticmethod
    def _key(path: str) -> str:
        return unicodedata.normalize("NFC", path).casefold()

    def claim(self, stem: str, suffix: str = "") -> tuple[str, bool]:
        """``stem + suffix``, or ``stem-N + suffix`` if taken; and whether it was renamed."""
        path = stem + suffix
        if self._key(path) not in self._taken:
            self._taken.add(self._key(path))
            return path, False
        head, _, last = stem.rpartition("/")
        n = 2
        while True:
            tail = f"-{n}"
            name = _cut(last, _MAX_SEGMENT_BYTES - len(tail) - len(suffix.encode())) + tail
            candidate = (f"{head}/{name}" if head else name) + suffix
            if self._key(candidate) not in self._taken:
                self._taken.add(self._key(candidate))
                return candidate, True
            n += 1


class FolderWriter:
    """Files written inside a root folder, each atomically, never outside it.

    Each folder on the way is made and opened once, one level at a time and never through
    a symlink (which could lead out of the root); files are then made relative to their
    open folder. So a folder swapped for a symlink meanwhile leads nowhere else, and a
    file costs one change to its folder (on Linux: made without a name, written, then
    named) or two elsewhere (made under a temporary name, renamed), instead of a lookup
    of its whole path and a ``mkdir`` of each folder again: with thousands of files in one
    folder and two processes writing them, each change waits for the folder's lock.
    Forked processes may write through the folders their parent opened."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._open: dict[str, int] = {}
        self._unnamed = bool(_UNNAMED)

    def folder(self, relative: str) -> int | None:
        """The descriptor of the folder ``root/relative`` ("" is the root), made if missing;
        None where folders cannot be held open (Windows): then it is checked by its path."""
        if not _HELD_OPEN:  # checked again for every file, as nothing holds it
            _folder_by_path(self.root, relative)
            return None
        handle = self._open.get(relative)
        if handle is not None:
            return handle
        if not relative:
            try:
                self.root.mkdir(parents=True, exist_ok=True)
                handle = os.open(self.root, os.O_RDONLY | os.O_DIRECTORY)
            except OSError as exc:
                raise OutputError(f"cannot make {self.root}: {exc.strerror}") from None
        else:
            above, _, name = relative.rpartition("/")
            parent = self.folder(above)
            assert parent is not None  # held open, as this one is
            shown = self.root / relative
            try:
                os.mkdir(name, dir_fd=parent)
            except FileExistsError:
                pass
            except OSError as exc:
                raise OutputError(f"cannot make {shown}: {exc.strerror}") from None
            try:
                handle = os.open(name, _FOLDER_FLAGS, dir_fd=parent)
            except OSError as exc:
                if os.path.islink(shown):
                    raise OutputError(
                        f"{shown} is a symlink; refusing to write through it"
                    ) from None
                raise OutputError(f"cannot make {shown}: {exc.strerror}") from None
        self._open[relative] = handle
        return handle

    def write(self, relative: str, data: bytes) -> Path:
        """``data`` written to ``root/relative``: the file appears there whole or not at all
        (a file already there is replaced, a symlink itself and never what it points to)."""
        above, _, name = relative.rpartition("/")
        folder = self.folder(above)
        target = self.root / relative
        try:
            if folder is None:
                _write_renamed(None, str(target), data)
            elif not (self._unnamed and self._write_unnamed(folder, name, data)):
                _write_renamed(folder, name, data)
        except OSError as exc:
            raise OutputError(f"cannot write {target}: {exc.strerror}") from None
        return target

    def _write_unnamed(self, folder: int, name: str, data: bytes) -> bool:
        """The file made without a name, written, then named: one change to the folder
        instead of two, and nothing left behind by a crash. False where the system or
        the file system cannot (then the other way is used from then on)."""
        try:
            handle = os.open(".", os.O_WRONLY | _UNNAMED, NEW_FILE_MODE, dir_fd=folder)
        except OSError as exc:
            if exc.errno not in _NO_UNNAMED:
                raise
            self._unnamed = False
            return False
        try:
            _write_all(handle, data)
            unnamed = f"/proc/self/fd/{handle}"
            try:
                os.link(unnamed, name, dst_dir_fd=folder)
            except FileExistsError:  # an earlier run's file: replaced in one step
                temp, _ = with_temporary_name(
                    lambda temp: os.link(unnamed, temp, dst_dir_fd=folder)
                )
                _rename_or_remove(folder, temp, name)
            except OSError:
                # No /proc to name it through, or a system that refuses such links: the
                # other way from now on (where the error is the disk's, it says so too).
                self._unnamed = False
                return False
        finally:
            os.close(handle)
        return True

    def close(self) -> None:
        for handle in self._open.values():
            os.close(handle)
        self._open.clear()


_FOLDER_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_NOFOLLOW", 0)
#: Whether a folder can be held open and files made relative to it (not on Windows).
_HELD_OPEN = {os.open, os.mkdir, os.rename, os.unlink} <= os.supports_dir_fd
#: A file without a name (Linux); where the system or the file system has none, open()
#: fails with one of these.
_UNNAMED = getattr(os, "O_TMPFILE", 0)
_NO_UNNAMED = {errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL}


def _write_all(handle: int, data: bytes) -> None:
    # Straight to the descriptor: a file object would first ask the system what the
    # file is, whether it is a terminal, and where it is.
    view = memoryview(data)
    while view:
        view = view[os.write(handle, view) :]


def _folder_by_path(root: Path, relative: str) -> None:
    """The folder made one level at a time by its path, never through a symlink."""
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot make {root}: {exc.strerror}") from None
    folder = root
    for part in relative.split("/") if relative else ():
        folder = folder / part
        if folder.is_symlink():
            raise OutputError(f"{folder} is a symlink; refusing to write through it")
        try:
            folder.mkdir(exist_ok=True)
        except OSError as exc:
            raise OutputError(f"cannot make {folder}: {exc.strerror}") from None


def _write_renamed(folder: int | None, name: str, data: bytes) -> None:
    """``data`` written under a temporary name beside ``name``, then renamed onto it;
    ``name`` is relative to the open ``folder``, or a path where none is held open."""
    beside = os.path.dirname(name)
    temp, handle = with_temporary_name(
        lambda temp: os.open(
            os.path.join(beside, temp), NEW_FILE_FLAGS, NEW_FILE_MODE, dir_fd=folder
        )
    )
    temp = os.path.join(beside, temp)
    try:
        _write_all(handle, data)
    except OSError:
        os.close(handle)
        os.unlink(temp, dir_fd=folder)
        raise
    os.close(handle)
    _rename_or_remove(folder, temp, name)


def _rename_or_remove(folder: int | None, temp: str, name: str) -> None:
    try:
        os.replace(temp, name, src_dir_fd=folder, dst_dir_fd=folder)
    except OSError:
        os.unlink(temp, dir_fd=folder)
        raise


def folder_inside(root: Path, relative: str) -> Path:
    """The folder holding ``root/relative``, made one level at a time, never through a
    symlink (which could lead out of ``root``)."""
    above = relative.rpartition("/")[0]
    writer = FolderWriter(root)
    try:
        writer.folder(above)
    finally:
        writer.close()
    return root / above if above else root


def remove_inside(root: Path, relative: str) -> bool:
    """Remove the regular file ``root/relative`` if it is there, never through a symlink
    (a folder on the way that is a link could lead out of ``root``); whether it was."""
    target = root
    for part in Path(relative).parts:
        target = target / part
        if target.is_symlink():
            return False
    if not target.is_file():
        return False
    try:
        target.unlink()
    except OSError as exc:
        raise OutputError(f"cannot remove {target}: {exc.strerror}") from None
    return True
