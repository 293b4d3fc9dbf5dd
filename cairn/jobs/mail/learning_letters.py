"""The letters of the learning system, to a team's members: someone commented on the team's
learning, and a review of "what next" is due. Neither carries what anyone wrote (not the
comment, not the item's title): only the team's name and a link to sign in and read it."""

from __future__ import annotations

from uuid import UUID

from babel.dates import format_date

from cairn.domain.learning.conversation import EXPERIMENT, Comment, ReviewNotice
from cairn.domain.learning.team import Team
from cairn.jobs.mail.letters import Gettext, Letter, LetterBase, Recipient
from cairn.readmodels.mail.queue import OutboxItem


class LearningLetters(LetterBase):
    def _item_link(self, kind: str, item_id: UUID) -> str:
        plural = "experiments" if kind == EXPERIMENT else "reflections"
        return self.links.to(f"/learning/{plural}/{item_id}")

    def _turn_off(self, _: Gettext) -> list[str]:
        return [
            _(
                "You get these emails because you are in a learning team on Cairn. You can "
                "turn them off on your account page."
            )
        ]

    def _learning_comment(self, item: OutboxItem, to: Recipient, _: Gettext) -> Letter:
        comment = self.app.load(Comment, item.event_id)
        team = self.app.load(Team, comment.team_id).name
        what = (
            _("Someone commented on an experiment of {team}.")
            if comment.item_kind == EXPERIMENT
            else _("Someone commented on a reflection of {team}.")
        )
        return Letter(
            _("A new comment on the learning of {team}").format(team=team),
            self._hello(to, _),
            [
                what.format(team=team),
                _("For privacy, the comment is not in this email. Sign in to read it."),
            ],
            (_("Read the comment"), self._item_link(comment.item_kind, comment.item_id)),
            self._turn_off(_),
        )

    def _review_due(self, item: OutboxItem, to: Recipient, _: Gettext) -> Letter:
        notice = self.app.load(ReviewNotice, item.event_id)
        team = self.app.load(Team, notice.team_id).name
        when = format_date(notice.due_on, format="long", locale=to.language)
        return Letter(
            _("A review is due for {team}").format(team=team),
            self._hello(to, _),
            [
                _(
                    "{team} set {date} to look again at what it decided to do next. "
                    "That day has come."
                ).format(team=team, date=when),
                _("It is on the team's page under 'Due for review' until it is marked reviewed."),
            ],
            (_("See what is due"), self._item_link(notice.item_kind, notice.item_id)),
            self._turn_off(_),
        )
