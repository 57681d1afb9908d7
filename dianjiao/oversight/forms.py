"""Forms of the oversight pages; the services keep the rules. Lists typed one per line
("红星村|刘电教") are parsed here, with a Chinese message naming the line."""

import datetime as dt

from django import forms
from django.db.models import Q
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from dianjiao.infoitems.forms import PhotosField
from dianjiao.lib.forms import Form, SearchField
from dianjiao.lib.sizes import size_label
from dianjiao.orgs.fields import NameChoiceField
from dianjiao.orgs.models import ViewingPoint, Village

from . import materials
from .models import (
    Assessment,
    Bulletin,
    ChecklistItem,
    DemoUnit,
    Inspection,
    InspectionResult,
    Meeting,
    Rectification,
    Training,
)
from .services import COMPONENTS, DEFAULT_WEIGHTS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
COMPONENT_LABELS = {
    "inspections": _("检查得分"),
    "viewing": _("按月收看"),
    "coverage": _("党员覆盖"),
    "four_ring": _("四环教学"),
    "feedback": _("当月反馈"),
    "info": _("电教信息"),
    "reports": _("季度报告"),
    "rectifications": _("整改按期"),
}


def _lines(text: str):
    for n, line in enumerate((text or "").splitlines(), start=1):
        if line.strip():
            yield n, [p.strip() for p in line.replace("｜", "|").split("|")]


def _village(villages: dict, name: str, n: int):
    v = villages.get(name)
    if v is None:
        raise forms.ValidationError(
            _g("第%(n)d行：没有名为“%(name)s”的村") % {"n": n, "name": name}
        )
    return v


class FilterForm(Form):
    q = SearchField(
        label=_("搜索"),
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("关键词")}),
    )
    village = NameChoiceField(
        label=_("村"), queryset=Village.objects.none(), required=False, empty_label=_("全部")
    )
    status = forms.ChoiceField(label=_("状态"), required=False)
    year = forms.IntegerField(label=_("年度"), required=False, min_value=2000, max_value=2100)

    def __init__(self, *args, user, statuses=(), search=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = Village.objects.visible_to(user).order_by(
            "township_id", "sort_order", "name"
        )
        self.fields["status"].choices = [("", _("全部")), *statuses]
        if not statuses:
            del self.fields["status"]
        self.search = search
        if not search:
            del self.fields["q"]

    def filter(self, qs, *, village="village", year=None):
        if not self.is_valid():
            return qs
        d = self.cleaned_data
        if d.get("q"):
            cond = Q()
            for name in self.search:
                cond |= Q(**{f"{name}__icontains": d["q"]})
            qs = qs.filter(cond)
        if d.get("village") and village:
            qs = qs.filter(**{village: d["village"]})
        if d.get("status"):
            qs = qs.filter(status=d["status"])
        if d.get("year") and year:
            qs = qs.filter(**{year: d["year"]})
        return qs


class StartForm(Form):
    """Step one of an inspection on the phone: where (a viewing point, or a whole village), what
    kind, which day."""

    point = forms.ModelChoiceField(
        label=_("播放点"),
        queryset=ViewingPoint.objects.none(),
        required=False,
        empty_label=_("（检查整村，不选播放点）"),
    )
    village = NameChoiceField(
        label=_("或检查整村"),
        queryset=Village.objects.none(),
        required=False,
        empty_label="—",
        help_text=_("检查整个村（党支部）的电教工作时选村，不选播放点"),
    )
    kind = forms.ChoiceField(label=_("检查类别"), choices=Inspection.Kind.choices)
    inspected_on = forms.DateField(label=_("检查日期"), widget=DATE)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["point"].queryset = (
            ViewingPoint.objects.visible_to(user)
            .filter(active=True)
            .select_related("village")
            .order_by("village__sort_order", "village__name", "name")
        )
        self.fields["point"].label_from_instance = lambda p: f"{p.village.name} · {p.name}"
        self.fields["village"].queryset = Village.objects.visible_to(user).order_by(
            "sort_order", "name"
        )

    def clean(self):
        d = super().clean()
        point, village = d.get("point"), d.get("village")
        if self.errors.get("point") or self.errors.get("village"):
            return d
        if point is None and village is None:
            self.add_error("point", _g("请选择播放点，或选择要检查的村"))
        elif point is not None and village is not None and point.village_id != village.pk:
            self.add_error("village", _g("该播放点不属于%(village)s") % {"village": village.name})
        elif point is not None:
            d["village"] = point.village
        return d


class ChecklistForm(Form):
    """One status, score and note per checklist item; items answered by the records start from
    what the records say, and a different verdict asks for a reason."""

    observation = forms.CharField(
        label=_("检查情况"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    photos = PhotosField(label=_("照片"), help_text=_("最多 6 张，每张不超过 5 MB（JPG、PNG）"))

    def __init__(self, *args, template, record=None, reason=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(template.items.all())
        record = record or {}
        self.rows = []
        for item in self.items:
            from_records = record.get(item.source, "") if item.source else ""
            p = f"item_{item.pk}_"
            self.fields[p + "status"] = forms.ChoiceField(
                label=_("结论"),
                choices=[("", "—"), *InspectionResult.Status.choices],
                initial=from_records,
            )
            self.fields[p + "score"] = forms.IntegerField(
                label=_("得分（满分%(max)d）") % {"max": item.max_score},
                min_value=0,
                required=False,
                initial=item.max_score if from_records == "meets" else None,
                widget=forms.NumberInput(attrs={"inputmode": "numeric", "max": item.max_score}),
            )
            self.fields[p + "note"] = forms.CharField(
                label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
            )
            self.fields[p + "rectify"] = forms.BooleanField(
                label=_("部分达标的也要求整改"), required=False
            )
            if item.source:
                self.fields[p + "override_reason"] = forms.CharField(
                    label=_("不采用记录的理由"),
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 2}),
                )
            self.rows.append((item, from_records, p))
        if reason:
            self.fields["reason"] = forms.CharField(
                label=_("更正原因"), widget=forms.Textarea(attrs={"rows": 3})
            )
            self.order_fields(["reason"])

    def item_rows(self):
        for item, from_records, p in self.rows:
            yield {
                "item": item,
                "from_records": from_records,
                "from_records_label": InspectionResult.Status(from_records).label
                if from_records
                else "",
                "status": self[p + "status"],
                "score": self[p + "score"],
                "note": self[p + "note"],
                "rectify": self[p + "rectify"],
                "override": self[p + "override_reason"] if item.source else None,
            }

    def answers(self) -> dict:
        d = self.cleaned_data
        return {
            item.pk: {
                "status": d.get(p + "status"),
                "score": d.get(p + "score") or 0,
                "note": d.get(p + "note", ""),
                "override_reason": d.get(p + "override_reason", ""),
                "rectify": bool(d.get(p + "rectify")),
            }
            for item, _rec, p in self.rows
        }


class RectificationForm(Form):
    response = forms.CharField(
        label=_("整改情况"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    photo = forms.FileField(
        label=_("整改照片"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}),
    )


class ReasonForm(Form):
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 4}))


