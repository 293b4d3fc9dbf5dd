"""No text for people bypasses Flask-Babel: templates and messages are all marked for translation.

Extraction (test_catalogues.py) only sees marked strings; these tests catch the unmarked ones.
"""

from __future__ import annotations

import ast
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = sorted((ROOT / "cairn" / "web").rglob("templates/**/*.html"))
# Names, not words: the same in every language.
NOT_TRANSLATED = {"Cairn"}
# Attributes a person reads or hears.
SPOKEN_ATTRIBUTES = {"aria-label", "alt", "title", "placeholder", "aria-description"}
_JINJA = re.compile(r"\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}", re.DOTALL)
# Blocks that fill in an attribute (CSS classes), not text.
_ATTRIBUTE_BLOCKS = re.compile(r"\{% block layout %\}.*?\{% endblock %\}", re.DOTALL)
_LETTER = re.compile(r"[^\W\d_]")


class _TextFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skipping += 1
        for name, value in attrs:
            if name in SPOKEN_ATTRIBUTES and value:
                self._check(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skipping -= 1

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self._check(data)

    def _check(self, text: str) -> None:
        words = text
        for name in NOT_TRANSLATED:
            words = words.replace(name, "")
        if _LETTER.search(words):
            self.found.append(text.strip())


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_templates_have_no_text_outside_gettext(template: Path) -> None:
    finder = _TextFinder()
    source = _ATTRIBUTE_BLOCKS.sub("", template.read_text("utf-8"))
    finder.feed(_JINJA.sub("", source))
    assert not finder.found, f"Wrap this text in {{{{ _('…') }}}}: {finder.found}"


# Exceptions that report programming mistakes to developers, never shown to a person.
_DEVELOPER_ERRORS = {
    "RuntimeError", "TypeError", "ValueError", "KeyError", "AssertionError",
    "NotImplementedError", "ConfigError", "LookupError",
    # Operators' messages on the command line, which speaks English (no request, no language).
    "BackupError", "ClickException", "GeoDataError",
    # The open API's refusals, read by the developers of other services: the API speaks
    # English (docs/api.md), as its field names and the profile do.
    "BadParameter",
}  # fmt: skip
# Calls whose first argument is shown to a person.
_SHOWN = {"flash", "ValidationError", "append_error"}


def _is_literal_text(node: ast.expr) -> bool:
    return (isinstance(node, ast.Constant) and isinstance(node.value, str)) or isinstance(
        node, ast.JoinedStr
    )


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _unmarked_messages(path: Path) -> list[str]:
    tree = ast.parse(path.read_text("utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
            name = _name(node.exc.func)
            args = node.exc.args
            if name not in _DEVELOPER_ERRORS and args and _is_literal_text(args[0]):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
        is_shown = isinstance(node, ast.Call) and _name(node.func) in _SHOWN
        if is_shown and node.args and _is_literal_text(node.args[0]):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_domain_errors_and_web_messages_are_marked_for_translation() -> None:
    """`raise Invalid("...")` shows English to a Gaelic reader: write `raise Invalid(_("..."))`."""
    files = [*(ROOT / "cairn" / "domain").rglob("*.py"), *(ROOT / "cairn" / "web").rglob("*.py")]
    unmarked = [where for path in files for where in _unmarked_messages(path)]
    assert not unmarked, f"Mark these messages with _(): {unmarked}"
