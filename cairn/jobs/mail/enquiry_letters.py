"""The letters about enquiries: to the provider (one has arrived) and to the person who
enquired (a copy with a reference, the provider's reply, or that they cannot help)."""

from __future__ import annotations

from cairn.domain.directory.provider import Provider
from cairn.domain.enquiries.enquiry import Enquiry, enquiry_reference
from cairn.jobs.mail.letters import Gettext, Letter, LetterBase, Recipient
from cairn.readmodels.mail.queue import OutboxItem


class EnquiryLetters(LetterBase):
    def _enquiry_received(self, item: OutboxItem, to: Recipient, _: Gettext) -> Letter:
        return Letter(
            _("You have a new enquiry on Cairn"),
            self._hello(to, _),
            [
                _("Someone has sent {business} an enquiry through Cairn.").format(
                    business=self._business(item)
                ),
                _("For their privacy, the message is not in this email. Sign in to read it."),
            ],
            self._sign_in(_, "/provider/inbox"),
        )

    def _profile_link(self, enquiry: Enquiry, _: Gettext) -> tuple[str, str]:
        return (_("See their listing"), self.links.to(f"/providers/{enquiry.provider_id}"))

    def _enquiry_copy(self, item: OutboxItem, to: Recipient, _: Gettext) -> Letter:
        enquiry = self.app.load(Enquiry, item.event_id)
        reference = enquiry_reference(enquiry.id)
        business = self.app.load(Provider, enquiry.provider_id).name
        return Letter(
            _("Your enquiry to {business} is sent ({reference})").format(
                business=business, reference=reference
            ),
            self._hello(to, _),
            [
                _("Your enquiry is with {business}. Its reference is {reference}.").format(
                    business=business, reference=reference
                ),
                _(
                    "They will get in touch the way you asked, or reply through Cairn: their "
                    "reply will come to this email address. They do not see this address."
                ),
                _("For your privacy, your message is not repeated in this email."),
            ],
            self._profile_link(enquiry, _),
        )

    def _enquiry_reply(self, item: OutboxItem, to: Recipient, _: Gettext) -> Letter:
        enquiry = self.app.load(Enquiry, item.event_id)
        provider = self.app.load(Provider, enquiry.provider_id)
        reference = enquiry_reference(enquiry.id)
        return Letter(
            _("{business} has replied to your enquiry ({reference})").format(
                business=provider.name, reference=reference
            ),
            self._hello(to, _),
            [
                _("{business} has replied to your enquiry {reference}:").format(
                    business=provider.name, reference=reference
                ),
                self._event(item).text,
                *_public_contact(provider, _),
            ],
            self._profile_link(enquiry, _),
            [
                _("Replies to this email are not read: contact {business} directly.").format(
                    business=provider.name
                )
            ],
        )

    def _enquiry_declined(self, item: OutboxItem, to: Recipient, _: Gettext) -> Letter:
        enquiry = self.app.load(Enquiry, item.event_id)
        provider = self.app.load(Provider, enquiry.provider_id)
        reference = enquiry_reference(enquiry.id)
        return Letter(
            _("{business} cannot help with your enquiry ({reference})").format(
                business=provider.name, reference=reference
            ),
            self._hello(to, _),
            [
                _("{business} is sorry they cannot help with your enquiry {reference}.").format(
                    business=provider.name, reference=reference
                ),
                _("They said:"),
                self._event(item).text,
                _("You can look for other help near you on Cairn."),
            ],
            (_("Find other help"), self.links.to("/search")),
        )


def _public_contact(provider: Provider, _: Gettext) -> list[str]:
    """How the enquirer can answer the provider: what the listing shows the public."""
    ways = [way for way in (provider.phone, provider.website) if way]
    if not ways:
        return []
    return [
        _("You can reach {business} at: {ways}").format(
            business=provider.name, ways=", ".join(ways)
        )
    ]
