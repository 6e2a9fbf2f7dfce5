import pytest

from articles.richtext import sanitize_body
from tests.factories import ArticleFactory

# Each payload must come out with nothing that can run or restyle the page.
HOSTILE_PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    '<img src=x onerror="alert(1)">',
    '<p onclick="alert(1)">click</p>',
    '<a href="javascript:alert(1)">link</a>',
    '<a href="JaVaScRiPt:alert(1)">link</a>',
    '<a href="  javascript:alert(1)">link</a>',
    '<a href="java&#x09;script:alert(1)">link</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<svg onload="alert(1)"><circle r="10"/></svg>',
    "<svg><script>alert(1)</script></svg>",
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    '<p style="background:url(javascript:alert(1))">styled</p>',
    '<strong style="color:red">red</strong>',
    "<style>body{display:none}</style>",
    '<iframe src="https://evil.example"></iframe>',
    '<object data="evil.swf"></object>',
    '<embed src="evil.swf">',
    '<form action="https://evil.example"><input name="q"></form>',
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    '<base href="https://evil.example/">',
    '<div><p>unclosed <strong>tags <a href="https://ok.example">',
    "<p>broken <</p>>",
    "<!-- <script>alert(1)</script> -->",
    '<img src="x" alt="x"><p>after image</p>',
    '<a href="https://ok.example" target="_blank" onmouseover="alert(1)">ok</a>',
    '<strong class="lead-in evil">Lead:</strong>',
    '<p class="x" id="y" data-x="z">attrs</p>',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    "<template><script>alert(1)</script></template>",
]

FORBIDDEN = [
    "<script",
    "onerror",
    "onclick",
    "onload",
    "onmouseover",
    "javascript:",
    "vbscript:",
    "data:",
    "style=",
    "<style",
    "<svg",
    "<math",
    "<iframe",
    "<object",
    "<embed",
    "<form",
    "<input",
    "<meta",
    "<link",
    "<base",
    "src=",
    "<!--",
    "evil",
]


@pytest.mark.parametrize("payload", HOSTILE_PAYLOADS)
def test_hostile_markup_is_made_inert(payload):
    cleaned = sanitize_body(payload).lower()
    for fragment in FORBIDDEN:
        assert fragment not in cleaned, (payload, cleaned)


def test_editor_markup_survives_intact():
    body = (
        '<p><strong class="lead-in">The big picture:</strong> Talks resume.</p>'
        "<h2>Subhead</h2><p><em>Quietly</em>, <strong>firmly</strong>.</p>"
        "<ul><li>one</li></ul><ol><li>two</li></ol>"
        "<blockquote><p>A quote.</p></blockquote>"
        '<p><strong class="lead-in">Go deeper:</strong> '
        '<a href="https://cupure.example/world/">More</a></p>'
    )
    cleaned = sanitize_body(body)
    assert '<strong class="lead-in">The big picture:</strong>' in cleaned
    assert "<h2>Subhead</h2>" in cleaned
    assert "<blockquote><p>A quote.</p></blockquote>" in cleaned
    assert (
        '<a href="https://cupure.example/world/" rel="noopener noreferrer">' in cleaned
    )


def test_body_pictures_must_come_from_our_media(settings):
    settings.MEDIA_URL = "/media/"
    body = (
        '<figure><img src="/media/images/renditions/1/16x9-800.jpeg" alt="Boats">'
        "<figcaption>Boats at dawn.</figcaption></figure>"
        '<img src="https://tracker.example/pixel.gif" alt="">'
    )
    cleaned = sanitize_body(body)
    assert '<img src="/media/images/renditions/1/16x9-800.jpeg" alt="Boats">' in cleaned
    assert "<figcaption>Boats at dawn.</figcaption>" in cleaned
    assert "tracker.example" not in cleaned


def test_only_the_lead_in_class_is_kept():
    assert sanitize_body('<strong class="lead-in huge">Hi</strong>') == (
        '<strong class="lead-in">Hi</strong>'
    )


def test_empty_editor_paragraph_means_empty_body():
    assert sanitize_body("<p></p>") == ""


@pytest.mark.django_db
def test_saving_a_story_stores_the_sanitised_body():
    story = ArticleFactory(body='<p onclick="x()">Hi<script>alert(1)</script></p>')
    story.refresh_from_db()
    assert story.body == "<p>Hi</p>"


@pytest.mark.django_db
@pytest.mark.parametrize("payload", HOSTILE_PAYLOADS[:12])
def test_story_page_renders_hostile_body_inert(client, payload):
    story = ArticleFactory(published=True, body=f"<p>Before</p>{payload}<p>After</p>")
    html = client.get(story.get_absolute_url()).content.decode().lower()
    body = html.split('class="story__body prose">', 1)[1].split("</div>", 1)[0]
    for fragment in ("<script", "onerror", "onclick", "onload", "javascript:", "<svg"):
        assert fragment not in body
