"""The Cupure demo's content, read from the files in demo/content/.

Every place, person, institution, company, club and outlet named there is
invented. Tags deliberately include near-duplicate spellings so that tag
normalisation and related-story ranking can be exercised.

Stories are Markdown files (stories/ published, workflow/ at other points of
the workflow), read in file-name order, each with a JSON front matter between
two `---` lines. Their bodies use one piece of Markdown: paragraphs separated
by a blank line, a paragraph may open with a bold lead-in (`**Why it
matters:** text`). Everything else is plain text and is escaped.
"""

import io
import json
from functools import cache
from pathlib import Path

from django.utils.html import format_html, format_html_join
from PIL import Image as PILImage
from PIL import ImageDraw

CONTENT_DIR = Path(__file__).resolve().parent / "content"
FRONT_MATTER = "---\n"


def _json(name: str):
    return json.loads((CONTENT_DIR / name).read_text(encoding="utf-8"))


def _paragraph(text: str) -> tuple[str, str]:
    """(lead-in, text) of one body paragraph."""
    if text.startswith("**"):
        lead_in, sep, rest = text[2:].partition("** ")
        if sep:
            return lead_in, rest
    return "", text


def read_story(path: Path) -> dict:
    source = path.read_text(encoding="utf-8")
    if not source.startswith(FRONT_MATTER):
        raise ValueError(f"{path}: a story starts with a '---' front matter line")
    front, sep, body = source[len(FRONT_MATTER) :].partition("\n" + FRONT_MATTER)
    if not sep:
        raise ValueError(f"{path}: the front matter has no closing '---' line")
    story = json.loads(front)
    paragraphs = [p.replace("\n", " ").strip() for p in body.split("\n\n")]
    story["body"] = [_paragraph(p) for p in paragraphs if p]
    return story


def _stories(folder: str) -> list[dict]:
    return [read_story(p) for p in sorted((CONTENT_DIR / folder).glob("*.md"))]


def entry_body(text: str) -> str:
    """A live entry's HTML from one paragraph of the stories' Markdown."""
    return story_body({"body": [_paragraph(text)]})


def story_body(story: dict) -> str:
    """The body HTML the article form would receive: one <p> per paragraph,
    the lead-in in bold."""
    return format_html_join(
        "",
        "<p>{}{}</p>",
        (
            (
                format_html('<strong class="lead-in">{}</strong> ', lead_in)
                if lead_in
                else "",
                text,
            )
            for lead_in, text in story["body"]
        ),
    )


def draw_picture(sky, sea, sun) -> bytes:
    """A simple horizon scene: sky gradient, sun, sea (our own illustrations,
    nothing downloaded)."""
    sky, sea = tuple(sky), tuple(sea)
    width, height = 1600, 1000
    picture = PILImage.new("RGB", (width, height), sky)
    draw = ImageDraw.Draw(picture)
    horizon = int(height * 0.62)
    for y in range(horizon):
        shade = 0.75 + 0.25 * y / horizon
        draw.line([(0, y), (width, y)], fill=tuple(int(c * shade) for c in sky))
    x, y, r = int(sun[0] * width), int(sun[1] * height), 90
    draw.ellipse([x - r, y - r, x + r, y + r], fill=(255, 236, 200))
    draw.rectangle([0, horizon, width, height], fill=sea)
    for line in range(horizon + 20, height, 36):
        draw.line([(0, line), (width, line)], fill=tuple(min(255, c + 18) for c in sea))
    out = io.BytesIO()
    picture.save(out, format="JPEG", quality=90)
    return out.getvalue()


@cache
def load() -> dict:
    """All of the demo content as plain data."""
    accounts = _json("accounts.json")
    discussion = _json("discussion.json")
    return {
        "sections": _json("sections.json"),
        "authors": _json("authors.json"),
        "lead_ins": _json("lead_ins.json"),
        "stories": _stories("stories"),
        "workflow": _stories("workflow"),
        "pictures": _json("pictures.json"),
        # Demo only: these passwords are printed in the README and must never
        # reach a production database.
        "staff": accounts["staff"],
        "readers": accounts["readers"],
        "comments": discussion["comments"],
        "correction": discussion["correction"],
        "live": _json("live.json"),
        "newsletters": _json("newsletters.json"),
    }
