"""Content text to Anki field HTML.

Field values are HTML, so every piece of content is escaped. Braces are
escaped too: a stray `{{` in content must never become template or cloze
syntax. Only the cloze markers this package writes stay live.
"""

from __future__ import annotations

import html
import re

from ..content.model import Source

# An author's deletion: {{c1::answer}} or {{c1::answer::hint}}.
DELETION_RE = re.compile(r"\{\{c(\d+)::(.+?)(?:::(.+?))?\}\}", re.DOTALL)


def escape(text: str) -> str:
    """Plain text as inert HTML (line breaks kept)."""
    escaped = html.escape(text, quote=True).replace("{", "&#123;").replace("}", "&#125;")
    return escaped.replace("\n", "<br>")


def attribute(text: str) -> str:
    """Text for an attribute value in double quotes."""
    return escape(" ".join(text.split()))


def escape_deletion(text: str) -> str:
    """Text inside a cloze deletion: also hide '::', which Anki reads as a hint."""
    return escape(text).replace(":", "&#58;")


def deletion(number: int, text: str, hint: str | None = None) -> str:
    tail = f"::{escape_deletion(hint)}" if hint else ""
    return f"{{{{c{number}::{escape_deletion(text)}{tail}}}}}"


def cloze_text(text: str) -> str:
    """An author's cloze text: escaped, with its deletions kept as deletions."""
    out, last = [], 0
    for match in DELETION_RE.finditer(text):
        out.append(escape(text[last : match.start()]))
        out.append(deletion(int(match.group(1)), match.group(2), match.group(3)))
        last = match.end()
    out.append(escape(text[last:]))
    return "".join(out)


def element(tag: str, inner_html: str, css_class: str | None = None) -> str:
    attr = f' class="{css_class}"' if css_class else ""
    return f"<{tag}{attr}>{inner_html}</{tag}>"


def source_line(sources: list[Source]) -> str:
    """'Publisher: Title; Publisher: Title', linked where the source has a URL."""
    return "; ".join(cite(source) for source in sources)


def cite(source: Source) -> str:
    title = escape(source.title)
    if source.url and source.url.startswith(("https://", "http://")):
        title = f'<a href="{html.escape(source.url, quote=True)}">{title}</a>'
    return f"{escape(source.publisher)}: <i>{title}</i>"
