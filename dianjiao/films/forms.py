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
from dianjiao.orgs.fields import NameChoiceField
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
    village = NameChoiceField(
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
    village = NameChoiceField(label=_("申请村"), queryset=Village.objects.none(), empty_label=None)
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
    """One film of a request.

    On a pick list (the films of an announcement, or the one film a page asked for) the page
    fixes the film and the row counts only when the operator ticks it: nothing is ticked for
    them. On a blank row the film is chosen from the catalogue and the row counts once one is.
    Where the station holds copies of the film in more than one language, the row asks which."""

    pick = forms.BooleanField(label=_("申请这部片子"), required=False)
    film = forms.ModelChoiceField(
        label=_("电教片"), queryset=Film.objects.none(), required=False, empty_label=_("（不选）")
    )
    wanted_on = forms.DateField(label=_("计划放映日期"), required=False, widget=_DATE)
    language = forms.ModelChoiceField(
        label=_("所需语种"),
        queryset=Language.objects.none(),
        required=False,
        empty_label=_("（只有一种语种时不用选）"),
        help_text=_("片子有多种语种的拷贝时，请选择要哪一种"),
    )

    def __init__(self, *args, films=None, fixed=None, options=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fixed = fixed
        self.options = options or {}
        if fixed is None:
            del self.fields["pick"]
            self.fields["film"].queryset = films if films is not None else Film.objects.none()
            self.fields["language"].queryset = Language.objects.all()
            return
        del self.fields["film"]
        if len(self.offered) > 1:
            self.fields["language"] = forms.ModelChoiceField(
                label=_("所需语种"),
                queryset=Language.objects.filter(pk__in=[lang.pk for lang in self.offered]),
                required=False,
                empty_label=None,
                widget=forms.RadioSelect,
            )
        else:
            del self.fields["language"]

    @property
    def offered(self) -> list[Language]:
        """The languages the film of a pick-list row may be asked for in."""
        return self.options.get(self.fixed.pk, []) if self.fixed is not None else []

    @property
    def chosen_film(self) -> Film | None:
        data = getattr(self, "cleaned_data", {})
        if self.fixed is not None:
            return self.fixed if data.get("pick") else None
        return data.get("film")

    def clean(self):
        data = super().clean()
        if self.fixed is not None and not data.get("pick"):
            for name in ("wanted_on", "language"):  # a film not ticked is not sent: nothing
                self._errors.pop(name, None)  # of its row can be wrong
            return data
        film, wanted_on = self.chosen_film, data.get("wanted_on")
        if film and not wanted_on and "wanted_on" not in self.errors:
            self.add_error("wanted_on", _("请填写计划放映日期"))
        if wanted_on and wanted_on < today():
            self.add_error("wanted_on", _("计划放映日期不能早于今天"))
        if wanted_on and not film:
            self.add_error("film", _("请选择电教片"))
        offered = self.options.get(film.pk, []) if film else []
        if len(offered) > 1 and not data.get("language") and "language" not in self.errors:
            self.add_error(
                "language",
                _("请选择要哪种语种的拷贝：%(languages)s")
                % {"languages": "、".join(str(lang) for lang in offered)},
            )
        return data


class BaseLineFormSet(FormSet):
    """The lines of a request: a pick list of `picks` (one row per film, none ticked unless the
    page says so), or, without picks, blank rows to choose films from `catalogue`. `options`
    are the language versions per film (selectors.language_options)."""

    def __init__(self, *args, catalogue, picks=(), options=None, **kwargs):
        self.catalogue, self.picks = catalogue, list(picks)
        self.options = options if options is not None else {}
        super().__init__(*args, **kwargs)

    def total_form_count(self):
        # A pick list has one row per film offered, whatever number the browser sends.
        return len(self.picks) if self.picks else super().total_form_count()

    def get_form_kwargs(self, index):
        fixed = self.picks[index] if index is not None and index < len(self.picks) else None
        return {
            **super().get_form_kwargs(index),
            "films": self.catalogue,
            "fixed": fixed,
            "options": self.options,
        }

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        films = [f.chosen_film for f in self.forms if f.chosen_film]
        if not films:
            raise ValidationError(
                _("请勾选要申请的电教片，至少一部") if self.picks else _("请至少选择一部电教片")
            )
        if len({f.pk for f in films}) != len(films):
            raise ValidationError(_("同一部电教片选了两次，每部片子申请一次即可"))

    def lines(self) -> list[tuple[Film, dt.date, Language | None]]:
        """(film, wanted_on, language) of every line chosen, for services.request_create."""
        return [
            (f.chosen_film, f.cleaned_data["wanted_on"], f.cleaned_data.get("language"))
            for f in self.forms
            if f.chosen_film
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


class _CopyChoices(forms.models.ModelChoiceIterator):
    """The copies on offer; for a request line that names a language, that film's copies in
    that language first, as their own group and marked, then the rest."""

    def __iter__(self):
        wanted = self.field.wanted_line
        if wanted is None or wanted.language_id is None:
            yield from super().__iter__()
            return
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        matching, others = [], []
        for copy in self.queryset:
            fits = copy.film_id == wanted.film_id and copy.language_id == wanted.language_id
            (matching if fits else others).append(self.choice(copy))
        language = {"language": wanted.language}
        if matching:
            yield (_("申请的语种：%(language)s") % language, matching)
        if others:
            yield (
                _("其他语种") if matching else _("没有%(language)s的在站拷贝，其他语种") % language,
                others,
            )


class CopyChoiceField(forms.ModelChoiceField):
    """A copy to send, labelled with its language; see _CopyChoices for the order."""

    iterator = _CopyChoices
    wanted_line: FilmRequestLine | None = None

    def label_from_instance(self, obj):
        label = f"{obj.inventory_no} {obj.film}"
        if obj.language_id:
            label += f" · {obj.language}"
        wanted = self.wanted_line
        if (
            wanted
            and wanted.language_id
            and (obj.film_id, obj.language_id)
            == (
                wanted.film_id,
                wanted.language_id,
            )
        ):
            label += " · " + str(_("符合申请"))
        return label


class DispatchForm(Form):
    line = forms.ModelChoiceField(
        label=_("申请片目"),
        queryset=FilmRequestLine.objects.none(),
        required=False,
        empty_label=_("（不按申请，直接借出）"),
    )
    copy = CopyChoiceField(
        label=_("拷贝"),
        queryset=FilmCopy.objects.none(),
        error_messages={
            "required": _("请选择要发放的拷贝"),
            "invalid_choice": _("该拷贝已被借出或已不在站，请选择其他在站的拷贝"),
        },
    )
    village = NameChoiceField(
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
            .select_related("film", "request__village", "language")
        )
        self.fields["line"].label_from_instance = lambda line: " · ".join(
            [line.request.village.name, str(line.film)]
            + ([str(line.language)] if line.language_id else [])
            + [f"{line.wanted_on:%Y-%m-%d}"]
        )
        self.fields["copy"].queryset = (
            FilmCopy.objects.visible_to(user)
            .filter(status=FilmCopy.Status.SHELF)
            .exclude(medium=FilmCopy.Medium.FILE)
            .select_related("film", "language")
        )
        self.fields["copy"].wanted_line = self._wanted_line()
        self.fields["village"].queryset = Village.objects.visible_to(user)
        self.fields["due_on"].initial = today() + dt.timedelta(days=DEFAULT_LOAN_DAYS)

    def _wanted_line(self) -> FilmRequestLine | None:
        """The request line the form is for (posted, or given in the address), so that the
        copies of the language it asks for can be offered first."""
        pk = self.data.get(self.add_prefix("line")) if self.is_bound else self.initial.get("line")
        if not str(pk or "").isdigit():
            return None
        return self.fields["line"].queryset.filter(pk=pk).first()

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
    village = NameChoiceField(
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
