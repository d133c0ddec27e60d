"""Setting finished Markdown aside while the rest of a post goes through html2text.

Code blocks, raw HTML that Markdown cannot express, and embeds are turned into their
final Markdown early; a token made only of letters and digits (which no later step
changes) holds their place and is swapped back at the end. A token alone on its line
becomes a block, indented or quoted like the line it sits on (inside a list item or a
blockquote); a token inside a line is put back inline.
"""

from __future__ import annotations

import re

__all__ = ["Keeper"]

_PREFIX = re.compile(r"^((?:[ \t]*(?:>[ \t]?|[-*+][ \t]+|\d{1,9}[.)][ \t]+))*)[ \t]*$")


class Keeper:
    def __init__(self, source: str) -> None:
        salt = 0
        while f"wpmkeep{salt}q" in source:  # never a word the post itself holds
            salt += 1
        self._stem = f"wpmkeep{salt}q"
        self._kept: list[str] = []
        self._late: set[int] = set()
        self._own_lines: set[int] = set()
        self._pattern = re.compile(re.escape(self._stem) + r"(\d+)x")

    def keep(self, markdown: str, *, late: bool = False, own_lines: bool = False) -> str:
        """A token for ``markdown``; ``late`` ones come back in the second restore
        (our own generator shortcodes, which template escaping must not touch);
        ``own_lines`` ones are set apart by blank lines even inside a paragraph (an
        HTML block such as <iframe> or <table> would swallow the lines after it)."""
        if self._stem in markdown:  # pieces kept earlier, inside this one: theirs, in place
            markdown = self._pattern.sub(lambda m: self._kept[int(m.group(1))], markdown)
        self._kept.append(markdown)
        if late:
            self._late.add(len(self._kept) - 1)
        if own_lines:
            self._own_lines.add(len(self._kept) - 1)
        return f"{self._stem}{len(self._kept) - 1}x"

    def block(self, markdown: str, *, late: bool = False) -> str:
        """A token in a paragraph of its own (a block tag, so auto-paragraphs leave it)."""
        return f"\n\n<p>{self.keep(markdown, late=late)}</p>\n\n"

    def holds_block(self, text: str) -> bool:
        """Whether ``text`` holds a token of a block: lines of its own, or HTML that must
        stand apart (a table, a player)."""
        for match in self._pattern.finditer(text):
            number = int(match.group(1))
            if number in self._own_lines or "\n" in self._kept[number]:
                return True
        return False

    def only_token(self, text: str) -> str | None:
        """The token, if ``text`` is nothing but one token (and whitespace)."""
        match = self._pattern.fullmatch(text.strip())
        return match.group(0) if match else None

    def __bool__(self) -> bool:
        return bool(self._kept)

    def restore(self, text: str, *, late: bool = False) -> str:
        if not self._kept:
            return text

        def wanted(number: int) -> bool:
            return (number in self._late) == late

        def inline(match: re.Match[str]) -> str:
            number = int(match.group(1))
            return self._kept[number] if wanted(number) else match.group(0)

        lines = []
        for line in text.split("\n"):
            match = self._pattern.search(line)
            if match is None:
                lines.append(line)
                continue
            number = int(match.group(1))
            prefix = _PREFIX.match(line[: match.start()])
            if (
                wanted(number)
                and prefix
                and not line[match.end() :].strip()
                and "\n" in self._kept[number]
            ):
                lines.extend(
                    self._as_block(
                        prefix.group(1), self._kept[number], apart=number in self._own_lines
                    )
                )
            elif wanted(number) and number in self._own_lines:
                lines.extend(self._apart(line, match))
            else:
                lines.append(self._pattern.sub(inline, line))
        return "\n".join(lines)

    def _apart(self, line: str, match: re.Match[str]) -> list[str]:
        """The line split around the token, the piece between blank lines."""
        quote = re.match(r"^(?:[ \t]*>[ \t]?)*", line)
        lead = quote.group(0) if quote else ""
        before, after = line[: match.start()], line[match.end() :]
        out = [before.rstrip()] if before.strip(" \t>") else []
        out += [
            lead.rstrip(),
            *self._as_block(lead, self._kept[int(match.group(1))]),
            lead.rstrip(),
        ]
        if after.strip():
            out.append(lead + self.restore(after.lstrip()))
        return out

    def _as_block(self, prefix: str, markdown: str, *, apart: bool = False) -> list[str]:
        # Later lines keep a quote's ">" and turn a list marker into its indent.
        follow = re.sub(
            r"[-*+]([ \t]+)|\d{1,9}[.)]([ \t]+)", lambda m: " " * len(m.group(0)), prefix
        )
        blank = follow.rstrip()
        out = []
        for n, line in enumerate(markdown.split("\n")):
            lead = prefix if n == 0 else follow
            out.append(lead + line if line else blank)
        if apart:  # an HTML block ends only at a blank line: give it one on each side
            starts_item = prefix != follow  # its first line carries a list marker
            out = [*([] if starts_item else [blank]), *out, blank]
        return out
