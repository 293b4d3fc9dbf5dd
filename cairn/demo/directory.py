"""The demo directory: providers at each stage of their journey, and the demo administrator.

Every name, email and number here is invented."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from uuid import UUID

from cairn.demo import DEFAULT_DEMO_PASSWORD, Runtime
from cairn.demo.learning import load_learning_demo
from cairn.domain.accounts.roles import Role
from cairn.domain.app import CairnApp
from cairn.domain.availability import parse_availability
from cairn.domain.directory.other_provision import OtherService, provision_source_id
from cairn.domain.service_types import service_type

ADMIN_EMAIL = "admin@cairn.example"
PROVIDER_EMAIL = "graham@alloway-companions.example"


@dataclass(frozen=True)
class DemoProvider:
    name: str
    contact_name: str
    email: str
    postcode: str
    services: tuple[str, ...]
    approved: bool = True
    areas: tuple[str, ...] = ()
    # As an import file writes it: days and times (each day at each time), or slots.
    availability: str = "mon;tue;wed;thu;fri;morning;afternoon"
    price: str | None = "19.50"
    sds: tuple[str, ...] = ("1", "2", "3")
    languages: tuple[str, ...] = ("en",)
    # Days until the insurance runs out: a short one puts the provider on the renewals list.
    insurance_days: int = 300
    # "info": the CIC has asked the applicant a question.
    stage: str = ""

    @property
    def description(self) -> str:
        town = self.name.split()[0]
        # Stored content, so in English: the same words whoever loads the demo.
        services = ", ".join(str(service_type(key).label) for key in self.services)
        return (
            f"{self.contact_name.split()[0]} runs {self.name}, a small local enterprise in and "
            f"around {town}. We offer {services.lower()}, with the same "
            "friendly face each visit and hours agreed with you."
        )


DEMO_PROVIDERS = (
    DemoProvider(
        "Heathfield Home Help",
        "Shona M.",
        "shona@heathfield-home-help.example",
        "KA7 3PQ",
        ("personal-care", "domestic-help"),
        areas=("KA6", "KA8"),
        languages=("en", "pl"),
        insurance_days=20,
    ),
    DemoProvider(
        "Alloway Companions",
        "Graham T.",
        "graham@alloway-companions.example",
        "KA7 4RD",
        ("companionship", "wellbeing-activities"),
        areas=("KA6",),
        availability="sat-afternoon;sun-afternoon;sun-evening",
        price="17.00",
        stage="edit",
    ),
    DemoProvider(
        "Prestwick Garden Friends",
        "Ailsa K.",
        "ailsa@prestwick-gardens.example",
        "KA9 1LB",
        ("gardening",),
    ),
    DemoProvider(
        "Troon Meals at Home",
        "Ruaridh P.",
        "ruaridh@troon-meals.example",
        "KA10 6HT",
        ("meal-preparation", "shopping-errands"),
    ),
    DemoProvider(
        "Leith Shore Support",
        "Fiona D.",
        "fiona@leith-shore-support.example",
        "EH6 6QW",
        ("personal-care", "respite"),
    ),
    DemoProvider(
        "Portobello Pet Pals",
        "Dougie R.",
        "dougie@portobello-pets.example",
        "EH15 1DX",
        ("pet-care", "companionship"),
    ),
    DemoProvider(
        "Shawlands Befrienders",
        "Priya S.",
        "priya@shawlands-befrienders.example",
        "G41 3XE",
        ("companionship", "dementia-support"),
        areas=("G42", "G43"),
        languages=("en", "ur", "pa"),
    ),
    DemoProvider(
        "Govanhill Lifts",
        "Tomasz W.",
        "tomasz@govanhill-lifts.example",
        "G42 7JS",
        ("transport", "shopping-errands"),
    ),
    DemoProvider(
        "Steòrnabhagh Cùram",
        "Catrìona NicLeòid",
        "catriona@steornabhagh-curam.example",
        "HS1 2DF",
        ("personal-care", "overnight-support"),
        languages=("gd", "en"),
        availability="mon;tue;wed;thu;fri;sat;sun;overnight",
        sds=("1", "2", "3", "4"),
    ),
    DemoProvider(
        "Oban Bay Respite",
        "Iain C.",
        "iain@oban-bay-respite.example",
        "PA34 4LW",
        ("respite", "wellbeing-activities"),
    ),
    DemoProvider(
        "Inverness Riverside Help",
        "Kirsty B.",
        "kirsty@riverside-help.example",
        "IV2 4SU",
        ("domestic-help", "shopping-errands"),
    ),
    DemoProvider(
        "Dumfries Mindful Steps",
        "Euan F.",
        "euan@mindful-steps.example",
        "DG1 2BD",
        ("mental-health-support", "wellbeing-activities"),
    ),
    DemoProvider(
        "Maybole Night Owls",
        "Morven A.",
        "morven@maybole-night-owls.example",
        "KA19 8AB",
        ("overnight-support", "respite"),
        approved=False,
    ),
    DemoProvider(
        "Girvan Good Neighbours",
        "Callum H.",
        "callum@girvan-neighbours.example",
        "KA26 9JJ",
        ("companionship", "transport"),
        approved=False,
        stage="info",
    ),
)


def load_demo_data(runtime: Runtime) -> str:
    """Add whatever demo content is missing; return a report for the person running it."""
    app = runtime.app
    password = runtime.settings.demo_password or DEFAULT_DEMO_PASSWORD
    if runtime.settings.environment == "production" and runtime.settings.demo_password is None:
        return (
            "Refusing to load demo data with the well-known demo password in production: "
            "set CAIRN_DEMO_PASSWORD, or CAIRN_ENV=development."
        )
    lines = []
    admin_id = app.accounts.account_id_for(ADMIN_EMAIL)
    if admin_id is None:
        admin_id = app.accounts.register(
            ADMIN_EMAIL, "Demo CIC administrator", [Role.CIC_ADMIN], password
        ).id
        lines.append("Created the demo CIC administrator.")
    for runner in runtime.runners:
        runner.catch_up()

    added = 0
    for demo in DEMO_PROVIDERS:
        if app.directory.provider_for_email(demo.email) is not None:
            continue
        _add_provider(app, demo, admin_id, password)
        added += 1
    for runner in runtime.runners:
        runner.catch_up()
    lines.append(
        f"Added {added} demo providers." if added else "Demo providers were already there."
    )
    lines.extend(load_learning_demo(runtime, admin_id))
    if not app.exists(provision_source_id(DEMO_OTHER_SOURCE)):
        app.directory.load_other_provision(
            DEMO_OTHER_SOURCE, "csv", list(DEMO_OTHER_PROVISION), by=admin_id
        )
        lines.append("Added the demo council's other provision for the coverage board.")
    for runner in runtime.runners:  # leave every read model and index at the log's head
        runner.catch_up()
    lines.append(f"Sign in as {ADMIN_EMAIL} with the password: {password}")
    lines.append(f"A demo provider can sign in as {PROVIDER_EMAIL} with the same password.")
    return "\n".join(lines)


# Services a council and a third-sector body already run (made up for the demo), so the
# coverage board shows other provision beside the providers.
DEMO_OTHER_SOURCE = "South Ayrshire Council (demo)"
DEMO_OTHER_PROVISION = (
    OtherService(
        "South Ayrshire Council", "Carrick day centre", ("KA26", "KA19"), ("personal-care",)
    ),
    OtherService(
        "South Ayrshire Council", "Community meals", ("KA7", "KA8", "KA9"), ("meal-preparation",)
    ),
    OtherService(
        "Ayrshire Befriending Network",
        "Telephone befriending",
        ("KA7", "KA8", "KA10"),
        ("companionship",),
    ),
)


# Who says they are taking on new people, and how (days from today for "full until").
DEMO_INTAKE: dict[str, tuple[str, int | None]] = {
    "Heathfield Home Help": ("taking", None),
    "Alloway Companions": ("waiting-list", None),
    "Troon Meals at Home": ("full", 45),
}


def _add_provider(app: CairnApp, demo: DemoProvider, admin_id: UUID, password: str) -> None:
    """One demo provider, as far along its journey as the demo needs it."""
    today = app.directory.today()
    account_id = None
    if demo.email == PROVIDER_EMAIL and app.accounts.account_id_for(demo.email) is None:
        account = app.accounts.new_account(demo.email, demo.contact_name, [Role.PROVIDER], password)
        app.accounts.save_new(account)
        account_id = account.id
    done = app.directory.apply(
        account_id=account_id,
        name=demo.name,
        contact_name=demo.contact_name,
        email=demo.email,
        postcode=demo.postcode,
        services=demo.services,
        description=demo.description,
        phone="01292 500" + str(sum(map(ord, demo.email)) % 1000).zfill(3),
        areas_covered=demo.areas,
        availability=parse_availability(demo.availability),
        sds_options=demo.sds,
        languages=demo.languages,
        price_per_hour=Decimal(demo.price) if demo.price else None,
        consented_on=today,
    )
    if demo.stage == "info":
        app.directory.request_information(
            done.id,
            by=admin_id,
            question="Which villages around Girvan can you reach, and do you have a car?",
        )
    if not demo.approved:
        return
    directory = app.directory
    directory.record_pvg(
        done.id,
        by=admin_id,
        checked_on=today - timedelta(days=200),
        membership_number="1400 2200 3100 4" + f"{sum(map(ord, demo.name)) % 1000:03d}",
    )
    directory.record_insurance(
        done.id,
        by=admin_id,
        expires_on=today + timedelta(days=demo.insurance_days),
        insurer="Clydesdale Mutual",
        policy_number=f"PL-{sum(map(ord, demo.name)) % 100000:05d}",
        cover=Decimal("5000000"),
    )
    directory.record_training(
        done.id, by=admin_id, course="first-aid", completed_on=today - timedelta(days=150)
    )
    directory.record_standards_signed(done.id, by=admin_id, signed_on=today - timedelta(days=190))
    directory.approve(done.id, by=admin_id)
    if demo.name in DEMO_INTAKE:
        intake, days = DEMO_INTAKE[demo.name]
        until = today + timedelta(days=days) if days is not None else None
        directory.set_intake(done.id, by=account_id or admin_id, status=intake, until=until)
    if demo.email == PROVIDER_EMAIL:
        # An enquiry waiting in the demo provider's inbox, with an email for the reply.
        app.enquiries.send(
            done.id,
            name="Jean",
            contact="",
            message="My mum lives in Alloway and would like company on Tuesday afternoons.",
            consent=True,
            reply_email="jean@example.org",
        )
    if demo.stage == "edit":
        directory.propose_edit(
            done.id,
            by=account_id or admin_id,
            changes={"availability": parse_availability("fri-evening;sat;sun-afternoon")},
        )
