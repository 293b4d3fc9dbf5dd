"""Commands on teams, reflections and experiments: the only way learning changes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING
from uuid import UUID

from cairn.domain.accounts.account import Account
from cairn.domain.accounts.commands import AccountCommands
from cairn.domain.accounts.roles import Role, runs_partnership
from cairn.domain.clock import today as today_from
from cairn.domain.directory.provider import Provider
from cairn.domain.errors import DomainError, NotFound, StaleState
from cairn.domain.learning.content import ExperimentContent, ReflectionContent
from cairn.domain.learning.conversation import (
    EXPERIMENT,
    REFLECTION,
    Comment,
    Review,
    ReviewNotice,
)
from cairn.domain.learning.experiment import Experiment
from cairn.domain.learning.reflection import Reflection
from cairn.domain.learning.team import Team
from cairn.domain.learning.vocabulary import ADAPT, CONCLUDED, PUBLIC, SHARED, SIGNED_IN
from cairn.domain.learning.voices import HeardVoice
from cairn.domain.outcome import Done
from cairn.domain.personal import subject_for_id
from cairn.domain.validation import DEFAULT_TEXT_LANGUAGE, _

if TYPE_CHECKING:
    from cairn.domain.store import Store


class NotAllowed(DomainError):
    """The person is not allowed to do this (not a member, not a lead)."""


class LearningCommands:
    def __init__(self, app: Store) -> None:
        self.app = app
        self.accounts = AccountCommands(app)  # stateless: the same store's account rules

    def _today(self) -> date:
        return today_from(self.app.clock)

    # -- who may act ----------------------------------------------------------------

    def _is_admin(self, account_id: UUID) -> bool:
        try:
            return self.app.load(Account, account_id).has_role(Role.CIC_ADMIN)
        except NotFound:
            return False

    def _runs_partnership(self, account_id: UUID) -> bool:
        """A CIC administrator or a partnership lead (`roles.PARTNERSHIP_ROLES`)."""
        try:
            return runs_partnership(self.app.load(Account, account_id).roles)
        except NotFound:
            return False

    def _require_manager(self, team: Team, by: UUID) -> None:
        if not (team.is_lead(by) or self._is_admin(by)):
            raise NotAllowed(_("Only a team lead or a CIC administrator can do that."))

    def _require_membership_manager(self, team: Team, by: UUID) -> None:
        """Who changes a team's members: its leads and the partnership's staff. (Sharing and
        redaction stay with the team's leads and CIC administrators: they are the team's own
        decisions about its words.)"""
        if not (team.is_lead(by) or self._runs_partnership(by)):
            raise NotAllowed(
                _("Only a team lead, a partnership lead or a CIC administrator can do that.")
            )

    def _require_member(self, team_id: UUID, by: UUID) -> Team:
        team = self.app.load(Team, team_id)
        if not team.is_member(by):
            raise NotAllowed(_("Only members of {team} can do that.").format(team=team.name))
        return team

    # -- teams ----------------------------------------------------------------------

    def form_team(self, name: str, purpose: str, *, by: UUID, lead_id: UUID | None = None) -> Done:
        """A CIC administrator or a partnership lead forms a team, optionally naming its
        first lead."""
        if not self._runs_partnership(by):
            raise NotAllowed(_("Only a partnership lead or a CIC administrator can form a team."))
        team = Team.form(name, purpose, formed_by=by)
        changed: list[Account] = []
        if lead_id is not None:
            changed = self._as_team_member(lead_id)
            team.add_member(lead_id, as_lead=True, by=by)
        return Done(team.id, self.app.record(team, *changed))

    def add_member(
        self,
        team_id: UUID,
        account_id: UUID,
        *,
        by: UUID,
        as_lead: bool = False,
        expected_version: int | None = None,
    ) -> Done:
        """Add (or change the role of) a member; their account gains the team-member role."""
        team = self.app.load(Team, team_id, expected_version)
        self._require_membership_manager(team, by)
        changed = self._as_team_member(account_id)
        team.add_member(account_id, as_lead=as_lead, by=by)
        return Done(team.id, self.app.record(team, *changed))

    def add_member_by_email(
        self, team_id: UUID, email: str, *, by: UUID, as_lead: bool = False
    ) -> Done:
        account_id = self.accounts.account_id_for(email)
        if account_id is None:
            raise NotFound(
                _(
                    "There is no account with the email {email}. "
                    "A partnership lead or a CIC administrator can create one."
                ).format(email=email.strip())
            )
        return self.add_member(team_id, account_id, by=by, as_lead=as_lead)

    def remove_member(self, team_id: UUID, account_id: UUID, *, by: UUID) -> Done:
        team = self.app.load(Team, team_id)
        if by != account_id:
            self._require_membership_manager(team, by)
        team.remove_member(account_id, by=by)
        return Done(team.id, self.app.record(team))

    def share(
        self,
        team_id: UUID,
        team_ids: Iterable[UUID],
        *,
        everyone: bool,
        by: UUID,
        expected_version: int | None = None,
    ) -> Done:
        team = self.app.load(Team, team_id, expected_version)
        self._require_manager(team, by)
        chosen = list(team_ids)
        for other in chosen:
            self.app.load(Team, other)  # each must be a real team
        team.share(chosen, everyone=everyone, by=by)
        return Done(team.id, self.app.record(team))

    def create_member_account(
        self,
        email: str,
        display_name: str,
        password: str,
        *,
        by: UUID,
        team_id: UUID | None = None,
        partnership_lead: bool = False,
    ) -> Done:
        """The partnership's staff create an account for someone joining a team, saved with
        their membership. Only a CIC administrator makes a partnership lead."""
        if not self._runs_partnership(by):
            raise NotAllowed(
                _("Only a partnership lead or a CIC administrator can create accounts.")
            )
        if partnership_lead and not self._is_admin(by):
            raise NotAllowed(_("Only a CIC administrator can make someone a partnership lead."))
        roles = [Role.TEAM_MEMBER, *([Role.PARTNERSHIP_LEAD] if partnership_lead else [])]
        account = self.accounts.new_account(email, display_name, roles, password)
        others: list[Team] = []
        if team_id is not None:
            team = self.app.load(Team, team_id)
            team.add_member(account.id, as_lead=False, by=by)
            others.append(team)
        return Done(account.id, self.accounts.save_new(account, *others))

    def name_partner(self, team_id: UUID, account_id: UUID, *, by: UUID) -> Done:
        """A lead names a learning partner from beyond the team. Partners read the team's
        learning shared with partners and comment on it, so their account gains the
        team-member role (the learning pages are for that role) if it did not have it."""
        team = self.app.load(Team, team_id)
        self._require_manager(team, by)
        changed = self._as_team_member(account_id)
        team.name_partner(account_id, by=by)
        return Done(team.id, self.app.record(team, *changed))

    def name_partner_by_email(self, team_id: UUID, email: str, *, by: UUID) -> Done:
        account_id = self.accounts.account_id_for(email)
        if account_id is None:
            raise NotFound(
                _("There is no account with the email {email}.").format(email=email.strip())
            )
        return self.name_partner(team_id, account_id, by=by)

    def remove_partner(self, team_id: UUID, account_id: UUID, *, by: UUID) -> Done:
        team = self.app.load(Team, team_id)
        if by != account_id:  # a partner may step back themselves
            self._require_manager(team, by)
        team.remove_partner(account_id, by=by)
        return Done(team.id, self.app.record(team))

    def _as_team_member(self, account_id: UUID) -> list[Account]:
        """The account, changed to hold the team-member role if it did not."""
        account = self.app.load(Account, account_id)
        if account.has_role(Role.TEAM_MEMBER):
            return []
        account.grant(Role.TEAM_MEMBER)
        return [account]

    # -- reflections ----------------------------------------------------------------

    def _check_links(self, team_id: UUID, content: ReflectionContent) -> None:
        if content.experiment_id is not None:
            # Only the team's own experiments: linking another team's would show its title
            # to this reflection's readers, who may not be allowed to read it.
            linked = self.app.load(Experiment, content.experiment_id)
            if linked.team_id != team_id:
                raise DomainError(_("Choose one of this team's own experiments."))
        if content.provider_id is not None:
            self.app.load(Provider, content.provider_id)

    def record_reflection(self, team_id: UUID, content: ReflectionContent, *, by: UUID) -> Done:
        self._require_member(team_id, by)
        checked = content.checked(self._today())
        self._check_links(team_id, checked)
        reflection = Reflection.write(team_id, checked, by=by)
        return Done(reflection.id, self.app.record(reflection))

    def revise_reflection(
        self,
        reflection_id: UUID,
        content: ReflectionContent,
        *,
        by: UUID,
        expected_version: int | None = None,
    ) -> Done:
        reflection = self.app.load(Reflection, reflection_id, expected_version)
        self._require_member(reflection.team_id, by)
        checked = content.checked(self._today())
        self._check_links(reflection.team_id, checked)
        reflection.revise(checked, by=by)
        return Done(reflection.id, self.app.record(reflection))

    def redact_reflection_version(
        self, reflection_id: UUID, number: int, *, reason: str, by: UUID
    ) -> Done:
        """A team lead (or a CIC administrator) redacts one version: the fact, who, when and
        why are recorded, then that version's key is destroyed, so its words are unreadable
        in the log, and every read model and the search index drop them on the event."""
        reflection = self.app.load(Reflection, reflection_id)
        self._require_manager(self.app.load(Team, reflection.team_id), by)
        if number in reflection.redactions:
            # Asked again: finish a shredding an earlier attempt may not have reached.
            self._shred(reflection.version_ids.get(number))
        version_id = reflection.redact(number, reason=reason, by=by)
        done = Done(reflection.id, self.app.record(reflection))
        # After the event is saved: if shredding failed, the words would still be hidden by
        # every read model, and asking for the redaction again finishes the shredding.
        self._shred(version_id)
        return done

    def hear_voice(self, reflection_id: UUID, voice: HeardVoice, *, by: UUID) -> Done:
        """A team member keeps a voice's words with the consent given for them."""
        reflection = self.app.load(Reflection, reflection_id)
        self._require_member(reflection.team_id, by)
        reflection.hear(voice.checked(self._today()), by=by)
        return Done(reflection.id, self.app.record(reflection))

    def revise_voice_words(
        self, reflection_id: UUID, voice_id: UUID, words: str, *, by: UUID
    ) -> Done:
        reflection = self.app.load(Reflection, reflection_id)
        self._require_member(reflection.team_id, by)
        reflection.revise_voice_words(voice_id, words, by=by)
        return Done(reflection.id, self.app.record(reflection))

    def withdraw_consent(self, reflection_id: UUID, voice_id: UUID, on: date, *, by: UUID) -> Done:
        """Any member of the team records a withdrawal (whoever the person told): the fact
        and its date are saved, then the voice's key is destroyed, so its words are
        unreadable in every event and every read model and index drops them."""
        reflection = self.app.load(Reflection, reflection_id)
        self._require_member(reflection.team_id, by)
        voice = reflection.voices.get(voice_id)
        if voice is not None and voice.withdrawn:
            # Asked again: finish a shredding an earlier attempt may not have reached (the
            # domain then says it is already withdrawn).
            self._shred(voice_id)
        reflection.withdraw_consent(voice_id, on, today=self._today(), by=by)
        done = Done(reflection.id, self.app.record(reflection))
        self._shred(voice_id)
        return done

    def _shred(self, version_id: UUID | None) -> None:
        if version_id is not None:
            self.app.keys.shred(subject_for_id(version_id))

    # -- experiments ----------------------------------------------------------------

    def propose_experiment(
        self,
        team_id: UUID,
        content: ExperimentContent,
        *,
        by: UUID,
        proposed_on: date | None = None,
        builds_on: Iterable[UUID] = (),
    ) -> Done:
        """`builds_on`: experiments, of any team, this one builds on (the web offers only
        those the person may read)."""
        self._require_member(team_id, by)
        proposed_on = proposed_on or self._today()
        if proposed_on > self._today():
            raise DomainError(_("The date it was proposed cannot be in the future."))
        experiment = Experiment(
            team_id=team_id, by=by, content=content.checked().to_event(), proposed_on=proposed_on
        )
        links = self._existing_experiments(builds_on)
        if links:
            experiment.build_on(links, by=by)
        return Done(experiment.id, self.app.record(experiment))

    def _member_experiment(
        self, experiment_id: UUID, by: UUID, expected_version: int | None
    ) -> Experiment:
        experiment = self.app.load(Experiment, experiment_id, expected_version)
        self._require_member(experiment.team_id, by)
        return experiment

    def revise_experiment(
        self,
        experiment_id: UUID,
        content: ExperimentContent,
        *,
        by: UUID,
        expected_version: int | None = None,
        builds_on: Iterable[UUID] | None = None,
    ) -> Done:
        """`builds_on`: the whole set of experiments it builds on (None: leave them)."""
        experiment = self._member_experiment(experiment_id, by, expected_version)
        checked = content.checked()
        links = None if builds_on is None else self._existing_experiments(builds_on)
        relinked = links is not None and set(links) != set(experiment.builds_on)
        # Only the links changed: the plan is saved as it was, without a "nothing changed".
        if not relinked or checked != experiment.content:
            experiment.revise(checked, by=by)
        if relinked:
            experiment.build_on(links or [], by=by)
        return Done(experiment.id, self.app.record(experiment))

    def set_builds_on(
        self,
        experiment_id: UUID,
        experiment_ids: Iterable[UUID],
        *,
        by: UUID,
        expected_version: int | None = None,
    ) -> Done:
        """The team names the experiments this one builds on (the whole set)."""
        experiment = self._member_experiment(experiment_id, by, expected_version)
        experiment.build_on(self._existing_experiments(experiment_ids), by=by)
        return Done(experiment.id, self.app.record(experiment))

    def _existing_experiments(self, experiment_ids: Iterable[UUID]) -> list[UUID]:
        """The ids, each checked to be an experiment Cairn holds."""
        chosen = list(dict.fromkeys(experiment_ids))
        for experiment_id in chosen:
            try:
                self.app.load(Experiment, experiment_id)
            except NotFound:
                raise DomainError(
                    _("Cairn has no experiment {id} to build on: choose one from the list.").format(
                        id=experiment_id
                    )
                ) from None
        return chosen

    def start_experiment(
        self,
        experiment_id: UUID,
        *,
        by: UUID,
        on: date | None = None,
        expected_version: int | None = None,
    ) -> Done:
        experiment = self._member_experiment(experiment_id, by, expected_version)
        experiment.start(on=on or self._today(), today=self._today(), by=by)
        return Done(experiment.id, self.app.record(experiment))

    def add_observation(
        self,
        experiment_id: UUID,
        text: str,
        *,
        by: UUID,
        role: str,
        on: date | None = None,
        value: Decimal | None = None,
        unit: str = "",
        language: str = DEFAULT_TEXT_LANGUAGE,
    ) -> Done:
        # No expected version: observations only add, so two at once never conflict.
        experiment = self._member_experiment(experiment_id, by, None)
        experiment.observe(
            text,
            on=on or self._today(),
            today=self._today(),
            by=by,
            role=role,
            value=value,
            unit=unit,
            language=language,
        )
        return Done(experiment.id, self.app.record(experiment))

    def correct_observation(
        self,
        experiment_id: UUID,
        observation_id: UUID,
        text: str,
        *,
        by: UUID,
        role: str,
        on: date | None = None,
        value: Decimal | None = None,
        unit: str = "",
        language: str = DEFAULT_TEXT_LANGUAGE,
    ) -> Done:
        experiment = self._member_experiment(experiment_id, by, None)
        experiment.correct_observation(
            observation_id,
            text,
            on=on,
            today=self._today(),
            by=by,
            role=role,
            value=value,
            unit=unit,
            language=language,
        )
        return Done(experiment.id, self.app.record(experiment))

    def amend_prediction(
        self,
        experiment_id: UUID,
        *,
        what_we_try: str,
        prediction: str,
        signals: str,
        reason: str,
        by: UUID,
        on: date | None = None,
        expected_version: int | None = None,
        language: str = DEFAULT_TEXT_LANGUAGE,
    ) -> Done:
        experiment = self._member_experiment(experiment_id, by, expected_version)
        experiment.amend_prediction(
            what_we_try=what_we_try,
            prediction=prediction,
            signals=signals,
            reason=reason,
            on=on or self._today(),
            today=self._today(),
            by=by,
            language=language,
        )
        return Done(experiment.id, self.app.record(experiment))

    def hold_sense_making(
        self,
        experiment_id: UUID,
        *,
        roles: tuple[str, ...],
        notes: str,
        by: UUID,
        voices: tuple[str, ...] = (),
        consent_recorded: bool = False,
        on: date | None = None,
        language: str = DEFAULT_TEXT_LANGUAGE,
    ) -> Done:
        # No expected version: sessions only add, as observations do.
        experiment = self._member_experiment(experiment_id, by, None)
        experiment.hold_sense_making(
            on=on or self._today(),
            today=self._today(),
            roles=roles,
            notes=notes,
            voices=voices,
            consent_recorded=consent_recorded,
            by=by,
            language=language,
        )
        return Done(experiment.id, self.app.record(experiment))

    def resume_experiment(
        self,
        experiment_id: UUID,
        *,
        reason: str,
        by: UUID,
        on: date | None = None,
        expected_version: int | None = None,
        language: str = DEFAULT_TEXT_LANGUAGE,
    ) -> Done:
        experiment = self._member_experiment(experiment_id, by, expected_version)
        experiment.resume(
            reason=reason, on=on or self._today(), today=self._today(), by=by, language=language
        )
        return Done(experiment.id, self.app.record(experiment))

    def begin_sense_making(
        self,
        experiment_id: UUID,
        *,
        by: UUID,
        on: date | None = None,
        expected_version: int | None = None,
    ) -> Done:
        experiment = self._member_experiment(experiment_id, by, expected_version)
        experiment.begin_sense_making(on=on or self._today(), today=self._today(), by=by)
        return Done(experiment.id, self.app.record(experiment))

    def conclude_experiment(
        self,
        experiment_id: UUID,
        outcome: str,
        *,
        learned: str,
        reason: str,
        by: UUID,
        against_prediction: str = "",
        surprises: str = "",
        next_try: str = "",
        next_prediction: str = "",
        next_question: str = "",
        on: date | None = None,
        expected_version: int | None = None,
        language: str = DEFAULT_TEXT_LANGUAGE,
        review_on: date | None = None,
    ) -> Done:
        """Adopt, adapt or abandon. Adapting also proposes the next cycle, saved together;
        the returned id is then the new cycle's, which is where the story continues.
        `review_on`: when the team looks at the decision again (set_review_date), saved
        with the conclusion, so a refused date leaves the experiment as it was.

        The next cycle carries the plan forward for the team to edit: its own question
        (the one asked now, unless a new one is given), the planned dates and the funding
        committed (the same money usually spans several cycles; the edit form changes it)."""
        experiment = self._member_experiment(experiment_id, by, expected_version)
        on = on or self._today()
        following: Experiment | None = None
        if outcome == ADAPT:
            if not next_try.strip():
                raise DomainError(_("Say what the next cycle will try differently."))
            content = replace(
                experiment.content,
                question=next_question if next_question.strip() else experiment.content.question,
                what_we_try=next_try,
                prediction=next_prediction or experiment.content.prediction,
            ).checked()
            following = Experiment(
                team_id=experiment.team_id,
                by=by,
                content=content.to_event(),
                proposed_on=on,
                cycle=experiment.cycle + 1,
                previous_id=experiment.id,
                chain_id=experiment.chain_id,
            )
        experiment.conclude(
            outcome,
            learned=learned,
            reason=reason,
            against_prediction=against_prediction,
            surprises=surprises,
            on=on,
            today=self._today(),
            by=by,
            next_id=following.id if following else None,
            language=language,
        )
        saved: list[Experiment | Review] = [experiment]
        if review_on is not None:
            saved.append(
                Review.schedule(
                    experiment.id,
                    EXPERIMENT,
                    experiment.team_id,
                    review_on,
                    today=self._today(),
                    by=by,
                )
            )
        if following is None:
            return Done(experiment.id, self.app.record(*saved))
        return Done(following.id, self.app.record(*saved, following))

    # -- the conversation: comments and reviews ---------------------------------------

    def _item(self, item_id: UUID) -> tuple[str, UUID, str, Experiment | Reflection]:
        """(kind, team, visibility, the aggregate) of a reflection or an experiment."""
        try:
            x = self.app.load(Experiment, item_id)
        except NotFound:
            r = self.app.load(Reflection, item_id)
            return REFLECTION, r.team_id, r.content.visibility, r
        return EXPERIMENT, x.team_id, x.content.visibility, x

    def _may_read(self, team_id: UUID, visibility: str, by: UUID) -> bool:
        """The visibility rule (domain/learning/visibility.py) for one signed-in account,
        from the teams themselves, so a command never trusts what a page showed."""
        if visibility in (PUBLIC, SIGNED_IN):
            return True
        team = self.app.load(Team, team_id)
        if team.is_member(by):
            return True
        if visibility != SHARED:
            return False
        if team.is_partner(by) or team.shared_with_everyone:
            return True
        return any(self.app.load(Team, other).is_member(by) for other in team.shared_with)

    def comment(
        self, item_id: UUID, text: str, *, by: UUID, language: str = DEFAULT_TEXT_LANGUAGE
    ) -> Done:
        """Anyone signed in who may read the item may comment on it."""
        kind, team_id, visibility, _item = self._item(item_id)
        if not self._may_read(team_id, visibility, by):
            raise NotAllowed(_("You cannot comment on learning you cannot read."))
        author = self.app.load(Account, by)
        members = tuple(sorted(self.app.load(Team, team_id).members, key=str))
        comment = Comment.write(
            item_id,
            kind,
            team_id,
            text,
            by=by,
            author_email=author.email,
            language=language,
            members=members,
        )
        return Done(comment.id, self.app.record(comment))

    def edit_comment(
        self, comment_id: UUID, text: str, *, by: UUID, language: str = DEFAULT_TEXT_LANGUAGE
    ) -> Done:
        comment = self.app.load(Comment, comment_id)
        if comment.author_id != by:
            raise NotAllowed(_("Only the person who wrote a comment can change it."))
        comment.edit(text, by=by, language=language)
        return Done(comment.id, self.app.record(comment))

    def remove_comment(self, comment_id: UUID, *, by: UUID) -> Done:
        comment = self.app.load(Comment, comment_id)
        if comment.author_id != by:
            raise NotAllowed(_("Only the person who wrote a comment can remove it."))
        comment.remove(by=by)
        return Done(comment.id, self.app.record(comment))

    def set_review_date(self, item_id: UUID, due_on: date, *, by: UUID) -> Done:
        """A member sets when the team looks again at "what next": an experiment's decision
        (once concluded), or a reflection's next steps (when it has some)."""
        kind, team_id, _visibility, item = self._item(item_id)
        self._require_member(team_id, by)
        if isinstance(item, Experiment) and item.stage != CONCLUDED:
            raise DomainError(_("An experiment gets a review date once it is concluded."))
        if isinstance(item, Reflection) and not item.content.what_next.strip():
            raise DomainError(_("Say what you will do next before setting a review date."))
        review_id = Review.create_id(item_id)
        if self.app.exists(review_id):
            review = self.app.load(Review, review_id)
            review.reschedule(due_on, today=self._today(), by=by)
        else:
            review = Review.schedule(item_id, kind, team_id, due_on, today=self._today(), by=by)
        return Done(review.id, self.app.record(review))

    def mark_reviewed(
        self, review_id: UUID, note: str, *, by: UUID, language: str = DEFAULT_TEXT_LANGUAGE
    ) -> Done:
        review = self.app.load(Review, review_id)
        self._require_member(review.team_id, by)
        review.mark_done(note, today=self._today(), by=by, language=language)
        return Done(review.id, self.app.record(review))

    def send_review_notices(self, today: date, candidates: Iterable[UUID]) -> list[UUID]:
        """The sweep's part: a notice for each review now due that has none for its date.
        Each decides from the aggregate, not the read model that suggested it."""
        sent: list[UUID] = []
        for review_id in candidates:
            review = self.app.load(Review, review_id)
            if not review.is_due(today) or review.due_on is None:
                continue
            notice_id = ReviewNotice.create_id(review.id, review.due_on)
            if self.app.exists(notice_id):
                continue
            notice = ReviewNotice(
                review_id=review.id,
                item_id=review.item_id,
                item_kind=review.item_kind,
                team_id=review.team_id,
                due_on=review.due_on,
                members=tuple(sorted(self.app.load(Team, review.team_id).members, key=str)),
            )
            try:
                self.app.record(notice)
            except StaleState:
                continue  # another process sent it first
            sent.append(notice.id)
        return sent
