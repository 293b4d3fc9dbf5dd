"""The journeys people make, each in English and Gaelic, with JavaScript on and off.

Each step is checked with axe (see Journey.check). Write new journeys the same way:
`journey.goto(...)` / act / `journey.check("step name")`.
"""

from __future__ import annotations

import re
from datetime import timedelta

from cairn.demo.directory import PROVIDER_EMAIL
from cairn.domain.clock import today
from cairn.domain.directory.lifecycle import Status
from cairn.readmodels.directory.queries import providers_by_status
from tests.browser.harness import Journey, click_label_of, fill_date_boxes, message_in_main

TEAM_MEMBER_EMAIL = "jamie@carrick.example"  # cairn/demo/learning.py: a Carrick team member


def unique(journey: Journey, name: str) -> str:
    return f"{name} {journey.lang}-{journey.mode}"


# --- Apply as a provider ---------------------------------------------------------------------


def test_apply_as_a_provider(journey: Journey) -> None:
    page = journey.page
    journey.goto("/", "home")
    page.click("main a[href='/apply']")
    journey.check("apply")

    # Sending an empty form: an error summary first, then each field's own message.
    journey.submit()
    journey.check("apply-with-errors")
    journey.screenshots("apply-with-errors")
    summary = page.locator("#error-summary")
    assert summary.locator("h2").inner_text() == journey.t("There is a problem")
    assert journey.t("Enter your business name") in summary.inner_text()
    assert journey.t("Enter your email address") in summary.inner_text()
    assert page.get_attribute("#name", "aria-invalid") == "true"
    if journey.js:
        page.wait_for_function("document.activeElement.id === 'error-summary'")

    # A mistake in one field keeps everything else the person typed.
    name = unique(journey, "Ayr Care Collective")
    password = "a long browser test password"
    page.fill("#name", name)
    page.fill("#contact_name", "Morag Example")
    page.fill("#email", f"{journey.lang}-{journey.mode}@ayr-care.example")
    page.fill("#postcode", "not a postcode")
    page.fill("#password", password)
    page.fill("#confirm", password)
    journey.submit()
    journey.check("apply-with-a-postcode-error")
    assert journey.t("Enter a postcode in the right format, like KA7 1AA") in page.inner_text(
        "main"
    )
    assert page.input_value("#name") == name

    # Step 1 creates the account and says the same for every email (so it cannot tell a
    # stranger whose email is known): sign in with the new password to carry on. The next
    # steps save the draft as the person goes.
    page.fill("#postcode", "ka7 1aa")
    page.fill("#password", password)
    page.fill("#confirm", password)
    journey.submit()
    assert page.url.endswith("/apply/started"), page.url
    journey.check("apply-started")
    page.click("main a[href^='/sign-in']")
    page.fill("#email", f"{journey.lang}-{journey.mode}@ayr-care.example")
    page.fill("#password", password)
    journey.submit()
    page.click("main a[href='/apply/services']")
    page.wait_for_load_state()
    assert page.url.endswith("/apply/services"), page.url
    journey.check("apply-services")

    journey.submit()
    journey.check("apply-services-with-errors")
    assert journey.t("Choose at least one service") in page.inner_text("#error-summary")
    click_label_of(journey, "input[name=services][value=companionship]")
    click_label_of(journey, "input[name=services][value=shopping-errands]")
    page.fill("#areas_covered", "ka7 ka8")
    journey.submit()
    assert page.url.endswith("/apply/availability"), page.url
    journey.check("apply-availability")

    # A grid of days by times of day: each box is one slot.
    click_label_of(journey, "input[name=slots][value=mon-morning]")
    click_label_of(journey, "input[name=slots][value=sat-afternoon]")
    page.fill("#price_per_hour", "18.50")
    journey.submit()
    assert page.url.endswith("/apply/about"), page.url
    journey.check("apply-about")

    page.fill("#description", "Friendly company and help with the shopping around Ayr.")
    page.fill("#languages", "en gd")
    journey.submit()
    assert page.url.endswith("/apply/consent"), page.url
    journey.check("apply-consent")

    page.click("label[for=consent]")
    journey.submit()
    assert page.url.endswith("/apply/check"), page.url
    journey.check("apply-check")
    journey.screenshots("apply-check")
    assert name in page.inner_text("main")
    said = "; ".join(
        journey.t("%(days)s: %(times)s", days=journey.t(day), times=journey.t(time))
        for day, time in (("Monday", "Mornings"), ("Saturday", "Afternoons"))
    )
    assert said in page.inner_text("main")

    journey.submit()
    assert page.url.endswith("/apply/sent"), page.url
    journey.check("apply-sent")
    assert journey.t("Application sent") in page.inner_text("main h1")

    pending = providers_by_status(journey.live.runtime.read_engine, Status.APPLIED, 1, size=200)
    mine = [p for p in pending.items if p.name == name]
    assert mine and mine[0].postcode == "KA7 1AA"

    # The new provider's own page says where the application is.
    journey.goto("/provider", "provider-dashboard-applied")
    assert journey.t(
        "Thank you for applying. The CIC is reviewing your application and will contact you by "
        "email."
    ) in page.inner_text("main")


