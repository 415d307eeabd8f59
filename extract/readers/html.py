"""Extract a report's text from an HTML page (saved from the inspectorate's website, or any HTML).

Parsed with selectolax (Lexbor, a standards-compliant HTML5 parser). The page becomes the text
layout the parsers read:

* each heading (``h1``-``h6``), paragraph and other block is one line, with a blank line between
  blocks;
* a list item is a ``- `` bullet, indented two spaces per level of nesting;
* a table row is one line, its cells separated by tabs;
* site chrome is dropped: ``script``/``style``/``nav``/``header``/``footer``/``aside``/``form``
  elements, ARIA banner/navigation/contentinfo/search regions, elements whose id or class names
  a cookie banner, breadcrumb, skip link, share bar or site menu, and lines such as
  ``Skip to content`` or ``Download the full report``.

A page with a ``main`` element (or ``role="main"``) is read from it alone.
"""

from __future__ import annotations

import re

_DROP_TAGS = ("script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form",
              "button", "svg", "iframe", "select", "dialog")
_DROP_ROLES = ("banner", "navigation", "contentinfo", "search", "dialog", "alert")
_CHROME = re.compile(
    r"cookie|consent|breadcrumb|skip|share|social|site-?(?:header|footer|nav|menu)|menu|"
    r"masthead|feedback|newsletter|related|pagination|print-?link|visually-?hidden|sr-only",
    re.I,
)
_CHROME_LINES = re.compile(
    r"^(?:skip to (?:main )?content|download (?:the )?(?:full |this )?report\b.*|print this page|"
    r"back to top|share this (?:page|report)|cookies? (?:on|settings).*|accept (?:all )?cookies|"
    r"reject (?:all )?cookies|you are here:?.*|home\s*[>/\u203a].*)$",
    re.I,
)
_BLOCKS = frozenset({
    "p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol",
    "table", "tr", "blockquote", "pre", "dl", "dt", "dd", "figure", "figcaption", "address",
    "caption", "body", "details", "summary", "hr", "br", "thead", "tbody", "tfoot",
})
_SPACE = re.compile(r"[ \t\r\n\u00a0]+")


def html_to_text(html: str) -> str:
    """The page's report text, one block per line, blank lines between blocks.

    >>> html_to_text("<nav>Home</nav><main><h2>Summary</h2><ul><li>One</li><li>Two</li></ul></main>")
    'Summary\\n\\n- One\\n- Two\\n'
    """
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(html)
    root = tree.css_first("main, [role=main]") or tree.body or tree.root
    if root is None:
        return ""
    for node in root.css(", ".join(_DROP_TAGS)):
        node.decompose()
    for node in root.css(", ".join(f"[role={r}]" for r in _DROP_ROLES)):
        node.decompose()
    for node in root.css("[id], [class]"):
        if node.parent is None:
            continue  # already removed with an ancestor
        names = " ".join(filter(None, (node.attributes.get("id"), node.attributes.get("class"))))
        if _CHROME.search(names) and node.tag not in ("main", "body", "html", "article"):
            node.decompose()
    writer = _Writer()
    writer.walk(root, depth=0)
    return writer.finish()


class _Writer:
    """Turns the element tree into lines: inline text gathers, a block element ends the line."""

    def __init__(self) -> None:
        self.lines: list[tuple[str, str]] = []  # (kind, text): kind "block" | "item" | "row"
        self.inline: list[str] = []

    def flush(self, kind: str = "block", prefix: str = "") -> None:
        text = _SPACE.sub(" ", "".join(self.inline)).strip()
        self.inline = []
        if text and not _CHROME_LINES.match(text):
            self.lines.append((kind, prefix + text))

    def walk(self, node, depth: int) -> None:
        for child in node.iter(include_text=True):
            tag = child.tag
            if tag == "-text":
                self.inline.append(child.text_content or "")
            elif tag == "li":
                self.flush()
                self._item(child, depth)
            elif tag == "tr":
                self.flush()
                self._row(child)
            elif tag in ("ul", "ol"):
                self.flush()
                self.walk(child, depth + 1 if tag in ("ul", "ol") and self._in_item(child) else depth)
                self.flush()
            elif tag in _BLOCKS:
                self.flush()
                self.walk(child, depth)
                self.flush()
            else:
                self.walk(child, depth)

    @staticmethod
    def _in_item(node) -> bool:
        parent = node.parent
        while parent is not None and parent.tag not in ("li", "main", "body"):
            parent = parent.parent
        return parent is not None and parent.tag == "li"

    def _item(self, li, depth: int) -> None:
        """A list item: its own text as one bullet; nested lists become indented bullets."""
        prefix = "  " * depth + "- "
        for child in li.iter(include_text=True):
            if child.tag in ("ul", "ol"):
                self.flush("item", prefix)
                self.walk(child, depth + 1)
            elif child.tag == "-text":
                self.inline.append(child.text_content or "")
            elif child.tag in ("p", "div", "span", "a", "strong", "em", "b", "i", "abbr", "br"):
                if child.tag == "br":
                    self.inline.append(" ")
                else:
                    self._inline_text(child)
                    if child.tag in ("p", "div"):
                        self.inline.append(" ")
            else:
                self._inline_text(child)
        self.flush("item", prefix)

    def _inline_text(self, node) -> None:
        for child in node.iter(include_text=True):
            if child.tag == "-text":
                self.inline.append(child.text_content or "")
            elif child.tag in ("ul", "ol"):
                continue
            else:
                self._inline_text(child)

    def _row(self, tr) -> None:
        cells = []
        for cell in tr.iter():
            if cell.tag in ("td", "th"):
                cells.append(_SPACE.sub(" ", cell.text(separator=" ")).strip())
        if any(cells):
            self.lines.append(("row", "\t".join(cells)))

    def finish(self) -> str:
        self.flush()
        out: list[str] = []
        prev = None
        for kind, text in self.lines:
            # Bullets of one list and rows of one table stay on adjacent lines.
            if out and not (kind == prev and kind in ("item", "row")):
                out.append("")
            out.append(text)
            prev = kind
        return "\n".join(out) + "\n" if out else ""
