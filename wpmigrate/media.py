"""Downloading a site's images and files, so the new site does not lean on the old one.

Only the site's own media are fetched (its hosts, and WordPress.com's file hosts), and
only over http(s): ``file://`` and the like are never opened, and a host that resolves
to a private, loopback or link-local address is refused unless allowed (a hostile
export must not make us read the local network). WordPress's size variants
(``photo-300x200.jpg``, ``photo.jpg?w=640``) are fetched once, as the original.
Downloads run in threads, with a timeout, retries, a size cap, and resume: a partial
file from an interrupted run is continued with a Range request. A failure never stops
the run; each one is returned with its reason for the report.
"""

from __future__ import annotations

import http.client
import ipaddress
import os
import re
import socket
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit, urlunsplit

from .errors import OutputError
from .links import MEDIA_URLS, site_host, urls_in
from .paths import PathClaims, folder_inside, media_path

__all__ = ["MEDIA_FILE", "original_url", "find_media", "MediaDownloader", "Download"]

MEDIA_FILE = re.compile(
    r"\.(?:jpe?g|png|gif|webp|avif|svg|bmp|ico|tiff?|heic|pdf|mp3|m4a|ogg|oga|wav|flac|mp4|m4v"
    r"|webm|ogv|mov|zip)$",
    re.I,
)
_SIZE_VARIANT = re.compile(r"-\d{1,5}x\d{1,5}(?=\.[A-Za-z0-9]+$)")
_WORDPRESS_FILE_HOSTS = re.compile(r"(?:^|\.)(?:files\.wordpress\.com|wp\.com)$", re.I)
_CHUNK = 1 << 16


def original_url(url: str) -> str:
    """The original upload behind a size variant: no -WxH suffix, no resize query."""
    parts = urlsplit(url)
    path = _SIZE_VARIANT.sub("", parts.path)
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def find_media(markdown: str, site_hosts: set[str]) -> set[str]:
    """The URLs in a post that are media files of the site itself."""
    found = set()
    for url in urls_in(markdown, MEDIA_URLS):
        try:
            parts = urlsplit(url)
        except ValueError:
            continue
        host = site_host(url)
        if (
            parts.scheme in ("http", "https")
            and MEDIA_FILE.search(parts.path)
            and (host in site_hosts or _WORDPRESS_FILE_HOSTS.search(host))
        ):
            found.add(url)
    return found


@dataclass
class Download:
    url: str
    local_url: str = ""
    error: str = ""


@dataclass
class MediaDownloader:
    """Fetches media into ``root/folder``, keeping each file's path from its URL."""

    root: Path
    folder: str
    allow_private: bool = False
    timeout: float = 20.0
    retries: int = 3
    max_bytes: int = 200 * 1024 * 1024
    workers: int = 8
    _claims: PathClaims = field(default_factory=PathClaims)
    _done: set[str] = field(default_factory=set)

    def download_all(self, urls: set[str]) -> dict[str, Download]:
        """Every URL's outcome; variants of one original share one download."""
        originals: dict[str, list[str]] = {}
        for url in sorted(urls):
            originals.setdefault(original_url(url), []).append(url)
        targets = {original: self._target(original) for original in sorted(originals)}
        with ThreadPoolExecutor(self.workers) as pool:
            outcomes = dict(
                zip(targets, pool.map(lambda o: self._fetch(o, targets[o]), targets), strict=True)
            )
        results = {}
        for original, variants in originals.items():
            for url in variants:
                results[url] = Download(url, *outcomes[original])
        return results

    def written(self) -> list[str]:
        """The files downloaded (or found from an earlier run), relative to the root."""
        return sorted(path for path in self._done)

    def _target(self, original: str) -> str:
        return media_path(self._claims, self.folder, original)

    def _fetch(self, url: str, relative: str) -> tuple[str, str]:
        """(local URL, "") on success, ("", reason) on failure."""
        try:
            self._check(url)  # refused before anything is made on disk
            folder_inside(self.root, relative)
        except _Refused as exc:
            return "", str(exc)
        except (OutputError, OSError) as exc:
            return "", str(exc)
        target = self.root / relative
        local_url = (
            "/" + relative[len(self.folder) :].lstrip("/") if self.folder else "/" + relative
        )
        if target.is_file():
            self._done.add(relative)
            return local_url, ""  # a previous run fetched it
        error = ""
        for attempt in range(self.retries):
            try:
                self._get(url, target)
                self._done.add(relative)
                return local_url, ""
            except _Refused as exc:
                return "", str(exc)
            except (OSError, http.client.HTTPException, _Failed) as exc:
                error = str(exc) or type(exc).__name__
                if isinstance(exc, _Failed) and not exc.retry:
                    break
                time.sleep(min(0.2 * 2**attempt, 2.0))
        return "", error

    def _check(self, url: str) -> tuple[str, int, bool]:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise _Refused(f"{parts.scheme or 'no'} scheme: only http and https are fetched")
        host = parts.hostname or ""
        port = parts.port or (443 if parts.scheme == "https" else 80)
        if not self.allow_private:
            for info in socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP):
                address = ipaddress.ip_address(info[4][0])
                if not address.is_global:
                    raise _Refused(
                        f"{host} is a private or local address ({address}); "
                        "allow it with -O media_private=true"
                    )
        return host, port, parts.scheme == "https"

    def _get(self, url: str, target: Path) -> None:
        partial = target.with_name(target.name + ".part")
        for _ in range(6):  # redirects, each one checked again
            host, port, secure = self._check(url)
            connection_type = http.client.HTTPSConnection if secure else http.client.HTTPConnection
            connection = connection_type(host, port, timeout=self.timeout)
            parts = urlsplit(url)
            path = parts.path or "/"
            if parts.query:
                path += "?" + parts.query
            have = partial.stat().st_size if partial.exists() else 0
            headers = (
                {"User-Agent": "wpmigrate", "Range": f"bytes={have}-"}
                if have
                else {"User-Agent": "wpmigrate"}
            )
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                if response.status in (301, 302, 303, 307, 308):
                    url = urljoin(url, response.getheader("Location") or "")
                    continue
                if response.status == 416 and have:  # nothing left to fetch
                    os.replace(partial, target)
                    return
                if response.status not in (200, 206):
                    raise _Failed(f"HTTP {response.status}", retry=response.status >= 500)
                resuming = response.status == 206 and have > 0
                self._save(response, partial, resuming)
                os.replace(partial, target)
                return
            finally:
                connection.close()
        raise _Failed("too many redirects", retry=False)

    def _save(self, response: http.client.HTTPResponse, partial: Path, resuming: bool) -> None:
        size = partial.stat().st_size if resuming else 0
        length = response.getheader("Content-Length")
        if length and length.isdigit() and size + int(length) > self.max_bytes:
            raise _Failed(f"larger than the cap of {self.max_bytes} bytes", retry=False)
        # Never through a symlink planted at the partial file's name.
        flags = (
            os.O_WRONLY
            | os.O_CREAT
            | getattr(os, "O_NOFOLLOW", 0)
            | (os.O_APPEND if resuming else os.O_TRUNC)
        )
        with open(os.open(partial, flags, 0o666), "wb") as out:
            while chunk := response.read(_CHUNK):
                size += len(chunk)
                if size > self.max_bytes:
                    out.close()
                    partial.unlink()
                    raise _Failed(f"larger than the cap of {self.max_bytes} bytes", retry=False)
                out.write(chunk)


class _Refused(Exception):
    pass


class _Failed(Exception):
    def __init__(self, message: str, *, retry: bool) -> None:
        super().__init__(message)
        self.retry = retry