# --- Review as the CIC admin -----------------------------------------------------------------


def test_record_checks_approve_and_decline_as_the_cic_admin(journey: Journey) -> None:
    page, live = journey.page, journey.live
    checked_name = unique(journey, "Alloa Ready Care")
    approve_name = unique(journey, "Alloa Care Test")
    decline_name = unique(journey, "Alva Care Test")
    checked_id = live.apply_with_checks(checked_name)
    approve_id, decline_id = live.apply(approve_name), live.apply(decline_name)

    journey.sign_in(live.admin_email, live.password)
    assert page.url.endswith("/admin/applications")
    journey.check("review-queue-applications")

    # An application with its checks on record is approved from the queue, through a page
    # that shows the checks and what approving will do.
    page.click(f"#approve-{checked_id}")
    page.wait_for_url(f"**/admin/providers/{checked_id}/confirm/approve")
    journey.check("confirm-approve")
    page.click("#confirm-approve")
    message_in_main(journey, journey.t("%(name)s is approved and now listed.", name=checked_name))
    assert page.locator(f"#approve-{checked_id}").count() == 0
    journey.check("review-queue-after-approving")
    journey.screenshots("review-queue-after-approving")

    # One without checks cannot be approved: the confirm page says why and offers no button.
    page.click(f"#approve-{approve_id}")
    page.locator("#check-problems").wait_for()
    assert page.locator("#confirm-approve").count() == 0
    journey.check("confirm-approve-refused")
    page.click("#check-problems a")
    page.wait_for_url(f"**/admin/providers/{approve_id}*")
    journey.check("admin-provider")

    # On the provider's page: record the PVG check and the insurance, then approve.
    now = today(live.runtime.app.clock)
    for action, fields, day_box, day, recorded in (
        (
            "pvg",
            {"membership_number": "1234 5678 9012 3456"},
            "pvg_checked_on",
            now - timedelta(days=10),
            "The PVG check for %(name)s is recorded.",
        ),
        (
            "insurance",
            {"insurer": "Clydesdale Mutual", "policy_number": "PL-1", "cover": "5,000,000"},
            "insurance_expires_on",
            now + timedelta(days=365),
            "The insurance for %(name)s is recorded.",
        ),
    ):
        details = page.locator("#provider-panel details.ds_details")
        if details.get_attribute("open") is None:
            details.locator("summary").click()
        for field, value in fields.items():
            page.fill(f"#{field}", value)
        fill_date_boxes(page, day_box, day)
        page.click(f"#record-{action} button[type=submit]")
        message_in_main(journey, journey.t(recorded, name=approve_name))
    journey.check("admin-provider-checks-recorded")
    page.click("#provider-panel a[href$='/confirm/approve']")
    page.click("#confirm-approve")
    message_in_main(journey, journey.t("%(name)s is approved and now listed.", name=approve_name))
    journey.goto(f"/admin/providers/{approve_id}", "admin-provider-approved")
    history = page.inner_text("#provider-panel .cairn-history")
    assert history.count("\n") >= 3, "the history lists the application, checks and approval"

    # Declining needs a reason, which the applicant will see.
    journey.goto("/admin/applications", "review-queue-applications")
    page.click(f"#decline-{decline_id}")
    page.wait_for_url(f"**/admin/providers/{decline_id}/confirm/decline")
    page.click("#confirm-decline")
    refused = journey.t("Give a reason for {what}.").format(
        what=journey.t("declining this application")
    )
    message_in_main(journey, refused)
    journey.check("admin-provider-decline-refused")
    page.fill("#decline-text", "We do not cover this area yet.")
    page.click("#confirm-decline")
    message_in_main(journey, journey.t("%(name)s was declined.", name=decline_name))
    journey.check("admin-provider-declined")

    # The approved providers are now public; the declined one is not.
    journey.goto("/search?q=Alloa", "search-after-approving")
    listing = page.inner_text("#search-results")
    assert approve_name in listing and checked_name in listing
    assert decline_name not in listing


