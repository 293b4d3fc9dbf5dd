"""The results page finds providers by everyday words and shows what matched, escaped."""

from __future__ import annotations

from flask.testing import FlaskClient

from cairn.bootstrap.runtime import Runtime
from tests.support.directory import listed_provider


def page(client: FlaskClient, url: str, **headers: str) -> str:
    response = client.get(url, headers=headers)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def test_results_show_the_description_with_the_matched_words_marked(
    client: FlaskClient, runtime: Runtime
) -> None:
    listed_provider(
        runtime,
        name="Sparkle Home Help",
        services=["domestic-help"],
        description="Hoovering & ironing <script>alert('x')</script> every week.",
    )
    html = page(client, "/search?q=hoovering")
    assert "Sparkle Home Help" in html
    assert (
        '<p class="cairn-snippet" lang="en"><mark>Hoovering</mark> &amp; ironing'
        " &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; every week.</p>"
    ) in html
    assert "<script>alert" not in html
    partial = page(client, "/search?q=hoovering", **{"HX-Request": "true"})
    assert "<mark>Hoovering</mark>" in partial


def test_everyday_gaelic_words_work_in_the_gaelic_interface(
    client: FlaskClient, runtime: Runtime
) -> None:
    listed_provider(
        runtime,
        name="Còmhlan Còmhraidh",
        services=["companionship"],
        description="Tadhal is cabadaich gach seachdain.",
        languages=["gd", "en"],
    )
    listed_provider(runtime, name="Garden Friends", services=["gardening"])
    for query in ("còmhradh", "comhradh", "gàidhlig", "someone to sit with my mum"):
        html = page(client, f"/search?q={query}", **{"Accept-Language": "gd"})
        assert "Còmhlan Còmhraidh" in html, query
        assert "Garden Friends" not in html, query
