"""A story's stored body as typed blocks, for clients that render it
themselves: a paragraph's lead-in ("Why it matters:") apart from its text,
subheads, lists, quotes, pictures and rules.

The body was cleaned against articles/richtext.py's allow-list when it was
saved, so the stdlib parser only ever meets those few well-formed tags.
"""

from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser

from articles.richtext import LEAD_IN_CLASS

VOID = frozenset({"br", "hr", "img"})
# The attributes the sanitiser keeps, in the order they are written back.
KEPT_ATTRIBUTES = {
    "a": ("href", "title", "rel"),
    "ol": ("start",),
    "img": ("src", "alt", "width", "height"),
    "strong": ("class",),
}


@dataclass
class Node:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list["Node | str"] = field(default_factory=list)


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("root")
        self.open = [self.root]

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {name: value or "" for name, value in attrs})
        self.open[-1].children.append(node)
        if tag not in VOID:
            self.open.append(node)

    def handle_endtag(self, tag):
        for depth in range(len(self.open) - 1, 0, -1):
            if self.open[depth].tag == tag:
                del self.open[depth:]
                return

    def handle_data(self, data):
        self.open[-1].children.append(data)


def _tree(body_html: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(body_html or "")
    builder.close()
    return builder.root


def _text(node: Node | str) -> str:
    if isinstance(node, str):
        return node
    if node.tag == "br":
        return "\n"
    return "".join(_text(child) for child in node.children)


def _html(node: Node | str) -> str:
    if isinstance(node, str):
        return escape(node, quote=False)
    names = KEPT_ATTRIBUTES.get(node.tag, ())
    attrs = "".join(
        f' {name}="{escape(node.attrs[name])}"' for name in names if name in node.attrs
    )
    if node.tag in VOID:
        return f"<{node.tag}{attrs}>"
    return f"<{node.tag}{attrs}>{_inner_html(node.children)}</{node.tag}>"


def _inner_html(children) -> str:
    return "".join(_html(child) for child in children)


def _unwrapped(node: Node) -> list[Node | str]:
    """A list item's or quote's inline content, its paragraphs joined by a
    line break (the editor wraps each item in a <p>)."""
    out: list[Node | str] = []
    for child in node.children:
        if isinstance(child, Node) and child.tag == "p":
            if out:
                out.append(Node("br"))
            out.extend(child.children)
        else:
            out.append(child)
    return out


def _is_lead_in(node: Node | str) -> bool:
    return (
        isinstance(node, Node)
        and node.tag == "strong"
        and LEAD_IN_CLASS in node.attrs.get("class", "").split()
    )


def _paragraph(node: Node) -> dict | None:
    children = list(node.children)
    # Whitespace before the lead-in does not count as text.
    while children and isinstance(children[0], str) and not children[0].strip():
        children.pop(0)
    lead_in = None
    if children and _is_lead_in(children[0]):
        lead_in = _text(children.pop(0)).strip() or None
        if children and isinstance(children[0], str):
            children[0] = children[0].lstrip()
    text = "".join(_text(child) for child in children).strip()
    if lead_in is None and not text:
        return None
    return {
        "type": "paragraph",
        "lead_in": lead_in,
        "text": text,
        "html": _inner_html(children).strip(),
    }


def _figure(node: Node) -> dict | None:
    image = next(
        (child for child in _walk(node) if child.tag == "img"),
        None,
    )
    if image is None or not image.attrs.get("src"):
        return None
    caption = next((child for child in _walk(node) if child.tag == "figcaption"), None)
    return _image(image, caption=_text(caption).strip() if caption else "")


def _image(node: Node, *, caption: str = "") -> dict | None:
    if not node.attrs.get("src"):
        return None
    return {
        "type": "image",
        "src": node.attrs["src"],
        "alt": node.attrs.get("alt", ""),
        "caption": caption,
    }


def _walk(node: Node):
    for child in node.children:
        if isinstance(child, Node):
            yield child
            yield from _walk(child)


def _block(node: Node | str) -> dict | None:
    if isinstance(node, str):
        text = node.strip()
        return (
            {
                "type": "paragraph",
                "lead_in": None,
                "text": text,
                "html": escape(text, quote=False),
            }
            if text
            else None
        )
    if node.tag == "p":
        return _paragraph(node)
    if node.tag in {"h2", "h3"}:
        text = _text(node).strip()
        return (
            {"type": "heading", "level": int(node.tag[1]), "text": text}
            if text
            else None
        )
    if node.tag in {"ul", "ol"}:
        items = [
            child
            for child in node.children
            if isinstance(child, Node) and child.tag == "li"
        ]
        return {
            "type": "list",
            "ordered": node.tag == "ol",
            "items": [
                {
                    "text": _text(Node("li", children=_unwrapped(item))).strip(),
                    "html": _inner_html(_unwrapped(item)).strip(),
                }
                for item in items
            ],
        }
    if node.tag == "blockquote":
        inner = _unwrapped(node)
        return {
            "type": "quote",
            "text": "".join(_text(child) for child in inner).strip(),
            "html": _inner_html(inner).strip(),
        }
    if node.tag == "figure":
        return _figure(node)
    if node.tag == "img":
        return _image(node)
    if node.tag == "hr":
        return {"type": "rule"}
    # Inline markup outside a paragraph: kept as one.
    return _paragraph(Node("p", children=[node]))


def body_blocks(body_html: str) -> list[dict]:
    """The body's top-level elements as blocks, in order; empty ones dropped."""
    return [block for node in _tree(body_html).children if (block := _block(node))]
