"""The post's HTML normalised once as a tree, before html2text sees it.

html2text reads HTML as a stream of tags and keeps whatever structure it is given: an
unclosed list nests everything after it, an empty ``<strong>`` becomes ``****``, a
caption inside ``<figure>`` is glued to its image. So the HTML is first parsed the way a
browser parses it (lxml.html repairs unclosed and misnested tags), then:

- figures become blocks: the image (or table) on its own, the caption a paragraph of
  emphasis below it;
- ``<abbr>`` and ``<acronym>`` keep their text only (CommonMark has no abbreviations);
- a definition list becomes paragraphs (html2text would indent them into code);
- a ``<br>`` inside a heading becomes a space (a Markdown heading is one line);
- inline formatting is made writable: empty elements dropped, the same formatting nested
  or side by side merged (``<strong>S</strong><b>plit</b>``), spaces (no-break ones
  too) moved out to its edges;
- a ``!`` before a link and a ``|`` in a table cell are escaped, which html2text cannot
  know to do (it sees one text at a time);
- a list html2text cannot lay out (an item holding paragraphs, a blank line, a kept HTML
  block, or starting with a list of its own) is written here, each item converted on its
  own and indented under its marker;
- inline code is written here: as one span fenced by more backticks than it holds, a
  link around it when a link is all it holds, inline HTML when a link covers part of it,
  and a fenced block when it spans lines.

Anything the parser cannot take is left as it was.
"""

from __future__ import annotations

import re
from html import escape as html_escape
from typing import Any

import lxml.html
from lxml import etree

from .code import fence
from .html_md import HtmlToMarkdown, tidy
from .keeper import Keeper

__all__ = ["normalize"]

# Formatting that html2text writes as marks around text; same kind = the same mark.
_KIND = {
    "strong": "strong", "b": "strong", "em": "em", "i": "em", "del": "del", "s": "del",
    "strike": "del", "u": "u", "ins": "u", "mark": "mark", "sup": "sup", "sub": "sub",
    "small": "small", "big": "big",
}  # fmt: skip
_LEADING = re.compile(r"^[\s\u00a0]+")
_TRAILING = re.compile(r"[\s\u00a0]+$")
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_BLOCK_PARENTS = {"div", "blockquote", "li", "td", "th", "section", "article", "body", "figure"}
_QUICK = re.compile(
    r"<(?:figure|abbr|acronym|code|tt|h[1-6]|strong|b|em|i|del|s|strike|u|ins|"
    r"mark|sup|sub|small|big|ul|ol|a|td|th|dl)\b",
    re.I,
)


def normalize(html: str, keeper: Keeper) -> str:
    """The HTML repaired and simplified as the module says; as it was if it cannot be."""
    if not _QUICK.search(html):
        return html
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (etree.ParserError, ValueError):
        return html
    _figures(root)
    for element in list(root.iter("abbr", "acronym")):
        element.drop_tag()
    # html2text indents a definition by four spaces, which Markdown reads as code.
    for element in root.iter("dt", "dd"):
        element.tag = "p"
    for element in list(root.iter("dl")):
        element.tag = "div"
    for heading in list(root.iter(*_HEADINGS)):
        for br in list(heading.iter("br")):
            br.tail = " " + (br.tail or "").lstrip()
            br.drop_tag()
    _code(root, keeper)
    _formatting(root)
    _escape_for_markdown(root, keeper)
    _lists(root, keeper)
    parts = [_escaped(root.text)]
    # As XML: the HTML serializer would percent-encode non-ASCII letters in URLs.
    parts += [etree.tostring(child, method="xml", encoding="unicode") for child in root]
    return "".join(parts)


# --- figures ---------------------------------------------------------------------------------


def _figures(root: Any) -> None:
    for figure in list(root.iter("figure")):
        for caption in figure.findall("figcaption"):
            caption.tag = "p"
            emphasis = etree.SubElement(caption, "em")
            emphasis.text, caption.text = caption.text, None
            for child in list(caption):
                if child is not emphasis:
                    emphasis.append(child)
            caption.attrib.clear()
        # The image alone in a block, so nothing shares its line.
        for image in list(figure.iterchildren("img", "a")):
            holder = etree.Element("p")
            image.addprevious(holder)
            holder.append(image)  # moves it, with its tail
        figure.tag = "div"


# --- inline code -----------------------------------------------------------------------------


