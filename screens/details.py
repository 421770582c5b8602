"""Details and participants: who, when, how, about which child, and the attendance check."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from textual.app import ComposeResult
from textual.widgets import Static

from stratui.calendar import WorkingCalendar
from stratui.dates import AGE_HINT, DateInputError, describe, describe_birth, is_age, parse_date
from stratui.dates import format_date as format_day
from stratui.family import LEGAL_BASES, Adult
from stratui.models import FAMILY, Attendance, Child, Discussion, DiscussionKind, FollowUpReason, MeetingFormat, Participant
from stratui.settings import Settings
from stratui.text_types import too_long
from stratui.agencies import agency_of_role
from stratui.nations import earlier_discussion, rules_for
from stratui.phases import ADULT_FORM, CHILD_FORM, DETAILS, OTHER_CHILD_FORM, PARTICIPANT_FORM, RowForm, attendance_gaps_for
from stratui.screens.kit import show_content
from stratui.screens.phase import PhaseScreen
from stratui.screens.cells import shown
from stratui.screens.row_kinds import Box, RowKind, RowRefused
from stratui.screens.rows import RowList, RowTable
from stratui.screens.child_detail import YES_NO_NOT_KNOWN, ChildDetailScreen
from stratui.screens.date_fields import DateField, TimeField
from stratui.screens.shape import show_as_asked
from stratui.screens.widgets import ChoiceField, LongTextField, TextField

KIND_CHOICES = [
    # Short labels ("Kind" says the rest): the three must fit beside the label at 80 columns.
    ("s", "Discussion", DiscussionKind.STRATEGY_DISCUSSION),
    ("m", "Meeting", DiscussionKind.STRATEGY_MEETING),
    ("w", "Network meeting", DiscussionKind.NETWORK_MEETING),
]
FORMAT_CHOICES = [
    ("p", "Phone", MeetingFormat.PHONE),
    ("v", "Video", MeetingFormat.VIDEO),
    ("i", "In person", MeetingFormat.IN_PERSON),
    ("m", "Mixed", MeetingFormat.MIXED),
]
# Why a follow-up is held: one key each; the options take their own line under the question.
FOLLOW_UP_CHOICES = [
    ("i", "New info", FollowUpReason.NEW_INFORMATION),
    ("c", "Changed", FollowUpReason.CHANGE_OF_CIRCUMSTANCES),
    ("r", "Review", FollowUpReason.PROGRESS_REVIEW),
    ("k", "Decision", FollowUpReason.BEFORE_KEY_DECISION),
    ("s", "Stalled", FollowUpReason.ENQUIRY_STALLED),
]
ATTENDANCE_CHOICES = [
    ("p", "Present", Attendance.PRESENT),
    ("a", "Absent", Attendance.ABSENT),
    ("w", "Written info", Attendance.WRITTEN),
]


def child_kind(form: RowForm, title: str, today: date, calendar: WorkingCalendar) -> RowKind[Child]:
    """Children (and other children in the household): a name, a date of birth or an age, notes.

    One box takes either, as people say it ("14/03/2019", "about 12", "unborn, due Mar 2027"):
    a date is the date of birth, an age is kept as typed, anything else is a mistyped date.
    """

    def born_or_age(text: str) -> tuple[date | None, str]:
        if not text:
            return None, ""
        if is_age(text):
            return None, text
        try:
            born = parse_date(text, today, calendar)
        except DateInputError:
            raise DateInputError(f'"{text}" is neither {AGE_HINT}') from None
        if born > today:
            raise DateInputError(
                f"a date of birth cannot be after today ({describe(born, today, calendar)}): "
                "for an unborn child type e.g. 'unborn, due Mar 2027'"
            )
        return born, ""

    def build(values: dict[str, str], old: Child | None) -> Child:
        if not values["name"]:
            raise RowRefused("Type the child's name first.", "name")
        try:
            born, age = born_or_age(values["born"])
        except DateInputError as exc:
            raise RowRefused(f"Born or age: {exc}.", "born") from None
        if (problem := too_long(values, {"name": "The name", "born": "The age"})) is not None:
            raise RowRefused(problem[1], problem[0])
        return Child(name=values["name"], date_of_birth=born, age=age, notes=values["notes"])

    def typed(key: str, value: str) -> tuple[str, bool] | None:
        if key != "born":
            return None
        try:
            born, age = born_or_age(value)
        except DateInputError as exc:
            return f"Born or age: {exc}", True
        if born is not None:
            return f"Date of birth: {describe_birth(born, today)}", False
        return (f"Age: {age}" if age else ""), False

    def restore(values: dict[str, str]) -> dict[str, str]:
        # A row half-typed before the date of birth and the age shared one box.
        if "born" not in values and ("dob" in values or "age" in values):
            values = {**values, "born": values.get("dob") or values.get("age", "")}
        return values

    return RowKind(
        form=form,
        prefix="c" if form is CHILD_FORM else "oc",
        title=title,
        boxes=[
            Box("name", "Name"),
            Box("born", "Born or age", width=20),
            Box("notes", "Notes"),
        ],
        columns=[("Name", 24), ("Born / age", 26), ("Notes", 22)],
        rows=lambda d: d.children if form is CHILD_FORM else d.other_children,
        cells=lambda c: (c.name, c.born.removeprefix("date of birth ") or "-", c.notes or "-"),
        values=lambda c: {
            "name": c.name,
            "born": format_day(c.date_of_birth) if c.date_of_birth else c.age,
            "notes": c.notes,
        },
        build=build,
        name=lambda c: c.name,
        typed=typed,
        restore=restore,
    )


def with_details(kind: RowKind[Child]) -> RowKind[Child]:
    """Children's rows that open the child's detail form (d), and keep its details when a row is
    edited in place: the row's boxes hold the name and age, the form the rest (stratui.family)."""
    build = kind.build

    def keeping_details(values: dict[str, str], old: Child | None) -> Child:
        child = build(values, old)
        return child if old is None else child.model_copy(update={"profile": old.profile})

    return replace(kind, build=keeping_details, detail=True)