# --- Search by town; nobody near enough offers named districts --------------------------------


def test_search_by_town_and_offered_nearby_districts(journey: Journey) -> None:
    page = journey.page
    journey.goto("/search", "search")
    page.fill("#postcode", "Inbhir Àir" if journey.lang == "gd" else "Ayr")
    page.click("#search-form .cairn-search__main button[type=submit]")
    page.wait_for_url(lambda url: "postcode=" in url and ("Ayr" in url or "Inbhir" in url))
    nearby = journey.t("In the area you searched: %(where)s", where="Ayr (KA7)")
    page.locator("#search-results .ds_search-result", has_text=nearby).first.wait_for()
    journey.check("search-by-town")
    journey.screenshots("search-by-town")

    journey.goto("/search?postcode=KA19&within=5&service=gardening", "search-nobody-near")
    offered = page.locator("#search-results a", has_text="KA9 Prestwick")
    offered.wait_for()
    journey.screenshots("search-nobody-near")
    offered.click()
    page.wait_for_url(lambda url: "postcode=KA9" in url)
    page.locator(
        "#search-results .ds_search-result", has_text="Prestwick Garden Friends"
    ).wait_for()
    journey.check("search-offered-district")

    journey.goto("/search?postcode=Stirling", "search-which-place")
    assert page.locator("#search-results .cairn-place-choices a").count() == 2  # town, area


# --- Find a provider near a postcode and send an enquiry --------------------------------------


def test_find_a_provider_near_a_postcode_and_send_an_enquiry(journey: Journey) -> None:
    page, live = journey.page, journey.live
    journey.goto("/", "home")
    page.click(".ds_site-footer a[href='/search']")
    page.wait_for_url("**/search")
    journey.check("search")

    # A postcode and a kind of help; with JavaScript the results update as the person types.
    page.fill("#postcode", "KA7 2XY")
    click_label_of(journey, "input[name=service][value=companionship]")
    page.click("#search-form .cairn-search__main button[type=submit]")
    # Wait for the narrowed results: Alloway Companions is also on the first page of all
    # providers, so its presence alone does not show the update has arrived.
    nearest = journey.t("In the area you searched: %(where)s", where="Ayr (KA7)")
    page.locator("#search-results .ds_search-result", has_text=nearest).first.wait_for()
    page.wait_for_url(lambda url: "postcode=KA7" in url and "service=companionship" in url)
    result = page.locator("#search-results .ds_search-result", has_text="Alloway Companions")
    result.wait_for()
    journey.check("search-with-filters")
    journey.screenshots("search-with-filters")

    result.locator("a").click()
    page.wait_for_url("**/providers/*")
    journey.check("profile")
    assert page.inner_text("main h1") == "Alloway Companions"

    # An empty enquiry is refused with an error summary; nothing is sent.
    page.click("form[action*='/enquiries'] button[type=submit]")
    page.wait_for_load_state()
    journey.check("profile-enquiry-with-errors")
    assert journey.t("Enter your message") in page.inner_text("#error-summary")

    sender = unique(journey, "Elspeth Browser")
    page.fill("#name", sender)
    page.fill("#contact", "01292 555 010")
    page.fill("#message", "Could someone visit my mother on Tuesday afternoons?")
    page.click("label[for=consent]")
    page.click("form[action*='/enquiries'] button[type=submit]")
    page.wait_for_url("**/enquiries/sent?*")
    journey.check("enquiry-sent")
    assert journey.t("Message sent") in page.inner_text("main h1")
    reference = page.inner_text(".cairn-reference")
    assert re.fullmatch(r"[0-9A-F]{4}-[0-9A-F]{4}", reference)

    # The provider signs in, finds it in their inbox marked new, and opens it.
    journey.sign_in(PROVIDER_EMAIL, live.password)
    journey.goto("/provider/inbox", "provider-inbox")
    item = page.locator(".cairn-inbox__item", has_text=sender)
    assert item.count() == 1
    assert journey.t("New") in item.inner_text()
    item.locator("a").click()
    page.wait_for_url("**/provider/inbox/*")
    journey.check("provider-enquiry")
    assert "Tuesday afternoons" in page.inner_text("main")
    assert reference in page.inner_text("main")


# --- Record a reflection and conclude an experiment -------------------------------------------