class TemplateForm(Form):
    title = forms.CharField(label=_("名称"), max_length=100)
    items = forms.CharField(
        label=_("检查项目"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "每行一项：项目|分值|由记录预填（viewing、four_ring、feedback、info，可空）|评分说明"
        ),
    )

    def clean_items(self):
        out = []
        sources = set(ChecklistItem.Source.values)
        for n, parts in _lines(self.cleaned_data["items"]):
            parts += [""] * (4 - len(parts))
            try:
                score = int(parts[1])
            except ValueError:
                raise forms.ValidationError(_g("第%(n)d行：分值应为整数") % {"n": n}) from None
            if not 1 <= score <= 100:
                raise forms.ValidationError(_g("第%(n)d行：分值应在1到100之间") % {"n": n})
            if parts[2] not in sources:
                raise forms.ValidationError(_g("第%(n)d行：预填来源不正确") % {"n": n})
            out.append(
                {"text": parts[0], "max_score": score, "source": parts[2], "guidance": parts[3]}
            )
        if not out:
            raise forms.ValidationError(_g("检查细则至少要有一个检查项目"))
        return out


class BulletinForm(Form):
    period = forms.ChoiceField(label=_("期间"), choices=Bulletin.Period.choices)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    part = forms.IntegerField(
        label=_("月份/半年"),
        min_value=0,
        max_value=12,
        required=False,
        help_text=_("月度填1–12，半年填1（上半年）或2（下半年），年度不填"),
    )
    number = forms.CharField(label=_("文号"), max_length=50, required=False)
    title = forms.CharField(
        label=_("标题"), max_length=200, required=False, help_text=_("不填则自动生成")
    )
    summary = forms.CharField(
        label=_("总体情况"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    good_practice = forms.CharField(
        label=_("好的做法"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    problems = forms.CharField(
        label=_("存在问题"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class BulletinEditForm(Form):
    number = forms.CharField(label=_("文号"), max_length=50, required=False)
    title = forms.CharField(label=_("标题"), max_length=200)
    summary = BulletinForm.base_fields["summary"]
    good_practice = BulletinForm.base_fields["good_practice"]
    problems = BulletinForm.base_fields["problems"]


class AssessmentForm(Form):
    candidates = forms.IntegerField(label=_("先进党支部候选数"), min_value=0, max_value=50)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for k in COMPONENTS:
            self.fields[f"w_{k}"] = forms.IntegerField(
                label=_("权重：%(name)s") % {"name": COMPONENT_LABELS[k]},
                min_value=0,
                max_value=100,
                initial=DEFAULT_WEIGHTS[k],
            )

    def weights(self):
        return {k: self.cleaned_data[f"w_{k}"] for k in COMPONENTS}


class AmendForm(Form):
    new_score = forms.DecimalField(
        label=_("更正后得分"), max_digits=4, decimal_places=1, min_value=0, max_value=100
    )
    reason = forms.CharField(label=_("更正理由"), widget=forms.Textarea(attrs={"rows": 3}))


class MeetingForm(Form):
    kind = forms.ChoiceField(label=_("会议类别"), choices=Meeting.Kind.choices)
    held_on = forms.DateField(label=_("会议日期"), widget=DATE)
    place = forms.CharField(label=_("地点"), max_length=100)
    agenda = forms.CharField(label=_("议程"), widget=forms.Textarea(attrs={"rows": 4}))


class MeetingRecordForm(Form):
    minutes = forms.CharField(label=_("会议纪要"), widget=forms.Textarea(attrs={"rows": 6}))
    attendance = forms.CharField(
        label=_("出席情况"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("每行一人：村|姓名|缺席原因（出席则不填）"),
    )
    actions = forms.CharField(
        label=_("议定事项"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("每行一项：事项|责任村（电教站负责则不填）|完成期限（2026-12-31）"),
    )

    def __init__(self, *args, township, **kwargs):
        super().__init__(*args, **kwargs)
        self.villages = {v.name: v for v in Village.objects.filter(township=township)}

    def clean_attendance(self):
        out = []
        for n, parts in _lines(self.cleaned_data["attendance"]):
            parts += [""] * (3 - len(parts))
            if not parts[1]:
                raise forms.ValidationError(_g("第%(n)d行：请填写姓名") % {"n": n})
            out.append(
                {
                    "village": _village(self.villages, parts[0], n),
                    "name": parts[1],
                    "present": not parts[2],
                    "absence_reason": parts[2],
                }
            )
        return out

    def clean_actions(self):
        out = []
        for n, parts in _lines(self.cleaned_data["actions"]):
            parts += [""] * (3 - len(parts))
            try:
                due = dt.date.fromisoformat(parts[2])
            except ValueError:
                raise forms.ValidationError(
                    _g("第%(n)d行：完成期限格式应为 2026-12-31") % {"n": n}
                ) from None
            out.append(
                {
                    "text": parts[0],
                    "village": _village(self.villages, parts[1], n) if parts[1] else None,
                    "due_on": due,
                }
            )
        return out


class NoteForm(Form):
    note = forms.CharField(label=_("办理情况"), widget=forms.Textarea(attrs={"rows": 3}))


class TrainingForm(Form):
    kind = forms.ChoiceField(label=_("培训形式"), choices=Training.Kind.choices)
    title = forms.CharField(label=_("培训内容"), max_length=200)
    starts_on = forms.DateField(label=_("开始日期"), widget=DATE)
    ends_on = forms.DateField(label=_("结束日期"), widget=DATE)
    hours = forms.DecimalField(label=_("学时"), max_digits=5, decimal_places=1, min_value=0.5)
    trainers = forms.CharField(label=_("授课人"), max_length=200)
    place = forms.CharField(label=_("地点"), max_length=100, required=False)
    attendees = forms.CharField(
        label=_("参训电教干部"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("每行一人：村|姓名"),
    )

    def __init__(self, *args, township, **kwargs):
        super().__init__(*args, **kwargs)
        self.villages = {v.name: v for v in Village.objects.filter(township=township)}

    def clean_attendees(self):
        out = []
        for n, parts in _lines(self.cleaned_data["attendees"]):
            if len(parts) < 2 or not parts[1]:
                raise forms.ValidationError(_g("第%(n)d行：格式应为“村|姓名”") % {"n": n})
            out.append({"village": _village(self.villages, parts[0], n), "name": parts[1]})
        return out


class MaterialForm(Form):
    title = forms.CharField(
        label=_("资料名称"), max_length=200, required=False, help_text=_("不填则用文件名")
    )
    file = forms.FileField(
        label=_("文件"),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(materials.TYPES)}),
        error_messages={"required": _("请选择要上传的文件"), "empty": _("上传的文件是空的")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("%(kinds)s，不超过 %(limit)s") % {
            "kinds": materials.kinds(),
            "limit": size_label(materials.max_bytes()),
        }


class DemoUnitForm(Form):
    village = NameChoiceField(label=_("村"), queryset=Village.objects.none())
    kind = forms.ChoiceField(label=_("类别"), choices=DemoUnit.Kind.choices)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    point = forms.ModelChoiceField(
        label=_("播放点"), queryset=ViewingPoint.objects.none(), required=False
    )
    household = forms.CharField(label=_("示范户户主"), max_length=50, required=False)
    criteria = forms.CharField(
        label=_("县定标准"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    sponsor = forms.CharField(label=_("包村单位"), max_length=100, required=False)
    contribution = forms.CharField(
        label=_("包村单位投入"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    evidence = forms.CharField(
        label=_("示范成效"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    guidance_visits = forms.CharField(
        label=_("电教站指导记录"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = Village.objects.visible_to(user)
        self.fields["point"].queryset = ViewingPoint.objects.visible_to(user).select_related(
            "village"
        )
        self.fields["point"].label_from_instance = lambda p: f"{p.village.name} · {p.name}"


class NameForm(Form):
    named_on = forms.DateField(label=_("命名日期"), widget=DATE)
    plaque_on = forms.DateField(label=_("挂牌日期"), widget=DATE, required=False)


RECT_STATUSES = Rectification.Status.choices
BULLETIN_STATUSES = Bulletin.Status.choices
ASSESSMENT_STATUSES = Assessment.Status.choices