def _code(root: Any, keeper: Keeper) -> None:
    for code in list(root.iter("code", "tt")):  # html2text writes <tt> as code too
        if code.getparent() is None or any(a.tag == "pre" for a in code.iterancestors()):
            continue
        _merge_following(code, lambda other: other.tag in ("code", "tt"))
        text = code.text_content()
        if not text.strip() and not len(code):
            _drop_keeping_tail(code)
            continue
        links = code.findall(".//a")
        if "\n" in text.strip() and not links:
            _code_block(code, text, keeper)
        elif links and (len(links) > 1 or links[0].text_content() != text):
            # A link over part of the code: Markdown has no way to write it.
            _replace(code, keeper.keep(_outer_html(code)))
        elif links:
            link = links[0]
            span = _code_span(text)
            target = link.get("href") or ""
            title = link.get("title")
            _replace(code, keeper.keep(_markdown_link(span, target, title)))
        else:
            _replace(code, keeper.keep(_code_span(text)))


def _code_span(text: str) -> str:
    """Inline code fenced by one more backtick than its longest run of them."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _markdown_link(text: str, target: str, title: str | None) -> str:
    target = target.strip()
    url = f"<{target}>" if re.search(r"[\s()<>]", target) else target
    if title:
        return f'[{text}]({url} "{title.replace(chr(34), chr(39))}")'
    return f"[{text}]({url})"


def _code_block(code: Any, text: str, keeper: Keeper) -> None:
    """Code that spans lines, as a fenced block on lines of its own."""
    token = keeper.keep(fence(text))
    if code.getparent().tag in _BLOCK_PARENTS:
        holder = etree.Element("p")
        holder.text = token
        code.addprevious(holder)
    else:  # inside a paragraph: between line breaks
        before, after = etree.Element("br"), etree.Element("br")
        before.tail = token
        code.addprevious(before)
        code.addprevious(after)
    _replace(code, "")


# --- inline formatting -----------------------------------------------------------------------


def _formatting(root: Any) -> None:
    # A span or font holding only spaces styles nothing a reader sees; unwrapped, its
    # spaces can move out of the emphasis around it.
    for element in list(root.iter("span", "font")):
        if element.getparent() is not None and _is_empty(element):
            element.drop_tag()
    for element in list(root.iter(*_KIND)):
        if element.getparent() is None:
            continue
        kind = _KIND[element.tag]
        if any(_KIND.get(a.tag) == kind for a in element.iterancestors()):
            element.drop_tag()  # <strong><strong>: one is enough
            continue
        _merge_following(element, lambda other, k=kind: _KIND.get(other.tag) == k)
        if _is_empty(element):
            element.drop_tag()
            continue
        _move_edge_spaces_out(element)


def _merge_following(element: Any, same: Any) -> None:
    """Siblings of the same kind right after ``element`` (nothing between) joined into it."""
    while not (element.tail or "") and (following := element.getnext()) is not None:
        if not same(following):
            break
        _append_text(element, element[-1] if len(element) else None, following.text)
        for child in list(following):
            element.append(child)
        element.tail = following.tail
        element.getparent().remove(following)


def _append_text(element: Any, last: Any, text: str | None) -> None:
    if not text:
        return
    if last is None:
        element.text = (element.text or "") + text
    else:
        last.tail = (last.tail or "") + text


def _is_empty(element: Any) -> bool:
    """No text a reader sees: formatting around nothing, spaces or only an image (bold
    does not show on an image, and its marks around one could not close)."""
    return not element.text_content().replace("\u00a0", " ").strip()


def _move_edge_spaces_out(element: Any) -> None:
    head = _LEADING.match(element.text or "")
    if head:
        element.text = element.text[head.end() :]
        _text_before(element, " ")
    children = list(element)
    if children:
        last = children[-1]
        tail = _TRAILING.search(last.tail or "")
        if tail and last.tag != "br":
            last.tail = last.tail[: tail.start()]
            element.tail = " " + (element.tail or "").lstrip(" ")
    else:
        tail = _TRAILING.search(element.text or "")
        if tail:
            element.text = element.text[: tail.start()]
            element.tail = " " + (element.tail or "").lstrip(" ")


def _slot_before(element: Any) -> tuple[Any, str]:
    """Where the text right before ``element`` lives: the previous sibling's tail, or,
    for a first child, the parent's text."""
    previous = element.getprevious()
    return (previous, "tail") if previous is not None else (element.getparent(), "text")


def _text_before(element: Any, text: str) -> None:
    owner, attribute = _slot_before(element)
    setattr(owner, attribute, (getattr(owner, attribute) or "").rstrip(" ") + text)


# --- lists ----------------------------------------------------------------------------------

_ITEM_BLOCKS = {
    "p",
    "div",
    "blockquote",
    "table",
    "pre",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "figure",
    "dl",
}