# A yes/no/not known box in a row form; ChoiceBox gives back "True", "False" or "".
def _yes_no_box(yes: str, no: str) -> list[tuple[str, str, object]]:
    return [("y", yes, True), ("n", no, False), ("u", "not known", None)]


def _yes_no_value(text: str) -> bool | None:
    return {"True": True, "False": False}.get(text)


def _yes_no_cell(value: bool | None) -> str:
    return "?" if value is None else ("Yes" if value else "No")


def adult_kind() -> RowKind[Adult]:
    """Parents and carers: who they are to the child, parental responsibility, address, alleged harm."""

    def build(values: dict[str, str], old: Adult | None) -> Adult:
        if not values["name"]:
            raise RowRefused("Type the adult's name first.", "name")
        if (problem := too_long(values, {"name": "The name", "relationship": "The relationship", "address": "The address"})) is not None:
            raise RowRefused(problem[1], problem[0])
        return Adult(
            name=values["name"],
            relationship=values["relationship"],
            parental_responsibility=_yes_no_value(values["pr"]),
            address=values["address"],
            alleged_source_of_harm=_yes_no_value(values["harm"]),
        )

    return RowKind(
        form=ADULT_FORM,
        prefix="ad",
        title="Parents and carers (optional): name, relationship; Enter adds",
        boxes=[
            Box("name", "Name"),
            Box("relationship", "Relationship, e.g. mother of Ava"),
            Box("pr", "", width=40, line=1, choices=_yes_no_box("has PR", "no PR")),
            Box("address", "Address", line=1),
            Box("harm", "", line=2, choices=_yes_no_box("alleged source of harm", "not alleged")),
        ],
        columns=[("Name", 18), ("Relationship", 18), ("PR", 3), ("Address", 22), ("Harm", 4)],
        rows=lambda d: d.family.adults,
        cells=lambda a: (
            a.name,
            a.relationship or "-",
            _yes_no_cell(a.parental_responsibility),
            a.address or "-",
            _yes_no_cell(a.alleged_source_of_harm),
        ),
        values=lambda a: {
            "name": a.name,
            "relationship": a.relationship,
            "pr": "" if a.parental_responsibility is None else str(a.parental_responsibility),
            "address": a.address,
            "harm": "" if a.alleged_source_of_harm is None else str(a.alleged_source_of_harm),
        },
        build=build,
        name=lambda a: a.name,
    )


