"""Forms of the film pages. They check what a form can (required, dates, choices within the
user's scope); the rules that span records are the services' and come back as field errors."""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dianjiao.lib.dates import today
from dianjiao.lib.forms import Form, FormSet, ModelForm, SearchField, formset_factory
from dianjiao.lib.sizes import size_label
from dianjiao.orgs.models import Village

from . import video
from .models import Film, FilmCopy, FilmRequest, FilmRequestLine, Language, Loan, Theme

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DEFAULT_LOAN_DAYS = 30


class FilmForm(ModelForm):
    class Meta:
        model = Film
        fields = [
            "title",
            "series",
            "producer",
            "year",
            "duration_minutes",
            "themes",
            "languages",
            "is_key_film",
            "synopsis",
            "prep_notes",
            "prompts",
            "discussion_questions",
            "active",
        ]
        widgets = {
            "themes": forms.CheckboxSelectMultiple,
            "languages": forms.CheckboxSelectMultiple,
            "synopsis": forms.Textarea(attrs={"rows": 4}),
            "prep_notes": forms.Textarea(attrs={"rows": 4}),
            "prompts": forms.Textarea(attrs={"rows": 4}),
            "discussion_questions": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        keep = Q(pk__in=self.instance.themes.all()) if self.instance.pk else Q(pk__in=[])
        self.fields["themes"].queryset = Theme.objects.filter(Q(active=True) | keep)
        self.fields["languages"].queryset = Language.objects.all()


class FilmFilterForm(Form):
    q = SearchField(
        label=_("搜索"),
        required=False,
        widget=forms.TextInput(
            attrs={
                "placeholder": _("片名、系列或主题"),
                "type": "search",
                "autocomplete": "off",
            }
        ),
    )
    theme = forms.ModelChoiceField(
        label=_("主题"), queryset=Theme.objects.all(), required=False, empty_label=_("全部")
    )
    language = forms.ModelChoiceField(
        label=_("语种"), queryset=Language.objects.all(), required=False, empty_label=_("全部")
    )
    key = forms.BooleanField(label=_("只看重点片"), required=False)
    status = forms.ChoiceField(
        label=_("状态"),
        required=False,
        choices=[
            ("active", _("在用")),
            ("inactive", _("停用")),
            ("all", _("全部")),
        ],
    )

    def filter(self, queryset):
        if not self.is_valid():
            return queryset.filter(active=True)
        d = self.cleaned_data
        queryset = queryset.search(d["q"])
        if d["theme"]:
            queryset = queryset.filter(
                pk__in=Film.themes.through.objects.filter(theme=d["theme"]).values("film")
            )
        if d["language"]:
            queryset = queryset.filter(
                pk__in=Film.languages.through.objects.filter(language=d["language"]).values("film")
            )
        if d["key"]:
            queryset = queryset.filter(is_key_film=True)
        status = d["status"] or "active"
        if status != "all":
            queryset = queryset.filter(active=(status == "active"))
        return queryset


class CopyForm(ModelForm):
    class Meta:
        model = FilmCopy
        fields = ["inventory_no", "medium", "language", "condition", "note"]


class VideoUploadForm(Form):
    file = forms.FileField(
        label=_("视频文件"),
        widget=forms.ClearableFileInput(attrs={"accept": "video/*"}),
        error_messages={"required": _("请选择要上传的视频文件"), "empty": _("上传的文件是空的")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "MP4 或 WebM 格式可在手机和电脑的浏览器中直接播放；文件不能超过 %(limit)s。"
        ) % {
            "limit": size_label(video.max_video_bytes()),
        }


class WriteOffForm(Form):
    status = forms.ChoiceField(
        label=_("类别"),
        choices=[
            (FilmCopy.Status.LOST, _("遗失")),
            (FilmCopy.Status.WRITTEN_OFF, _("注销（损坏、过时等）")),
        ],
    )
    reason = forms.CharField(
        label=_("原因"),
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请填写遗失或注销的原因")},
    )


class CopyFilterForm(Form):
    q = SearchField(
        label=_("搜索"),
        required=False,
        widget=forms.TextInput(
            attrs={
                "placeholder": _("库存编号或片名"),
                "type": "search",
                "autocomplete": "off",
            }
        ),
    )
    status = forms.ChoiceField(
        label=_("现在何处"),
        required=False,
        choices=[
            ("", _("全部在册")),
            *FilmCopy.Status.choices,
            ("overdue", _("逾期未还")),
        ],
    )
    village = forms.ModelChoiceField(
        label=_("借片村"), queryset=Village.objects.none(), required=False, empty_label=_("全部")
    )
    medium = forms.ChoiceField(
        label=_("介质"), required=False, choices=[("", _("全部")), *FilmCopy.Medium.choices]
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = Village.objects.visible_to(user)

    def filter(self, queryset, *, user):
        if not self.is_valid():
            return queryset.exclude(status__in=FilmCopy.RETIRED)
        d = self.cleaned_data
        if d["q"]:
            queryset = queryset.filter(
                Q(inventory_no__icontains=d["q"]) | Q(film__title__contains=d["q"])
            )
        if d["status"] == "overdue":
            queryset = queryset.filter(
                pk__in=Loan.objects.visible_to(user).overdue().values("copy")
            )
        elif d["status"]:
            queryset = queryset.filter(status=d["status"])
        else:
            queryset = queryset.exclude(status__in=FilmCopy.RETIRED)
        if d["village"]:
            queryset = queryset.filter(
                pk__in=Loan.objects.visible_to(user)
                .open()
                .filter(village=d["village"])
                .values("copy")
            )
        if d["medium"]:
            queryset = queryset.filter(medium=d["medium"])
        return queryset


class AnnouncementForm(Form):
    title = forms.CharField(
        label=_("标题"), max_length=120, help_text=_("如“2026年第三季度供片信息”")
    )
    period_start = forms.DateField(label=_("供片开始日期"), widget=_DATE)
    period_end = forms.DateField(label=_("供片结束日期"), widget=_DATE)
    films = forms.ModelMultipleChoiceField(
        label=_("供应片目"),
        queryset=Film.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请至少选择一部电教片")},
    )
    note = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["films"].queryset = Film.objects.visible_to(user).active()

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("结束日期不能早于开始日期"))
        return data


class RequestForm(Form):
    village = forms.ModelChoiceField(
        label=_("申请村"), queryset=Village.objects.none(), empty_label=None
    )
    note = forms.CharField(
        label=_("说明"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("如放映地点、组织收看的对象"),
    )
    source = forms.CharField(required=False, widget=forms.HiddenInput, max_length=200)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = Village.objects.writable_by(user)


class RequestLineForm(Form):
    film = forms.ModelChoiceField(
        label=_("电教片"), queryset=Film.objects.none(), required=False, empty_label=_("（不选）")
    )
    wanted_on = forms.DateField(label=_("计划放映日期"), required=False, widget=_DATE)

    def __init__(self, *args, films=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["film"].queryset = films if films is not None else Film.objects.none()

    def clean(self):
        data = super().clean()
        film, wanted_on = data.get("film"), data.get("wanted_on")
        if film and not wanted_on and "wanted_on" not in self.errors:
            self.add_error("wanted_on", _("请填写计划放映日期"))
        if wanted_on and wanted_on < today():
            self.add_error("wanted_on", _("计划放映日期不能早于今天"))
        if wanted_on and not film:
            self.add_error("film", _("请选择电教片"))
        return data


class BaseLineFormSet(FormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        films = [f.cleaned_data.get("film") for f in self.forms if f.cleaned_data.get("film")]
        if not films:
            raise ValidationError(_("请至少选择一部电教片"))
        if len({f.pk for f in films}) != len(films):
            raise ValidationError(_("同一部电教片选了两次，每部片子申请一次即可"))

    def lines(self) -> list[tuple[Film, dt.date]]:
        return [
            (f.cleaned_data["film"], f.cleaned_data["wanted_on"])
            for f in self.forms
            if f.cleaned_data.get("film")
        ]


RequestLineFormSet = formset_factory(
    RequestLineForm, formset=BaseLineFormSet, extra=0, min_num=4, max_num=20
)


class RejectForm(Form):
    reason = forms.CharField(
        label=_("驳回理由"),
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("驳回申请时请写明理由，村里才知道怎么改")},
    )


class DispatchForm(Form):
    line = forms.ModelChoiceField(
        label=_("申请片目"),
        queryset=FilmRequestLine.objects.none(),
        required=False,
        empty_label=_("（不按申请，直接借出）"),
    )
    copy = forms.ModelChoiceField(
        label=_("拷贝"),
        queryset=FilmCopy.objects.none(),
        error_messages={
            "required": _("请选择要发放的拷贝"),
            "invalid_choice": _("该拷贝已被借出或已不在站，请选择其他在站的拷贝"),
        },
    )
    village = forms.ModelChoiceField(
        label=_("借片村"),
        queryset=Village.objects.none(),
        required=False,
        help_text=_("按申请发放时自动为申请村"),
    )
    due_on = forms.DateField(label=_("应还日期"), widget=_DATE)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["line"].queryset = (
            FilmRequestLine.objects.visible_to(user)
            .filter(request__status=FilmRequest.Status.APPROVED, loan__isnull=True)
            .select_related("film", "request__village")
        )
        self.fields["line"].label_from_instance = lambda line: (
            f"{line.request.village.name} · {line.film} · {line.wanted_on:%Y-%m-%d}"
        )
        self.fields["copy"].queryset = (
            FilmCopy.objects.visible_to(user)
            .filter(status=FilmCopy.Status.SHELF)
            .exclude(medium=FilmCopy.Medium.FILE)
            .select_related("film")
        )
        self.fields["village"].queryset = Village.objects.visible_to(user)
        self.fields["due_on"].initial = today() + dt.timedelta(days=DEFAULT_LOAN_DAYS)

    def clean(self):
        data = super().clean()
        if not data.get("line") and not data.get("village") and "village" not in self.errors:
            self.add_error("village", _("请选择借片的村"))
        return data


class ReturnForm(Form):
    condition = forms.ChoiceField(
        label=_("归还时状况"),
        required=False,
        choices=[("", _("与借出时相同")), *FilmCopy.Condition.choices],
    )
    note = forms.CharField(label=_("备注"), max_length=200, required=False)


class LoanFilterForm(Form):
    STATES = [
        ("open", _("在借")),
        ("overdue", _("逾期未还")),
        ("unreceived", _("待签收")),
        ("returned", _("已归还")),
        ("all", _("全部")),
    ]
    q = SearchField(
        label=_("搜索"),
        required=False,
        widget=forms.TextInput(
            attrs={
                "placeholder": _("库存编号或片名"),
                "type": "search",
                "autocomplete": "off",
            }
        ),
    )
    state = forms.ChoiceField(label=_("状态"), required=False, choices=STATES)
    village = forms.ModelChoiceField(
        label=_("借片村"), queryset=Village.objects.none(), required=False, empty_label=_("全部")
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = Village.objects.visible_to(user)

    def filter(self, queryset):
        if not self.is_valid():
            return queryset.open()
        d = self.cleaned_data
        state = d["state"] or "open"
        if state == "open":
            queryset = queryset.open()
        elif state == "overdue":
            queryset = queryset.overdue()
        elif state == "unreceived":
            queryset = queryset.open().filter(received_at__isnull=True)
        elif state == "returned":
            queryset = queryset.filter(returned_at__isnull=False)
        if d["village"]:
            queryset = queryset.filter(village=d["village"])
        if d["q"]:
            queryset = queryset.filter(
                Q(copy__inventory_no__icontains=d["q"]) | Q(copy__film__title__contains=d["q"])
            )
        return queryset
