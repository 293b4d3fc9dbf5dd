"""Messages for people, written in English in the domain and translated at display.

The domain cannot translate (it knows nothing of requests or locales), so `_` marks a message for
Babel's extraction and returns a `Text`: the English string, which also remembers its template
and the values filled into it. `_("{value} is not a district").format(value=x)` therefore still
reads as English everywhere, and the web layer translates the template first and fills in the
values after (see cairn.web.i18n.translate), so a formatted message is translated too.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


class Text(str):
    """English text that keeps the template and values it was made from."""

    template: str
    args: tuple[Any, ...]
    kwargs: dict[str, Any]
    # Shown in lower case (a status in the middle of a sentence), in whichever language.
    lowered: bool

    def __new__(cls, template: str, *args: Any, **kwargs: Any) -> Text:
        english = str.format(template, *args, **kwargs) if args or kwargs else template
        return cls._made(english, template, args, kwargs, lowered=False)

    @classmethod
    def _made(
        cls,
        english: str,
        template: str,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        *,
        lowered: bool,
    ) -> Text:
        text = str.__new__(cls, english)
        text.template = template
        text.args = args
        text.kwargs = kwargs
        text.lowered = lowered
        return text

    def format(self, *args: Any, **kwargs: Any) -> Text:
        """Fill in the template's values; the result remembers them for translation."""
        return Text(self.template, *args, **kwargs)

    def lower(self) -> Text:
        """The message in lower case, which stays lower case once translated."""
        return Text._made(str.lower(self), self.template, self.args, self.kwargs, lowered=True)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self.template, self.args, self.kwargs, self.lowered))


def _rebuild(
    template: str, args: tuple[Any, ...], kwargs: dict[str, Any], lowered: bool = False
) -> Text:
    text = Text(template, *args, **kwargs)
    return text.lower() if lowered else text


def _(message: str) -> Text:
    """Marks a message for translation (Babel extracts `_("...")` calls from domain code)."""
    return Text(message)


def joined(separator: str, items: Iterable[str]) -> Text:
    """Items in one message ('a; b'), each translated at display if it is a `Text`."""
    values = list(items)
    return Text(separator.join("{}" for _ in values), *values)