def participant_kind(settings: Settings, family: bool = False) -> RowKind[Participant]:
    """Who takes part; with `family` (a network meeting) the family too: agency Family, the
    role their relationship to the child."""
    roles, agencies = settings.lists.roles, settings.lists.agencies
    if family:
        agencies = [*agencies, FAMILY]

    def build(values: dict[str, str], old: Participant | None) -> Participant:
        if not values["name"]:
            raise RowRefused("Type the participant's name first.", "name")
        if (problem := too_long(values, {"name": "The name", "role": "The role", "agency": "The agency"})) is not None:
            raise RowRefused(problem[1], problem[0])
        row = {
            "name": values["name"],
            "role": values["role"],
            "agency": values["agency"] or agency_of_role(values["role"], settings),
            "attendance": Attendance(values["attendance"] or Attendance.PRESENT),
            "absence_reason": values["reason"],
        }
        # Edited in place: the same participant (id) as before.
        return old.model_copy(update=row) if old is not None else Participant(**row)

    def typed(key: str, value: str) -> tuple[str, bool] | None:
        if key != "role":
            return None
        # The agency a blank agency box will take, said before Enter.
        agency = agency_of_role(value, settings)
        return (f"Agency if left blank: {agency}" if agency else ""), False

    def attendance(p: Participant) -> str:
        return p.attendance.label + (f": {p.absence_reason}" if p.absence_reason else "")

    return RowKind(
        form=PARTICIPANT_FORM,
        prefix="p",
        title="Participants and family (agency Family, role = relationship); Enter adds"
        if family
        else "Participants: Tab between boxes, Enter adds (blank agency = the role's)",
        boxes=[
            Box("name", "Name"),
            Box("role", "Role", suggestions=roles),
            Box("agency", "Agency", suggestions=agencies),
            Box("attendance", "", width=45, line=1, choices=ATTENDANCE_CHOICES),
            Box("reason", "If absent: why / what sent", line=1),
        ],
        columns=[("Name", 20), ("Role", 18), ("Agency", 16), ("Attendance", None)],
        rows=lambda d: d.participants,
        cells=lambda p: (p.name, p.role or "-", p.agency or "-", attendance(p)),
        values=lambda p: {
            "name": p.name,
            "role": p.role,
            "agency": p.agency,
            "attendance": p.attendance.value,
            "reason": p.absence_reason,
        },
        build=build,
        name=lambda p: p.name,
        typed=typed,
        defaults={"attendance": Attendance.PRESENT.value},
        marks="attendance",
    )


