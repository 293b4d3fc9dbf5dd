"""The CIC's tables: sorted by a column's header link (no JavaScript needed), and a queue that
tells of new work instead of replacing itself under the administrator."""

from __future__ import annotations

import re
from datetime import timedelta
from uuid import UUID

from flask.testing import FlaskClient

from cairn.bootstrap.runtime import Runtime
from cairn.domain.accounts.roles import Role
from cairn.domain.clock import today
from tests.support.web import make_account


def apply(runtime: Runtime, name: str, postcode: str = "KA7 1AA") -> UUID:
    slug = re.sub(r"[^a-z]+", "-", name.lower())
    done = runtime.app.directory.apply(
        name=name,
        contact_name="Pat",
        email=f"{slug}@cairn.example",
        postcode=postcode,
        services=["gardening"],
    )
    runtime.wait_for(done.position)
    return done.id


def rows_named(html: str, names: list[str]) -> list[str]:
    """The names, in the order the table shows them."""
    return sorted(names, key=html.index)


def header(html: str, label: str) -> str:
    """The opening <th ...> of the column whose link reads `label`."""
    for match in re.finditer(r"<th [^>]*>\s*<a [^>]*>([^<]*)<", html):
        if match.group(1).strip() == label:
            return match.group(0).split(">")[0] + ">"
    raise AssertionError(f"no sortable header {label!r}")


NAMES = ["Birch Gardens", "Alder Help", "Cedar Care"]


def test_the_queue_sorts_by_the_column_asked_for_and_says_so(
    admin_client: FlaskClient, runtime: Runtime
) -> None:
    for name, postcode in zip(NAMES, ("KA8 1AA", "KA9 1AA", "KA7 1AA"), strict=True):
        apply(runtime, name, postcode)

    default = admin_client.get("/admin/queue?kind=applications").get_data(as_text=True)
    assert rows_named(default, NAMES) == NAMES  # oldest waiting first
    assert 'aria-sort="ascending"' in header(default, "Applied")
    assert "aria-sort" not in header(default, "Business")
    # The header is a link: sorting works without JavaScript.
    assert 'href="/admin/queue?kind=applications&amp;sort=name"' in default

    by_name = admin_client.get("/admin/queue?kind=applications&sort=name").get_data(as_text=True)
    assert rows_named(by_name, NAMES) == ["Alder Help", "Birch Gardens", "Cedar Care"]
    assert 'aria-sort="ascending"' in header(by_name, "Business")
    assert "aria-sort" not in header(by_name, "Applied")
    assert by_name.count("aria-sort=") == 1
    # Its link now turns it around.
    assert 'href="/admin/queue?kind=applications&amp;sort=-name"' in by_name

    backwards = admin_client.get("/admin/queue?kind=applications&sort=-name")
    html = backwards.get_data(as_text=True)
    assert rows_named(html, NAMES) == ["Cedar Care", "Birch Gardens", "Alder Help"]
    assert 'aria-sort="descending"' in header(html, "Business")

    by_area = admin_client.get("/admin/queue?kind=applications&sort=district")
    assert rows_named(by_area.get_data(as_text=True), NAMES) == [
        "Cedar Care",  # KA7
        "Birch Gardens",  # KA8
        "Alder Help",  # KA9
    ]


def test_an_unknown_sort_is_ignored_and_the_sort_survives_filtering_and_pages(
    admin_client: FlaskClient, runtime: Runtime
) -> None:
    for name in NAMES:
        apply(runtime, name)
    for odd in ("nonsense", "-", "name;drop table providers", "-" * 500, "insurance"):
        response = admin_client.get("/admin/queue", query_string={"sort": odd})
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        assert rows_named(html, NAMES) == NAMES
        assert 'aria-sort="ascending"' in header(html, "Applied")
    # The filter form keeps the chosen sort.
    html = admin_client.get("/admin/queue?kind=applications&sort=-name").get_data(as_text=True)
    assert '<input type="hidden" name="sort" value="-name">' in html


