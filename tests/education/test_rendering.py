import pytest

from education.rendering import reading_minutes, render_markdown

PAYLOADS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">click</a>',
    "[click](javascript:alert(1))",
    '<iframe src="https://evil.example"></iframe>',
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<svg onload="alert(1)"></svg>',
    "<object data=x></object><embed src=x>",
    '<a href="https://x.example" onmouseover="alert(1)">x</a>',
    "<<script>script>alert(1)<</script>/script>",
    '<form action="https://evil.example"><input name=x></form>',
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_renderer_removes_scripts_handlers_and_dangerous_links(payload):
    html = render_markdown(f"Hello\n\n{payload}\n").lower()
    for bad in (
        "<script",
        "onerror",
        "onload",
        "onmouseover",
        "javascript:",
        "<iframe",
        "<object",
        "<embed",
        "style=",
        "<form",
        "<svg",
    ):
        assert bad not in html


def test_markdown_still_renders_headings_lists_and_links():
    html = render_markdown("## Title\n\n- one\n- two\n\n[site](https://example.org)")
    assert "<h2>Title</h2>" in html and "<li>one</li>" in html
    assert '<a href="https://example.org" rel="noopener noreferrer">site</a>' in html


def test_reading_time_is_at_least_a_minute_and_grows_with_length():
    assert reading_minutes("short") == 1
    assert reading_minutes("word " * 900) == 5