class DetailsScreen(PhaseScreen):
    PHASE = DETAILS
    CSS_PATH = "details.tcss"

    def compose_form(self) -> ComposeResult:
        context = self.editor.context
        settings = context.settings
        calendar = settings.calendar()
        today = context.today
        locked = self.editor.locked

        def now():  # type: ignore[no-untyped-def]
            moment = datetime.now()
            return moment.time().replace(second=0, microsecond=0)

        def discussion() -> Discussion:
            return self.editor.discussion

        if self.editor.discussion.previous_discussion_ids:
            yield Static(shown(self._follows()), id="follows", classes="note")
            yield ChoiceField("follow_up_reason", "Why this follow-up is held", FOLLOW_UP_CHOICES)
        yield TextField("case_ref", "Case reference", placeholder="e.g. CS-2026-01234")
        # A network meeting's only (shown as the kind is chosen below): what it is for.
        yield LongTextField("network.purpose", "Purpose of the meeting")
        children = child_kind(CHILD_FORM, "Children: name, date of birth or age, notes; Enter adds", today, calendar)
        yield RowList(with_details(children), discussion, locked)
        # Who is on the call comes next: the dates, format and social worker below are filled in
        # already (today, now, phone, you), so the usual call never has to Tab through them.
        network = self.editor.discussion.kind is DiscussionKind.NETWORK_MEETING
        yield RowList(participant_kind(settings, family=network), discussion, locked)
        yield Static(id="attendance-check")
        # The household's other children next, not below the dates and choices that are already
        # filled in: Enter on the blank participant row comes straight here (7 Tabs saved).
        others = child_kind(OTHER_CHILD_FORM, "Others in household: children as above; Enter adds", today, calendar)
        yield RowList(with_details(others), discussion, locked)
        yield DateField("concern_date", "Concern raised on", today=today, calendar=calendar, required=True)
        yield TextField("concern_source", "Raised by / how", placeholder="e.g. school DSL by phone")
        yield DateField("held_on", "Held on", today=today, calendar=calendar, required=True)
        yield TimeField("held_at", "Time", now=now)
        yield ChoiceField("format", "Format", FORMAT_CHOICES)
        yield ChoiceField("kind", "Kind", KIND_CHOICES)
        yield TextField("social_worker", "Social worker", suggestions=self._team())
        yield DateField("referral_date", "Referral date", today=today, calendar=calendar)
        yield from self._compose_family(today, calendar, locked)

    def _compose_family(self, today: date, calendar: WorkingCalendar, locked: bool) -> ComposeResult:
        """The family, the referrer and consent: optional, below what a call needs (stratui.family)."""
        yield RowList(adult_kind(), lambda: self.editor.discussion, locked)
        yield Static("The referrer, consent to share information, parents told (optional)", classes="section")
        yield TextField("family.referrer.name", "Referrer's name")
        yield TextField("family.referrer.agency_role", "Referrer agency/role", placeholder="e.g. DSL, Oakfield Primary")
        yield TextField("family.referrer.relationship", "Referrer is child's", placeholder="e.g. class teacher, neighbour")
        yield ChoiceField("family.referrer.feedback_given", "Feedback to referrer", YES_NO_NOT_KNOWN)
        yield DateField("family.referrer.feedback_on", "Feedback given on", today=today, calendar=calendar)
        yield ChoiceField("family.consent.sought", "Consent sought", YES_NO_NOT_KNOWN)
        yield ChoiceField(
            "family.consent.given", "Consent", [("g", "Given", True), ("r", "Refused", False), ("u", "Not known", None)]
        )
        yield TextField("family.consent.not_sought_reason", "If not sought: why")
        yield TextField("family.consent.legal_basis", "Legal basis", suggestions=LEGAL_BASES)
        yield DateField("family.parents_told.on", "Parents told on", today=today, calendar=calendar)
        yield TextField("family.parents_told.by", "Parents told by", suggestions=self._team())

    def _follows(self) -> str:
        rules = rules_for(self.editor.context.settings.nation)
        earlier = {s.id: s for s in self.editor.context.store.summaries()}
        ids = self.editor.discussion.previous_discussion_ids
        return "Follows: " + "; ".join(earlier_discussion(earlier.get(i), rules) for i in ids)

    def _team(self) -> list[str]:
        return [member.name for member in self.editor.context.settings.team.members]

    def show_lists(self) -> None:
        for row_list in self.query(RowList):
            row_list.show_rows()
        # A colleague's version may be of another kind.
        show_as_asked(self, self.editor.discussion.kind)
        self._show_attendance_check()

    def rows_changed(self) -> None:
        self._show_attendance_check()

    def record_changed(self) -> None:
        super().record_changed()
        # The kind may have changed: its own fields show, the others' hide, the check follows.
        if self.is_mounted:
            show_as_asked(self, self.editor.discussion.kind)
            self._show_attendance_check()

    def on_row_list_detail_wanted(self, event: RowList.DetailWanted) -> None:
        """d on a child's row: the child's detail form, over this screen."""
        self.stratui.autosave_now()
        form = event.row_list.kind.form
        self.app.push_screen(ChildDetailScreen(self.editor, form, event.position), lambda _: self.show_lists())

    def on_mount(self) -> None:
        show_as_asked(self, self.editor.discussion.kind)
        super().on_mount()
        self._show_attendance_check()
        # A new discussion starts where the call starts, the case reference: the first field, so
        # focus_first (at once, in super().on_mount) put the cursor there. A deferred focus() here
        # came after keys typed ahead and pulled the cursor back: the next row ran into the case ref.

    def focus_first(self) -> None:
        """A follow-up starts on the people copied from before (who took part this time); any
        other discussion on its first field, the case reference."""
        participants = self.editor.discussion.participants
        waiting = [n for n, p in enumerate(participants) if p.attendance is Attendance.TO_CONFIRM]
        if not waiting or self.editor.locked:
            super().focus_first()
            return
        row_list = self.query_one(f"#{PARTICIPANT_FORM.id}", RowList)
        row_list.show_rows()
        table = row_list.query_one(RowTable)
        table.move_cursor(row=waiting[0])
        self.set_focus(table)
        row_list.say("Who took part this time? On each row: p present, a absent (why), w written information (what was sent).")

    def _show_attendance_check(self) -> None:
        settings = self.editor.context.settings
        gaps = attendance_gaps_for(self.editor.discussion, settings.nation, settings)
        rules = rules_for(settings.nation)
        check = self.query_one("#attendance-check", Static)
        if self.editor.discussion.kind is DiscussionKind.NETWORK_MEETING:
            # No minimum agencies for a network meeting (stratui.phases.attendance_gaps_for).
            show_content(check, "Attendance: a network meeting has no minimum agencies: the professionals and family the plan needs")
        elif gaps:
            # The gaps quote participants' names: shown as typed, never read as markup.
            show_content(check, shown(f"Attendance check ({rules.label}): NOT complete\n" + "\n".join(f"- {g}" for g in gaps)))
        else:
            show_content(check, f"Attendance check ({rules.label}): complete ({rules.minimum_roles_note})")
        check.set_class(not gaps, "complete")
