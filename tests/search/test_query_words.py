"""Reading a query's words: stemming, everyday phrases, filler words and snippets (no index)."""

from __future__ import annotations

import pytest

from cairn.search.providers.analysis import build_analyzer, stem_word, words
from cairn.search.providers.snippets import ELLIPSIS, snippet
from cairn.search.providers.words import read_query


@pytest.mark.parametrize(
    ("plural", "single"),
    [("buses", "bus"), ("shopping", "shop"), ("sitting", "sit"), ("gardens", "garden")],
)
def test_forms_of_a_word_share_one_index_term(plural: str, single: str) -> None:
    assert stem_word(plural) == stem_word(single)


def test_the_query_reads_words_as_the_index_analyzer_does() -> None:
    text = "Còmhradh, buses & Alzheimer’s: Sitting with Mum on Tuesdays"
    analyzed = [token.text for token in build_analyzer()(text)]
    assert [w.term for w in words(text) if not w.is_stop_word] == analyzed
    assert "comhradh" in analyzed and "bus" in analyzed


def test_an_everyday_phrase_is_read_whole_and_filler_words_are_left_out() -> None:
    query = read_query("Someone to sit with my Mum")
    assert [c.services for c in query.concepts] == [("companionship",)]
    assert query.concepts[0].terms == ("someon", "sit")  # text that says the phrase matches
    assert query.terms == ()


def test_the_longest_phrase_wins() -> None:
    assert [c.services for c in read_query("washing clothes").concepts] == [("domestic-help",)]
    assert [c.services for c in read_query("washing").concepts] == [("personal-care",)]


def test_a_language_name_means_the_language_spoken() -> None:
    for typed in ("gaelic", "Gàidhlig", "gaidhlig", "scottish gaelic"):
        query = read_query(typed)
        assert [c.languages for c in query.concepts] == [("gd",)], typed
    assert [c.languages for c in read_query("polish").concepts] == [("pl",)]


def test_plain_words_stay_required_and_fillers_alone_are_kept() -> None:
    assert read_query("help with shopping in Ayr").terms == ("ayr",)
    assert read_query("help").terms == ("help",)
    assert not read_query("the and of")


def test_a_snippet_marks_matched_words_and_keeps_their_spelling() -> None:
    parts = snippet("We take you on the bus, or two buses.", {stem_word("buses")})
    assert [p.text for p in parts if p.marked] == ["bus", "buses"]
    assert "".join(p.text for p in parts) == "We take you on the bus, or two buses."


def test_a_long_description_is_cut_around_the_first_match_at_word_boundaries() -> None:
    description = " ".join(["Lorem"] * 80 + ["hoovering"] + ["ipsum"] * 80)
    parts = snippet(description, {stem_word("hoovering")})
    text = "".join(p.text for p in parts)
    assert parts[0].text == ELLIPSIS and parts[-1].text == ELLIPSIS
    assert [p.text for p in parts if p.marked] == ["hoovering"]
    assert len(text) <= 200 + 2
    assert "Lore " not in text and " ipsu" + ELLIPSIS not in text  # whole words only


def test_a_snippet_is_plain_text_for_the_template_to_escape() -> None:
    parts = snippet("<b>Dog</b> walking & more", {stem_word("dog")})
    assert [(p.text, p.marked) for p in parts] == [
        ("<b>", False),
        ("Dog", True),
        ("</b> walking & more", False),
    ]


def test_no_description_gives_no_snippet() -> None:
    assert snippet("   ", {"dog"}) == ()
