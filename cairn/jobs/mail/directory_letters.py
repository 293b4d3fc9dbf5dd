"""The letters about a provider's listing and account: the application, decisions,
reminders, an invitation, a new password."""

from __future__ import annotations

from datetime import date

from babel.dates import format_date

from cairn.domain.accounts.reset import RESET_LASTS
from cairn.domain.app import CairnApp
from cairn.domain.directory.confirmations import Ask, ConfirmationRequest
from cairn.domain.directory.digest import WeeklyDigest
from cairn.domain.directory.invitation import INVITATION_LASTS
from cairn.domain.directory.reminders import Check, RenewalReminder, Stage
from cairn.jobs.mail.letters import Gettext, Letter, LetterBase, Recipient
from cairn.readmodels.mail.queue import OutboxItem


class DirectoryLetters(LetterBase):
    def _application_received(self, item: OutboxItem, to: Recipient, _: Gettext) -> Letter:
        return Letter(
            _("We have your application to join the directory"),
            self._hello(to, _),
            [
                _(
                    "Thank you for applying to list {business} on Cairn. The CIC will look at "
                    "your application and check your PVG membership, insurance and training."
                ).format(business=self._business(item)),
                _(
                    "We will email you when we need more information or have decided. You can "
                    "see where your application is at any time."
                ),
            ],
            self._sign_in(_),
        )

    def _information_requested(self, item: OutboxItem, to: Recipient, _: Gettext) -> Letter:
        question = self._event(item).question
        return Letter(
            _("We need more information about your application"),
            self._hello(to, _),
            [
                _("The CIC needs more information before it can decide about {business}.").format(
                    business=self._business(item)
                ),
                _("The question is:"),
                question,
                _("Sign in to answer it. Your application waits until you do."),
            ],
            self._sign_in(_),
        )

    def _approved(self, item: OutboxItem, to: Recipient, _: Gettext) -> Letter:
        return Letter(
            _("Your listing is approved and on the directory"),
            self._hello(to, _),
            [
                _("Good news: {business} is approved and people can now find you on Cairn.").format(
                    business=self._business(item)
                ),
                _(
                    "Keep your listing true: sign in to change your details, read enquiries, "
                    "and confirm your listing when we ask every six months."
                ),
            ],
            self._sign_in(_),
        )

    def _declined(self, item: OutboxItem, to: Recipient, _: Gettext) -> Letter:
        reason = self._event(item).reason
        return Letter(
            _("Your application was not approved"),
            self._hello(to, _),
            [
                _("The CIC has decided not to approve {business} for the directory.").format(
                    business=self._business(item)
                ),
                _("The reason given is:"),
                reason,
                _("If you have questions, or things change, get in touch with the CIC."),
            ],
            self._sign_in(_),
        )

    def _suspended(self, item: OutboxItem, to: Recipient, _: Gettext) -> Letter:
        reason = self._event(item).reason
        return Letter(
            _("Your listing is suspended"),
            self._hello(to, _),
            [
                _("The CIC has suspended {business}: it no longer shows in the directory.").format(
                    business=self._business(item)
                ),
                _("The reason given is:"),
                reason,
                _("When it is put right, the CIC can reinstate your listing."),
            ],
            self._sign_in(_),
        )

    def _reinstated(self, item: OutboxItem, to: Recipient, _: Gettext) -> Letter:
        return Letter(
            _("Your listing is back on the directory"),
            self._hello(to, _),
            [
                _("The CIC has reinstated {business}: people can find you again.").format(
                    business=self._business(item)
                )
            ],
            self._sign_in(_),
        )

    def _renewal_reminder(self, item: OutboxItem, to: Recipient, _: Gettext) -> Letter:
        reminder = self.app.load(RenewalReminder, item.event_id)
        if reminder.check == Check.INTAKE.value:
            return self._intake_reminder(item, to, _)
        when = format_date(reminder.expires_on, format="long", locale=to.language)
        what = (
            _("Your public liability insurance")
            if reminder.check == Check.INSURANCE.value
            else _("Your PVG scheme membership")
        )
        if reminder.stage == Stage.EXPIRED.value:
            subject = (
                _("Your insurance has run out")
                if reminder.check == Check.INSURANCE.value
                else _("Your PVG membership has run out")
            )
            first = _("{what} ran out on {date}.").format(what=what, date=when)
            then = _(
                "Your listing is hidden until the CIC records a new one. Send it to the CIC "
                "as soon as you can."
            )
        else:
            days = _days_until(reminder.expires_on, self.app)
            subject = (
                _("Your insurance runs out on {date}")
                if reminder.check == Check.INSURANCE.value
                else _("Your PVG membership runs out on {date}")
            ).format(date=when)
            first = _("{what} runs out on {date}, in {days} days.").format(
                what=what, date=when, days=days
            )
            then = _(
                "Send the renewal to the CIC before then, so your listing stays on the directory."
            )
        return Letter(subject, self._hello(to, _), [first, then], self._sign_in(_))

    def _intake_reminder(self, item: OutboxItem, to: Recipient, _: Gettext) -> Letter:
        return Letter(
            _("Are you still taking on new people?"),
            self._hello(to, _),
            [
                _(
                    "Two months ago you said whether {business} is taking on new people. "
                    "Families read it before they get in touch: is it still right?"
                ).format(business=self._business(item)),
                _("Sign in to say it again, or to change it."),
            ],
            self._sign_in(_),
        )

    def _confirmation_request(self, item: OutboxItem, to: Recipient, _: Gettext) -> Letter:
        request = self.app.load(ConfirmationRequest, item.event_id)
        business = self._business(item)
        reminder = request.stage == Ask.REMINDED.value
        return Letter(
            (
                _("Reminder: is your listing for {business} still right?")
                if reminder
                else _("Is your listing for {business} still right?")
            ).format(business=business),
            self._hello(to, _),
            [
                _(
                    "We asked two weeks ago and have not heard back. If nobody confirms, the "
                    "CIC will look at your listing to check it is still right."
                )
                if reminder
                else _(
                    "Every six months we ask each provider to check their listing, so the "
                    "people who find you read what is true today."
                ),
                _(
                    "Open the link to see your listing. If it is right, one button confirms "
                    "it; you can also say whether you are taking on new people. If something "
                    "has changed, sign in to change it."
                ),
            ],
            (
                _("Check your listing"),
                self.links.token_link("confirm-listing", item.event_id),
            ),
        )

    def _weekly_digest(self, item: OutboxItem, to: Recipient, _: Gettext) -> Letter:
        counts = self.app.load(WeeklyDigest, item.event_id).counts
        lines = [
            (_("Applications waiting for a decision: {n}"), counts.get("applications", 0)),
            (_("Listing changes waiting for review: {n}"), counts.get("edits", 0)),
            (_("Problem reports not yet dealt with: {n}"), counts.get("reports", 0)),
            (_("Renewals due, and listings nobody has confirmed: {n}"), counts.get("renewals", 0)),
            # Digests made before lapsed checks had a tab of their own counted them as due.
            (_("Providers whose checks have run out: {n}"), counts.get("lapsed", 0)),
        ]
        waiting = sum(n for _line, n in lines)
        return Letter(
            _("What waits for the CIC this week"),
            self._hello(to, _),
            [
                _("This is what waits in the review queue today:")
                if waiting
                else _("Nothing waits in the review queue today."),
                *(line.format(n=n) for line, n in lines if waiting),
            ],
            (_("Open the review queue"), self.links.to("/admin/queue")),
        )

    def _claim_received(self, item: OutboxItem, to: Recipient, _: Gettext) -> Letter:
        return Letter(
            _("We have your request to look after {business}").format(
                business=self._business(item)
            ),
            self._hello(to, _),
            [
                _(
                    "You asked to look after the listing of {business} on Cairn, with an "
                    "address that is not the listing's own, so the CIC will check first."
                ).format(business=self._business(item)),
                _(
                    "If the CIC agrees, we will email you a link to make your account. If they "
                    "need to know more, they will get in touch."
                ),
            ],
        )

    def _claim_declined(self, item: OutboxItem, to: Recipient, _: Gettext) -> Letter:
        return Letter(
            _("Your request to look after {business}").format(business=self._business(item)),
            self._hello(to, _),
            [
                _("The CIC has not agreed to your request to look after {business}.").format(
                    business=self._business(item)
                ),
                _("The reason given is:"),
                self._event(item).reason,
            ],
        )

    def _invitation(self, item: OutboxItem, to: Recipient, _: Gettext) -> Letter:
        days = INVITATION_LASTS.days
        return Letter(
            _("Look after your listing on Cairn"),
            self._hello(to, _),
            [
                _(
                    "{business} is listed in the Cairn directory of local care and support. "
                    "The CIC invites you to make an account, so you can keep the listing "
                    "true, confirm it, and read the enquiries people send you."
                ).format(business=self._business(item)),
                _("Choose a password at this link. It works once, for {days} days.").format(
                    days=days
                ),
            ],
            (_("Make your account"), self.links.token_link("invitation", item.event_id)),
            [_("If you do not want an account, ignore this email.")],
        )

    def _email_check(self, item: OutboxItem, to: Recipient, _: Gettext) -> Letter:
        return Letter(
            _("Confirm your email address for Cairn"),
            self._hello(to, _),
            [
                _(
                    "You have made an account on Cairn with this address. Confirm it is yours, "
                    "so the CIC knows their emails about your application reach you."
                ),
                _("The link works for 7 days."),
            ],
            (_("Confirm my email address"), self.links.token_link("confirm-email", item.event_id)),
            [_("If you did not make an account, ignore this email.")],
        )

    def _password_reset(self, item: OutboxItem, to: Recipient, _: Gettext) -> Letter:
        minutes = int(RESET_LASTS.total_seconds() // 60)
        return Letter(
            _("Choose a new password for Cairn"),
            self._hello(to, _),
            [
                _("Someone asked to choose a new password for your Cairn account."),
                _("Use this link to choose one. It works once, for {minutes} minutes.").format(
                    minutes=minutes
                ),
            ],
            (_("Choose a new password"), self.links.token_link("password-reset", item.event_id)),
            [
                _(
                    "If it was not you, ignore this email: your password stays as it is. "
                    "Nobody can use the link without this email."
                )
            ],
        )


def _days_until(day: date, app: CairnApp) -> int:
    return max((day - app.clock().date()).days, 0)
