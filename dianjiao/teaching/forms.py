"""Forms of the teaching pages. They check shapes only; every rule is in services.py, whose
ValidationError is put back next to the field it names (`dianjiao.lib.forms.add_service_errors`)."""

import datetime as dt
import re
import uuid
from dataclasses import dataclass

from django import forms
from django.forms.utils import ErrorDict
from django.utils import dateformat, timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from dianjiao.films.models import Film
from dianjiao.films.selectors import announcements_for
from dianjiao.lib.forms import Form, SearchField
from dianjiao.members.models import Member
from dianjiao.orgs.fields import NameChoiceField
from dianjiao.orgs.models import ViewingPoint, Village

from .models import Attendance, ViewingSession

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
GUEST_ROWS = 2
TASK_ROWS = 2


def parse_month(value: str) -> tuple[int, int] | None:
    m = _MONTH.match((value or "").strip())
    if not m or not 1 <= int(m[2]) <= 12:
        return None
    return int(m[1]), int(m[2])


class MonthField(forms.CharField):
    """`2026-11` (what <input type=month> sends) as (2026, 11)."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"type": "month", "placeholder": "2026-11"})
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        parsed = parse_month(value)
        if parsed is None:
            raise forms.ValidationError(_("月份格式应为 2026-11"))
        return parsed


def now_local_minute() -> dt.datetime:
    return timezone.localtime().replace(second=0, microsecond=0)


class SessionFilterForm(Form):
    q = SearchField(
        label=_("搜索"),
        required=False,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": _("片名或播放点"),
                "autocomplete": "off",
            }
        ),
    )
    village = NameChoiceField(
        label=_("党支部"), queryset=Village.objects.none(), required=False, empty_label=_("全部")
    )
    month = MonthField(label=_("月份"), required=False)
    kind = forms.ChoiceField(
        label=_("类别"), required=False, choices=[("", _("全部")), *ViewingSession.Kind.choices]
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = Village.objects.visible_to(user)

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}


class PointChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.village.name}·{obj.name}"


class SetupForm(Form):
    """Step one of recording (a GET form): the point decides who is expected, the kind whether
    the form asks which session each member makes up for."""

    point = PointChoiceField(
        label=_("播放点"), queryset=ViewingPoint.objects.none(), empty_label=None
    )
    kind = forms.ChoiceField(label=_("类别"), choices=ViewingSession.Kind.choices)

    def __init__(self, *args, points, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["point"].queryset = points


class FilmChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        key = gettext("（重点片）") if obj.is_key_film else ""
        return gettext("《%(title)s》%(key)s %(minutes)s分钟") % {
            "title": obj.title,
            "key": key,
            "minutes": obj.duration_minutes,
        }


class MemberChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


def _missed_session_label(session) -> str:
    when = dateformat.format(timezone.localtime(session.held_at), gettext("m月d日 H:i"))
    return f"{when} {session.get_kind_display()}"


def _status_field(*, required=True):
    """到场 / 请假 / 缺席. A new record starts with nobody marked (`required=False`, checked in
    SessionForm.clean): a forgotten row must not pass for an absence."""
    return forms.ChoiceField(
        choices=Attendance.Status.choices, widget=forms.RadioSelect, required=required
    )


def _reason_field():
    return forms.ChoiceField(
        label=_("请假原因"),
        required=False,
        choices=[("", _("请假原因…")), *Attendance.Reason.choices],
    )


class AttendanceRow:
    def __init__(self, member, status, reason, makeup=None, attendance=None):
        self.member, self.status, self.reason, self.makeup, self.attendance = (
            member,
            status,
            reason,
            makeup,
            attendance,
        )


#: The key-film record's steps in the order the operator goes through them (id, label).
KEY_FILM_STEPS = [
    ("prep", _("准备")),
    ("show", _("播放与提示")),
    ("attendance", _("出勤")),
    ("discuss", _("讨论")),
    ("practice", _("实践")),
]


@dataclass
class Tally:
    """The roll call's running figures: 应到 (everyone listed), 实到, 请假, 缺席, and who is not
    marked yet (names)."""

    expected: int
    present: int
    excused: int
    absent: int
    unmarked: list


#: The roll call's bulk actions (the `roll` button of the record form): mark everyone not yet
#: marked. Without JavaScript the server does it and shows the form again, unsaved.
ROLL_ACTIONS = {
    "all_present": Attendance.Status.PRESENT,
    "rest_absent": Attendance.Status.ABSENT,
}


def mark_unmarked(data, roster, action: str):
    """A copy of the posted `data` with every member of `roster` who has no status given the
    status of the roll `action` (ROLL_ACTIONS)."""
    data = data.copy()
    for m in roster:
        if data.get(f"m{m.pk}_status") not in Attendance.Status.values:
            data[f"m{m.pk}_status"] = ROLL_ACTIONS[action]
    return data


@dataclass
class FilmGroups:
    """The films checklist of the record form, split so that a phone is not a 40-line scroll:
    `first` the films of current announcements and the key films, `rest` the rest of the library
    (shown folded, `rest_open` when one of them is ticked)."""

    first: list
    rest: list
    rest_open: bool


class _FourRingFields(Form):
    preparation = forms.CharField(
        label=_("播前备课内容"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("重点片必填：学习了什么、准备了哪些提示和讨论题"),
    )
    prepared_at = forms.DateTimeField(
        label=_("备课时间"), required=False, widget=_DATETIME, help_text=_("须早于播放时间")
    )
    prompts = forms.CharField(
        label=_("播中提示"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    record_notes = forms.CharField(
        label=_("收看记录"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("收看时的情况；出勤见上方名单"),
    )
    discussion = forms.CharField(
        label=_("讨论情况"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    speakers = MemberChoiceField(
        label=_("发言党员"),
        required=False,
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("只能选择到场的党员"),
    )

    def _add_task_rows(self, members):
        choices = [("", _("（落实到小组）"))] + [(str(m.pk), m.name) for m in members]
        for i in range(TASK_ROWS):
            self.fields[f"task{i}_member"] = forms.ChoiceField(
                label=_("党员"), required=False, choices=choices
            )
            self.fields[f"task{i}_group"] = forms.CharField(
                label=_("或小组"), required=False, max_length=80
            )
            self.fields[f"task{i}_task"] = forms.CharField(
                label=_("实践任务"), required=False, max_length=500
            )
            self.fields[f"task{i}_due"] = forms.DateField(
                label=_("完成期限"), required=False, widget=_DATE
            )

    def task_rows(self):
        return [
            [self[f"task{i}_{k}"] for k in ("member", "group", "task", "due")]
            for i in range(TASK_ROWS)
        ]

    def _tasks(self) -> list[dict]:
        d, out = self.cleaned_data, []
        for i in range(TASK_ROWS):
            row = {
                "member": d.get(f"task{i}_member") or None,
                "group": d.get(f"task{i}_group", ""),
                "task": d.get(f"task{i}_task", ""),
                "due_on": d.get(f"task{i}_due"),
            }
            if row["member"] or row["group"] or row["task"]:
                out.append(row)
        return out

    def four_ring(self) -> dict:
        d = self.cleaned_data
        return {
            "preparation": d["preparation"],
            "prepared_at": d["prepared_at"],
            "prompts": d["prompts"],
            "record_notes": d["record_notes"],
            "discussion": d["discussion"],
            "speakers": [m.pk for m in d["speakers"]],
            "practice": self._tasks(),
        }


class SessionForm(_FourRingFields):
    """The whole session on one page: the film, who came, and the four rings."""

    client_id = forms.UUIDField(widget=forms.HiddenInput)
    held_at = forms.DateTimeField(
        label=_("收看时间"), widget=_DATETIME, help_text=_("《电教手册》须当天填写")
    )
    duration_minutes = forms.IntegerField(
        label=_("时长（分钟）"), min_value=1, max_value=24 * 60, initial=60
    )
    films = FilmChoiceField(
        label=_("播放影片"), queryset=Film.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    notes = forms.CharField(
        label=_("备注"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    # Never sent: the roll call's errors (and the service's "attendance" ones) are shown beside
    # the list under this name.
    attendance = forms.CharField(required=False, widget=forms.HiddenInput)
    field_order = ["client_id", "held_at", "duration_minutes", "films", "notes"]

    def __init__(self, *args, user, point, kind, roster, missed=None, **kwargs):
        """`roster`: the members listed (expected at the point; for a make-up, those with a
        missed session, whose choices `missed` gives as {member id: [sessions]})."""
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("client_id", uuid.uuid4())
        initial.setdefault("held_at", now_local_minute())
        super().__init__(*args, **kwargs)
        self.user, self.point, self.kind, self.roster = user, point, kind, list(roster)
        self.fields["films"].queryset = Film.objects.visible_to(user).filter(active=True)
        self.fields["speakers"].queryset = Member.objects.filter(pk__in=[m.pk for m in self.roster])
        for m in self.roster:
            self.fields[f"m{m.pk}_status"] = _status_field(required=False)
            self.fields[f"m{m.pk}_reason"] = _reason_field()
            if kind == ViewingSession.Kind.MAKEUP:
                self.fields[f"m{m.pk}_makeup"] = forms.ChoiceField(
                    label=_("补的是哪一场"),
                    required=False,
                    choices=[("", _("补的是哪一场…"))]
                    + [(str(s.pk), _missed_session_label(s)) for s in (missed or {}).get(m.pk, [])],
                )
        for i in range(GUEST_ROWS):
            self.fields[f"guest{i}_name"] = forms.CharField(
                label=_("姓名"), required=False, max_length=50
            )
            self.fields[f"guest{i}_note"] = forms.CharField(
                label=_("说明"), required=False, max_length=200
            )
        self._add_task_rows(self.roster)
        if kind == ViewingSession.Kind.KEY_FILM:  # in steps: attendance comes after this field
            self.fields["record_notes"].help_text = _("收看时的情况；出勤在第 3 步登记")

    @property
    def shows_key_films(self) -> bool:
        return self.kind == ViewingSession.Kind.KEY_FILM

    def clean(self):
        data = super().clean()
        unmarked = [m for m in self.roster if not data.get(f"m{m.pk}_status")]
        for m in unmarked:
            self.add_error(f"m{m.pk}_status", _("请选择到场、请假或缺席"))
        if unmarked:
            self.add_error(
                "attendance",
                ngettext(
                    "还有 %(n)d 人没有登记到场、请假或缺席：%(names)s",
                    "还有 %(n)d 人没有登记到场、请假或缺席：%(names)s",
                    len(unmarked),
                )
                % {"n": len(unmarked), "names": gettext("、").join(m.name for m in unmarked)},
            )
        return data

    def hold(self) -> None:
        """Show the bound data without errors: a roll action, not a save, was asked for."""
        self._errors = ErrorDict()
        self.cleaned_data = {}

    def tally(self) -> Tally:
        counts = dict.fromkeys(Attendance.Status.values, 0)
        unmarked = []
        for m in self.roster:
            status = self[f"m{m.pk}_status"].value()
            if status in counts:
                counts[status] += 1
            else:
                unmarked.append(m.name)
        return Tally(
            expected=len(self.roster),
            present=counts[Attendance.Status.PRESENT],
            excused=counts[Attendance.Status.EXCUSED],
            absent=counts[Attendance.Status.ABSENT],
            unmarked=unmarked,
        )

    def film_groups(self) -> FilmGroups:
        """The films' checkboxes: announced and key films first, the others apart (FilmGroups).
        If no film is announced or key, the whole library is listed as one group."""
        announced = {f.pk for a in announcements_for(self.user) for f in a.films.all()}
        first, rest = [], []
        for box in self["films"]:
            film = box.data["value"].instance
            (first if film.pk in announced or film.is_key_film else rest).append(box)
        if not first:
            first, rest = rest, []
        return FilmGroups(first, rest, rest_open=any(box.data["selected"] for box in rest))

    def attendance_rows(self) -> list[AttendanceRow]:
        return [
            AttendanceRow(
                m,
                self[f"m{m.pk}_status"],
                self[f"m{m.pk}_reason"],
                self[f"m{m.pk}_makeup"] if f"m{m.pk}_makeup" in self.fields else None,
            )
            for m in self.roster
        ]

    def guest_rows(self):
        return [(self[f"guest{i}_name"], self[f"guest{i}_note"]) for i in range(GUEST_ROWS)]

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        attendance = {}
        for m in self.roster:
            status = d[f"m{m.pk}_status"]
            # The reason select is on every row; it means something only for 请假.
            reason = d[f"m{m.pk}_reason"] if status == Attendance.Status.EXCUSED else ""
            attendance[m.pk] = (status, reason, d.get(f"m{m.pk}_makeup") or None)
        return {
            "village": self.point.village,
            "point": self.point,
            "kind": self.kind,
            "client_id": d["client_id"],
            "held_at": d["held_at"],
            "duration_minutes": d["duration_minutes"],
            "films": list(d["films"]),
            "attendance": attendance,
            "notes": d["notes"],
            "four_ring": self.four_ring(),
            "guests": [(d[f"guest{i}_name"], d[f"guest{i}_note"]) for i in range(GUEST_ROWS)],
        }


class CorrectionForm(_FourRingFields):
    """Correct a recorded session: the four-ring texts, speakers, an added task, the statuses.
    Prefilled with what is stored; the reason goes into the logbook's correction entry."""

    notes = forms.CharField(
        label=_("备注"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    reason = forms.CharField(
        label=_("更正原因"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("写入《电教手册》的更正记录，原记录保留"),
    )

    def __init__(self, *args, session, rows, **kwargs):
        self.session, self.rows = session, rows
        initial = kwargs.setdefault("initial", {})
        for name in ("preparation", "prompts", "record_notes", "discussion", "notes"):
            initial.setdefault(name, getattr(session, name))
        initial.setdefault(
            "prepared_at", session.prepared_at and timezone.localtime(session.prepared_at)
        )
        initial.setdefault("speakers", list(session.speakers.values_list("pk", flat=True)))
        for r in rows:
            initial.setdefault(f"m{r.member_id}_status", r.status)
            initial.setdefault(f"m{r.member_id}_reason", r.excuse_reason)
        super().__init__(*args, **kwargs)
        members = [r.member for r in rows]
        self.fields["speakers"].queryset = Member.objects.filter(pk__in=[m.pk for m in members])
        for r in rows:
            self.fields[f"m{r.member_id}_status"] = _status_field()
            self.fields[f"m{r.member_id}_reason"] = _reason_field()
        self._add_task_rows(members)

    def attendance_rows(self) -> list[AttendanceRow]:
        return [
            AttendanceRow(
                r.member,
                self[f"m{r.member_id}_status"],
                self[f"m{r.member_id}_reason"],
                attendance=r,
            )
            for r in self.rows
        ]

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        four_ring = self.four_ring()
        attendance = {}
        for r in self.rows:
            status = d[f"m{r.member_id}_status"]
            attendance[r.member_id] = (
                status,
                d[f"m{r.member_id}_reason"] if status == Attendance.Status.EXCUSED else "",
            )
        return {
            "reason": d["reason"],
            "notes": d["notes"],
            "four_ring": four_ring,
            "attendance": attendance,
        }


class OutcomeForm(Form):
    """学过有实践: one outcome box per task."""

    reason = forms.CharField(
        label=_("说明"),
        required=False,
        max_length=200,
        help_text=_("可不填；写入《电教手册》的更正记录"),
    )

    def __init__(self, *args, tasks, **kwargs):
        self.tasks = tasks
        kwargs.setdefault("initial", {}).update({f"outcome_{t.pk}": t.outcome for t in tasks})
        super().__init__(*args, **kwargs)
        for t in tasks:
            self.fields[f"outcome_{t.pk}"] = forms.CharField(
                label=_("实践成效"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def rows(self):
        return [(t, self[f"outcome_{t.pk}"]) for t in self.tasks]

    def outcomes(self) -> dict[int, str]:
        return {t.pk: self.cleaned_data[f"outcome_{t.pk}"] for t in self.tasks}


class LearningFilterForm(Form):
    village = NameChoiceField(
        label=_("党支部"), queryset=Village.objects.none(), required=False, empty_label=None
    )
    year = forms.IntegerField(label=_("年度"), required=False, min_value=2000, max_value=2100)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = Village.objects.visible_to(user)


class FeedbackForm(Form):
    village = NameChoiceField(label=_("党支部"), queryset=Village.objects.none(), empty_label=None)
    month = MonthField(label=_("月份"))
    note = forms.CharField(
        label=_("说明"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("存在的问题、需要电教站解决的事项"),
    )

    def __init__(self, *args, villages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages
