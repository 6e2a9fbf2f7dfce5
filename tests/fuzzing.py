"""Shared pieces of the property-based tests: the Hypothesis profiles and the
strategies that build hostile input.

The `ci` profile (the default) tries 200 examples per property, the same ones
on every run (derandomized: CI must not pass or fail by luck); set
HYPOTHESIS_PROFILE=dev for a quicker local run with fresh random examples,
and add what it finds as an @example. Deadlines are off because the
machine running the suite is shared and timings are noisy.
"""

import os

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# Database-backed properties are slow to generate for; that is expected.
_COMMON = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow]}
settings.register_profile("ci", max_examples=200, derandomize=True, **_COMMON)
settings.register_profile("dev", max_examples=50, **_COMMON)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


# --- Hostile text ---------------------------------------------------------------

# Characters that break parsers, terminals and databases.
CONTROL_CHARACTERS = "\x00\x01\x08\x0b\x0c\x0e\x1b\x1f\x7f\x85\u200b\u200e\u202e\ufeff"

text_any = st.text(max_size=60)
text_with_controls = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8"), st.sampled_from(list(CONTROL_CHARACTERS))
    ),
    max_size=60,
)
# Everything a Python str can hold, lone surrogates included.
text_with_surrogates = st.text(
    alphabet=st.characters(min_codepoint=0, max_codepoint=0x10FFFF), max_size=60
)


def _case_variants(fragment: str) -> st.SearchStrategy[str]:
    """The fragment as written, upper-cased, or with random capitals."""
    return st.one_of(
        st.just(fragment),
        st.just(fragment.upper()),
        st.lists(st.booleans(), min_size=len(fragment), max_size=len(fragment)).map(
            lambda flips: "".join(
                c.upper() if flip else c
                for c, flip in zip(fragment, flips, strict=True)
            )
        ),
    )


# Ways of writing "javascript:" that browsers still run.
_SCHEMES = [
    "javascript:",
    "JaVaScRiPt:",
    " javascript:",
    "\tjavascript:",
    "java\tscript:",
    "java\nscript:",
    "java&#x09;script:",
    "&#106;avascript:",
    "&#x6A;avascript:",
    "&#0000106;avascript:",
    "jav&#x61;script:",
    "javascript&colon;",
    "\x01javascript:",
    "vbscript:",
    "VBScript:",
    "data:",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "DATA:image/svg+xml,<svg onload=alert(1)>",
    "livescript:",
]
url_schemes = st.sampled_from(_SCHEMES)

_FRAGMENTS = [
    "<script>alert(1)</script>",
    "<script src=//evil.example/x.js></script>",
    "<script",
    "</script>",
    "<img src=x onerror=alert(1)>",
    '<img src="/media/a.jpg" onload="alert(1)">',
    "<img src=/media/ok.jpg alt=ok>",
    "<svg onload=alert(1)><circle r=1></svg>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)">x</a></svg>',
    "<math><mi>x</mi></math>",
    '<p style="color:red">',
    '<strong style="background:url(javascript:alert(1))">',
    "<style>body{display:none}</style>",
    '<iframe src="https://evil.example"></iframe>',
    "<object data=x></object>",
    "<embed src=x>",
    '<form action=x><input name=q onfocus="alert(1)" autofocus></form>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "<base href=//evil.example/>",
    "<!-- <script>alert(1)</script> -->",
    "<!-- <!-- nested --> -->",
    "<!--",
    "-->",
    "<!",
    "<![CDATA[<script>alert(1)</script>]]>",
    "<p",
    "<p>",
    "</p>",
    "<a",
    "<a href=",
    "<",
    ">",
    '"',
    "'",
    "=",
    "&",
    "&lt;script&gt;",
    "&#60;script&#62;",
    "<strong class=lead-in>",
    '<strong class="lead-in evil">',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    "<template><script>alert(1)</script></template>",
    "<textarea><script>alert(1)</script></textarea>",
    "<title><script>alert(1)</script></title>",
    "<ul><li>",
    "<ol start=3>",
    "<blockquote>",
    "<h2 onclick=alert(1)>",
    "<figure><img src=/media/x.jpg><figcaption>",
    "<br/>",
    "<hr>",
]


@st.composite
def _hostile_link(draw) -> str:
    scheme = draw(url_schemes)
    quote = draw(st.sampled_from(['"', "'", ""]))
    attribute = draw(_case_variants("href"))
    tag = draw(st.sampled_from(["a", "A", "img", "iframe", "form", "svg"]))
    if tag.lower() == "img":
        attribute = draw(_case_variants("src"))
    elif tag == "form":
        attribute = "action"
    return f"<{tag} {attribute}={quote}{scheme}alert(1){quote}>x</{tag}>"


@st.composite
def _hostile_attribute(draw) -> str:
    tag = draw(st.sampled_from(["p", "a", "img", "strong", "em", "li", "h2", "svg"]))
    name = draw(
        st.one_of(
            _case_variants("onclick"),
            _case_variants("onerror"),
            _case_variants("onmouseover"),
            st.from_regex(r"\Aon[a-z]{1,12}\Z"),
            _case_variants("style"),
            st.just("formaction"),
        )
    )
    value = draw(st.sampled_from(["alert(1)", "color:red", "javascript:alert(1)"]))
    return f'<{tag} {name}="{value}">'


html_fragments = st.one_of(
    st.sampled_from(_FRAGMENTS).flatmap(_case_variants),
    _hostile_link(),
    _hostile_attribute(),
    text_with_controls,
)
# Random text and hostile fragments, glued together in any order.
hostile_html = st.lists(html_fragments, max_size=12).map("".join)


# --- Markup that runs script ----------------------------------------------------

# Each one calls __hit(n) (or alert) if a browser ever runs it; the browser
# tests define __hit and watch for dialogs. Short enough for every name field
# (a section's name is at most 80 characters).
SCRIPT_PAYLOADS = [
    "D1 </p><svg onload=alert('D1')>",
    "<img src=x onerror=__hit(2)>",
    "<script>__hit(3)</script>",
    '<a href="javascript:__hit(4)">read more</a>',
    "JaVaScRiPt:__hit(5)",
    "&lt;img src=x onerror=__hit(6)&gt;",
    "&#60;svg onload=__hit(7)&#62;",
    "&amp;lt;script&amp;gt;__hit(8)&amp;lt;/script&amp;gt;",
    "]]><script>__hit(9)</script><![CDATA[",
    "]]&gt;<img src=x onerror=__hit(10)>",
    '"><svg onload=__hit(11)>',
    '<iframe srcdoc="<script>parent.__hit(12)</script>"></iframe>',
    '<noscript><p title="</noscript><img src=x onerror=__hit(13)>">',
    "<math><mtext><table><mglyph><style><img src=x onerror=__hit(14)>",
    "<details open ontoggle=__hit(15)>",
    "<body onload=__hit(16)>",
    "Q&A: M&S <b>bold</b> café – “quotes”",
]