def test_record_a_reflection_and_conclude_an_experiment(journey: Journey) -> None:
    page, live = journey.page, journey.live
    journey.sign_in(TEAM_MEMBER_EMAIL, live.password)
    journey.goto("/learning", "learning-home")
    page.click("main a:text-is('Carrick Community Connections')")
    page.wait_for_url("**/learning/teams/*")
    journey.check("learning-team")

    # A reflection: the required parts first, then it is saved and shown.
    page.click(f"main a.ds_button:has-text('{journey.t('Record a reflection')}')")
    journey.check("reflection-form")
    journey.submit()
    journey.check("reflection-form-with-errors")
    assert journey.t("Say what you learned") in page.inner_text("#error-summary")
    title = unique(journey, "The lunch club regulars")
    page.fill("#title", title)
    page.fill("#happened_on", (today(live.runtime.app.clock) - timedelta(days=2)).isoformat())
    page.fill("#what_happened", "We asked the lunch club what brings them back each week.")
    page.fill("#what_we_learned", "People come for each other more than for the meal.")
    page.fill("#themes", "loneliness, food")
    journey.submit()
    page.wait_for_url("**/learning/reflections/*")
    journey.check("reflection")
    assert page.inner_text("main h1") == title

    # An experiment from proposal to conclusion.
    journey.goto("/learning", "learning-home")
    page.click("main a:text-is('Carrick Community Connections')")
    page.click(f"main a.ds_button:has-text('{journey.t('Propose an experiment')}')")
    journey.check("experiment-form")
    experiment = unique(journey, "A lunch club lift")
    click_label_of(journey, "input[name=kind][value=hypothesis-test]")
    page.fill("#title", experiment)
    page.fill("#purpose", "People stop coming to the lunch club when they lose their lift.")
    page.fill("#question", "Will a neighbour's lift bring them back?")
    page.fill("#what_we_try", "Two neighbours offer a lift each Thursday.")
    page.fill("#prediction", "Most people who lost their lift will come back.")
    journey.submit()
    page.wait_for_url("**/learning/experiments/*")
    journey.check("experiment-proposed")
    assert page.inner_text("main h1") == experiment

    page.click("form[action$='/start'] button[type=submit]")
    message_in_main(
        journey, journey.t("The experiment is running. Add observations as you notice things.")
    )
    journey.check("experiment-running")
    page.fill("#text", "Four people came back in the first fortnight.")
    page.select_option("#role", "peer-worker")
    page.click("form[action$='/observations'] button[type=submit]")
    message_in_main(journey, journey.t("Your observation is added."))
    page.click("form[action$='/making-sense'] button[type=submit]")
    message_in_main(journey, journey.t("Time to make sense of it together."))
    journey.check("experiment-making-sense")

    page.click("main a[href$='/conclude']")
    journey.check("experiment-conclude")
    journey.submit()
    journey.check("experiment-conclude-with-errors")
    assert journey.t("Choose adopt, adapt or abandon") in page.inner_text("#error-summary")
    click_label_of(journey, "input[name=outcome][value=adopt]")
    page.fill("#against_prediction", "As we predicted: four of the five came back.")
    page.fill("#learned", "A familiar lift matters more than the timetable.")
    page.fill("#reason", "Everyone who had a lift kept coming.")
    journey.submit()
    message_in_main(journey, journey.t("The experiment is concluded."))
    journey.check("experiment-concluded")
    journey.screenshots("experiment-concluded")
    assert "Four people came back" in page.inner_text("main")


# --- The approved providers list -------------------------------------------------------------


def test_browse_the_approved_providers(journey: Journey) -> None:
    page = journey.page
    journey.goto("/", "home")
    page.click(f"main a:text('{journey.t('See every approved provider')}')")
    assert page.url.endswith("/providers")
    journey.check("providers")
    assert page.inner_text("main h1") == journey.t("Approved providers")
    result = page.locator(".ds_search-result", has_text="Heathfield Home Help")
    assert journey.t("Personal care") in result.inner_text()

    page.click(".ds_pagination a[rel=next]")
    assert re.search(r"/providers\?page=2$", page.url)
    journey.check("providers-page-2")
    assert page.locator(".ds_pagination [aria-current=page]").inner_text() == "2"

    # The language switcher keeps the page (and its query string).
    other = "en" if journey.lang == "gd" else "gd"
    page.click(f".ds_site-header button[name=lang][value={other}]")
    page.wait_for_load_state()
    assert re.search(r"/providers\?page=2$", page.url)
    assert page.get_attribute("html", "lang") == other
    page.click(f".ds_site-header button[name=lang][value={journey.lang}]")
    page.wait_for_load_state()
    assert page.get_attribute("html", "lang") == journey.lang
