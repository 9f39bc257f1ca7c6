"""Employer HTML is cleaned on the way in: what survives is safe to show on any portal."""

from jobpilot.jobs.html import html_to_text, sanitize_html, summarize


def test_scripts_and_their_content_are_removed():
    assert sanitize_html("<p>Hi</p><script>alert('x')</script>") == "<p>Hi</p>"


def test_event_handlers_and_styles_are_removed():
    cleaned = sanitize_html('<p onclick="steal()" style="position:fixed">Hi</p><style>p{}</style>')
    assert cleaned == "<p>Hi</p>"


def test_javascript_links_lose_their_target_and_links_get_a_safe_rel():
    assert "href" not in sanitize_html('<a href="javascript:alert(1)">x</a>')
    assert sanitize_html('<a href="https://acme.example/jobs">x</a>') == (
        '<a href="https://acme.example/jobs" rel="nofollow noopener noreferrer">x</a>'
    )


def test_images_iframes_and_unknown_tags_are_dropped_but_their_text_kept():
    cleaned = sanitize_html('<img src=x onerror=alert(1)><iframe src="//evil"></iframe><blink>Now</blink>')
    assert cleaned == "Now"


def test_formatting_a_job_description_needs_survives():
    html = "<h2>About</h2><p><strong>Great</strong> <em>team</em></p><ul><li>One</li></ul>"
    assert sanitize_html(html) == html


def test_plain_text_keeps_words_of_adjacent_blocks_apart():
    assert html_to_text("<p>First.</p><p>Second &amp; third</p>") == "First. Second & third"


def test_summaries_are_cut_at_a_word_boundary():
    assert summarize("word " * 100, length=22) == "word word word word…"
    assert summarize("short") == "short"
