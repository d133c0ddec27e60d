"""What reading an export has established so far, kept apart from the parse loop.

The authors and terms already given (so each is given once, and one that a post uses
without its declaration is inferred once), a unique key for every post and comment,
and the warnings, each placed at the document and line being read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from ..records import Author, Post, Record, Term
from ..report import Notice
from .keys import KeyRegistry

__all__ = ["ReadState"]


class ReadState:
    """The reader's memory across items and documents."""

    def __init__(self, on_notice: Callable[[Notice], None] | None = None) -> None:
        self.notices: list[Notice] = []
        #: Where the parse loop is: the document's name and the element's line.
        self.document = ""
        self.line: int | None = None
        self._on_notice = on_notice
        self._authors: set[str] = set()
        self._terms: dict[str, tuple[str, str]] = {}
        self._post_keys = KeyRegistry()
        self._comment_keys = KeyRegistry()
        self._ordinal = 0
        self._reported: set[tuple[str, str]] = set()
        #: The (code, subject) of each warning given once per subject, by its index.
        self.subjects: dict[int, tuple[str, str]] = {}

    def listen(self, on_notice: Callable[[Notice], None] | None) -> None:
        """Who hears of each warning from now on."""
        self._on_notice = on_notice

    # --- warnings ----------------------------------------------------------------------------

    def warn(self, code: str, message: str, key: str = "") -> None:
        notice = Notice(code, message, self.document, self.line, key)
        self.notices.append(notice)
        if self._on_notice:
            self._on_notice(notice)

    def warn_item(self, code: str, message: str, key: str, *, subject: str = "") -> None:
        """An item's warning; one with a ``subject`` is given once per subject."""
        if subject:  # once per thing (an unknown element's tag), however many items have it
            if (code, subject) in self._reported:
                return
            self._reported.add((code, subject))
            self.subjects[len(self.notices)] = (code, subject)
        self.warn(code, message, key)

    # --- authors and terms -------------------------------------------------------------------

    def first_author(self, author: Author) -> bool:
        """Whether this author is new (then remembered)."""
        if author.key in self._authors:
            return False
        self._authors.add(author.key)
        return True

    def first_term(self, term: Term) -> bool:
        """Whether this term is new (then remembered); a second declaration that differs
        is a warning (WordPress declares a tag again as wp:term: the same term)."""
        first = self._terms.get(term.key)
        if first is None:
            self._terms[term.key] = (term.name, term.parent)
            return True
        if first != (term.name, term.parent):
            self.warn("conflicting-term", f"term {term.key!r} is declared twice, differently")
        return False

    def inferred(self, post: Post) -> Iterator[Record]:
        """The authors and terms this post uses that no declaration gave."""
        if post.author and post.author not in self._authors:
            self._authors.add(post.author)
            yield Author(key=post.author, login=post.author, inferred=True)
        for ref in post.terms:
            key = f"{ref.taxonomy}:{ref.slug}"
            if key not in self._terms:
                self._terms[key] = (ref.name, "")
                yield Term(
                    key=key, taxonomy=ref.taxonomy, slug=ref.slug, name=ref.name, inferred=True
                )

    # --- a part read by another process (see parts.py) -------------------------------------

    def adopt_notices(self, notices: list[tuple[Notice, tuple[str, str] | None]]) -> None:
        """A later part's warnings, but those given once already."""
        for notice, subject in notices:
            if subject is not None:
                if subject in self._reported:
                    continue
                self._reported.add(subject)
                self.subjects[len(self.notices)] = subject
            self.notices.append(notice)
            if self._on_notice:
                self._on_notice(notice)

    def adopt_keys(self, post: Post) -> bool:
        """Take a later part's post and its comments' keys; False if one was given
        before (then this state is past use: the export is read again)."""
        self._ordinal += 1
        if self._post_keys.claim(post.key) != post.key:
            return False
        return all(self._comment_keys.claim(c.key) == c.key for c in post.comments)

    def adopt_inferred(self, record: Author | Term) -> bool:
        """Whether a later part's inferred author or term is new here too."""
        if isinstance(record, Author):
            return self.first_author(record)
        # Not first_term: an inferred term met again is no conflicting declaration.
        if record.key in self._terms:
            return False
        self._terms[record.key] = (record.name, "")
        return True

    # --- keys --------------------------------------------------------------------------------

    def post_key(self, post_id: Any, odd: str) -> str:
        """A key no other post has: the id as exported, or a made one, with warnings."""
        self._ordinal += 1
        base: str | int = f"~{self._ordinal}" if post_id is None else post_id
        key = self._post_keys.claim(base)
        if post_id is None:
            self.warn("missing-id", f"item {self._ordinal} has no wp:post_id; keyed {key!r}", key)
        elif odd:
            self.warn("odd-id", f"wp:post_id {post_id!r} is {odd}; kept as exported", key)
        if key != str(base):
            self.warn("duplicate-id", f"wp:post_id {post_id!r} is used again; keyed {key!r}", key)
        return key

    def comment_key(self, comment_id: Any, post_key: str) -> str:
        """A key no other comment has."""
        base: str | int = f"{post_key}~c" if comment_id is None else comment_id
        key = self._comment_keys.claim(base)
        if comment_id is not None and key != str(base):
            self.warn("duplicate-comment-id", f"comment id {comment_id!r} is used again", key)
        return key
