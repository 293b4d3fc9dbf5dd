"""A person with data in every corner of Cairn, for the erasure tests."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from cairn.domain.accounts.roles import Role
from cairn.domain.app import CairnApp
from tests.support.providers import approve_with_checks

PASSWORD = "a long enough password"
EMAIL = "mhairi@glencare.example"
CONTACT = "Mhairi Quillan"
PHONE = "07700 900417"
NEW_PHONE = "07700 900592"
REPORTER = "rab@reporter.example"
ENQUIRER = "una@enquirer.example"
# Bytes that must be nowhere once the person is erased.
MARKERS = (EMAIL, CONTACT, PHONE, NEW_PHONE, "Quillan", "900417", "900592")


@dataclass(frozen=True)
class Person:
    admin: UUID
    account: UUID
    provider: UUID
    report_filed: UUID  # a report Mhairi filed about another provider
    report_about: UUID  # a report someone filed about Mhairi's listing
    enquiry_sent: UUID  # an enquiry Mhairi sent to another provider
    other: UUID  # another provider, who stays


def build(app: CairnApp) -> Person:
    """Mhairi applies through the web form's steps (account, draft, answers), is approved,
    answers a question, edits her phone, files a report and sends an enquiry; someone else
    reports a problem with her listing quoting her phone."""
    admin = app.accounts.register("ada@cic.example", "Ada Admin", [Role.CIC_ADMIN], PASSWORD)
    started = app.directory.start_application(
        email=EMAIL,
        contact_name=CONTACT,
        password=PASSWORD,
        answers={"name": "Glen Care", "contact_name": CONTACT, "phone": PHONE},
    )
    account = started.id
    app.directory.save_draft(
        account,
        "about",
        {
            "postcode": "KA7 1AA",
            "services": ["gardening"],
            "areas_covered": ["KA7"],
            "description": "Gardening and odd jobs in Ayr.",
            "consent": True,
        },
    )
    provider = app.directory.submit_application(account).id
    app.directory.request_information(provider, by=admin.id, question="Who is Mhairi's referee?")
    app.directory.provide_information(
        provider, by=account, answer=f"{CONTACT}, ring {PHONE} any time."
    )
    approve_with_checks(app, provider, by=admin.id)
    app.directory.propose_edit(provider, by=account, changes={"phone": NEW_PHONE})
    app.directory.approve_edit(provider, by=admin.id)

    other = app.directory.apply(
        name="Troon Helpers",
        contact_name="Tam Brown",
        email="tam@troon.example",
        postcode="KA10 6AA",
        services=["gardening"],
        phone="01292 111222",
    ).id
    approve_with_checks(app, other, by=admin.id)
    report_filed = app.directory.report_problem(
        other, category="contact-details-wrong", details="Nobody answers.", reporter_email=EMAIL
    ).id
    report_about = app.directory.report_problem(
        provider,
        category="contact-details-wrong",
        details=f"{CONTACT} did not answer {NEW_PHONE}.",
        reporter_email=REPORTER,
    ).id
    enquiry_sent = app.enquiries.send(
        other, name=CONTACT, contact=EMAIL, message="Can you cover Alloway?", consent=True
    ).id
    to_her = app.enquiries.send(
        provider, name="Una Enquirer", contact=ENQUIRER, message="Help, please.", consent=True
    ).id
    app.enquiries.record_notification_sent(to_her, to=EMAIL)  # she was told by email
    return Person(
        admin=admin.id,
        account=account,
        provider=provider,
        report_filed=report_filed,
        report_about=report_about,
        enquiry_sent=enquiry_sent,
        other=other,
    )