def test_the_accounts_list_sorts_by_name_email_or_status(
    admin_client: FlaskClient, runtime: Runtime
) -> None:
    make_account(runtime, "zed@cic.example", Role.CIC_ADMIN, name="Aaron Able")
    make_account(runtime, "amy@cic.example", Role.CIC_ADMIN, name="Zoe Zed")
    by_name = admin_client.get("/admin/accounts").get_data(as_text=True)
    assert rows_named(by_name, ["Aaron Able", "Zoe Zed"]) == ["Aaron Able", "Zoe Zed"]
    assert 'aria-sort="ascending"' in header(by_name, "Name")
    # An address may wrap at its @ and dots in a narrow column, never inside a word.
    assert "amy<wbr>@cic<wbr>.example" in by_name

    by_email = admin_client.get("/admin/accounts?sort=email").get_data(as_text=True)
    assert rows_named(by_email, ["Aaron Able", "Zoe Zed"]) == ["Zoe Zed", "Aaron Able"]
    assert 'aria-sort="ascending"' in header(by_email, "Email address")
    assert "aria-sort" not in header(by_email, "Name")

    backwards = admin_client.get("/admin/accounts?sort=-name").get_data(as_text=True)
    assert rows_named(backwards, ["Aaron Able", "Zoe Zed"]) == ["Zoe Zed", "Aaron Able"]
    assert 'aria-sort="descending"' in header(backwards, "Name")

    odd = admin_client.get("/admin/accounts?sort=roles")
    assert odd.status_code == 200
    assert 'aria-sort="ascending"' in header(odd.get_data(as_text=True), "Name")


def test_the_queue_never_replaces_itself_it_only_polls_for_news(
    admin_client: FlaskClient, runtime: Runtime
) -> None:
    apply(runtime, "Alder Help")
    html = admin_client.get("/admin/queue?kind=applications&district=KA7").get_data(as_text=True)
    # Exactly one thing polls, and it is not the list, nor anything around the filter form.
    assert html.count('hx-trigger="every') == 1
    poller = re.search(r'<div id="queue-news-poll"[^>]*>', html)
    assert poller is not None
    assert 'hx-get="/admin/queue/news?' in poller.group(0)
    assert "shown=1" in poller.group(0) and "district=KA7" in poller.group(0)
    assert "data-passive" in poller.group(0)  # cairn.js moves no focus for it
    # The notice lives in a polite live region that stays on the page.
    region = re.search(r'<div id="queue-news"[^>]*>', html)
    assert region is not None
    assert 'role="status"' in region.group(0) and 'aria-live="polite"' in region.group(0)
    assert html.index('id="queue-news"') < html.index('id="queue-news-poll"')
    news_region = html.split('id="queue-news"')[1].split("</div>")[0]
    assert "<form" not in news_region and "<table" not in news_region


def test_the_news_says_how_many_new_items_wait_and_is_silent_while_nothing_changes(
    admin_client: FlaskClient, runtime: Runtime
) -> None:
    apply(runtime, "Alder Help")
    unchanged = admin_client.get("/admin/queue/news?kind=applications&shown=1&told=1")
    assert unchanged.status_code == 204  # htmx leaves the page as it is

    apply(runtime, "Birch Gardens")
    apply(runtime, "Cedar Care")
    news = admin_client.get("/admin/queue/news?kind=applications&shown=1&told=1")
    html = news.get_data(as_text=True)
    assert news.status_code == 200 and "<html" not in html
    assert "2 new items since this list was shown." in html
    assert 'id="queue-news-refresh" href="/admin/queue?kind=applications"' in html
    # The next poll compares with what the notice now says.
    assert "shown=1" in html and "told=3" in html
    assert admin_client.get("/admin/queue/news?kind=applications&shown=1&told=3").status_code == 204

    # Fewer than shown (another administrator dealt with some): changed, not "new".
    fewer = admin_client.get("/admin/queue/news?kind=applications&shown=5&told=5")
    assert "This list has changed since it was shown." in fewer.get_data(as_text=True)

    # Filters count: nothing new in another district.
    other = admin_client.get("/admin/queue/news?kind=applications&district=G12&shown=0&told=0")
    assert other.status_code == 204


def test_the_listing_as_it_was_refuses_a_day_still_to_come(
    admin_client: FlaskClient, runtime: Runtime
) -> None:
    provider_id = apply(runtime, "Alder Help")
    tomorrow = today(runtime.app.clock) + timedelta(days=1)
    response = admin_client.get(f"/admin/providers/{provider_id}?as_of={tomorrow.isoformat()}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200  # the page, with the message: not an error page
    assert "has not come yet" in html and "ds_question--error" in html
    assert "The public saw this listing" not in html and "At the end of" not in html
    assert re.search(rf'name="as_of-day"\s+value="{tomorrow.day}"', html)  # asked for, kept
    # Today is still fine.
    now = admin_client.get(f"/admin/providers/{provider_id}?as_of={today(runtime.app.clock)}")
    assert "At the end of" in now.get_data(as_text=True)