def _lists(root: Any, keeper: Keeper) -> None:
    for listing in list(root.iter("ul", "ol")):
        if listing.getparent() is None or any(
            a.tag in ("ul", "ol") for a in listing.iterancestors()
        ):
            continue  # an outer list renders its inner ones
        if not _needs_our_layout(listing, keeper):
            continue
        holder = etree.Element("p")
        holder.text = keeper.keep(_render_list(listing, keeper))
        holder.tail = listing.tail
        listing.addprevious(holder)
        listing.getparent().remove(listing)


def _needs_our_layout(listing: Any, keeper: Keeper) -> bool:
    for item in listing.iter("li"):
        children = list(item)
        if any(child.tag in _ITEM_BLOCKS for child in children):
            return True
        if children and children[0].tag in ("ul", "ol") and not (item.text or "").strip():
            return True  # an item that starts with a list
        if any(
            br.tag == "br"
            and br.getnext() is not None
            and br.getnext().tag == "br"
            and not (br.tail or "").strip()
            for br in children
        ):
            return True  # two line breaks: a paragraph break inside the item
        if keeper.holds_block(etree.tostring(item, encoding="unicode", with_tail=False)):
            return True
    return False


def _render_list(listing: Any, keeper: Keeper) -> str:
    ordered = listing.tag == "ol"
    try:
        number = int(listing.get("start") or 1)
    except ValueError:
        number = 1
    items = []
    for item in listing.iterchildren("li"):
        marker = f"{number}. " if ordered else "- "
        number += 1
        body = _render_item(item, keeper).split("\n")
        indent = " " * len(marker)
        lines = [marker + body[0] if body[0] else marker.rstrip()]
        lines += [indent + line if line else "" for line in body[1:]]
        items.append("\n".join(lines))
    return "\n\n".join(items)


def _render_item(item: Any, keeper: Keeper) -> str:
    for inner in list(item.iterchildren("ul", "ol")):
        holder = etree.Element("p")
        holder.text = keeper.keep(_render_list(inner, keeper))
        holder.tail = inner.tail
        inner.addprevious(holder)
        item.remove(inner)
    html = _escaped(item.text) + "".join(
        etree.tostring(child, method="xml", encoding="unicode") for child in item
    )
    # Two line breaks are a paragraph break: WordPress shows a blank line there.
    html = re.sub(r"<br\s*/?>\s*<br\s*/?>", "</p><p>", html)
    return keeper.restore(tidy(HtmlToMarkdown().convert(html))).strip("\n")


# --- what the text means next to the markup -------------------------------------------------


def _escape_for_markdown(root: Any, keeper: Keeper) -> None:
    # "!" right before a link would make it an image.
    for element in root.iter("a"):
        owner, attribute = _slot_before(element)
        text = getattr(owner, attribute) or ""
        if text.endswith("!"):
            setattr(owner, attribute, text[:-1] + keeper.keep("\\!"))
    # A "*" touching an emphasis mark would join it: "<em>rc_*</em>" is not "*rc_**".
    for element in root.iter(*_KIND):
        _escape_edge_star(element, "text", keeper, at_start=True)
        inner_last = (element[-1], "tail") if len(element) else (element, "text")
        _escape_edge_star(*inner_last, keeper, at_start=False)
        _escape_edge_star(*_slot_before(element), keeper, at_start=False)
        _escape_edge_star(element, "tail", keeper, at_start=True)
    # "|" in a table cell would end the cell.
    for cell in root.iter("td", "th"):
        for node in cell.iter():
            if node is not cell and "|" in (node.tail or ""):
                node.tail = node.tail.replace("|", keeper.keep("\\|"))
            if "|" in (node.text or ""):
                node.text = node.text.replace("|", keeper.keep("\\|"))


def _escape_edge_star(owner: Any, attribute: str, keeper: Keeper, *, at_start: bool) -> None:
    text = getattr(owner, attribute) or ""
    if at_start and text.startswith("*"):
        setattr(owner, attribute, keeper.keep("\\*") + text[1:])
    elif not at_start and text.endswith("*"):
        setattr(owner, attribute, text[:-1] + keeper.keep("\\*"))


# --- helpers ---------------------------------------------------------------------------------


def _drop_keeping_tail(element: Any) -> None:
    _replace(element, "")


def _replace(element: Any, text: str) -> None:
    """``element`` (with everything in it) replaced by ``text``; its tail stays."""
    owner, attribute = _slot_before(element)
    setattr(owner, attribute, (getattr(owner, attribute) or "") + text + (element.tail or ""))
    element.getparent().remove(element)


def _escaped(text: str | None) -> str:
    """Text as HTML again (the parser decoded its entities)."""
    return html_escape(text or "", quote=False)


def _outer_html(element: Any) -> str:
    return etree.tostring(element, method="html", encoding="unicode", with_tail=False)
