"""Forms of the quarterly-report pages; the services keep the rules."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dianjiao.films.forms import RequestLineForm
from dianjiao.lib.forms import Form, FormSet, formset_factory
from dianjiao.orgs.fields import NameChoiceField
from dianjiao.orgs.models import Village

from .models import QuarterlyReport


def quarter_label(q: int) -> str:
    return gettext("第%(q)s季度") % {"q": q}


QUARTERS = [(q, lazy(quarter_label, str)(q)) for q in (1, 2, 3, 4)]


def _years(today, back: int) -> list[tuple[int, str]]:
    return [(y, gettext("%(y)s年") % {"y": y}) for y in range(today.year, today.year - back, -1)]


class ReportForm(Form):
    """A new report (village, year, quarter and the texts) or, with `report`, the texts of one."""

    village = NameChoiceField(label=_("村"), queryset=Village.objects.none())
    year = forms.TypedChoiceField(label=_("年度"), coerce=int)
    quarter = forms.TypedChoiceField(
        label=_("季度"), coerce=int, choices=[("", _("请选择")), *QUARTERS]
    )
    other_quarter = forms.BooleanField(
        label=_("为应报季度以外的季度填写"),
        required=False,
        help_text=_("只有补报或提前准备其他季度的报告时才勾选"),
    )
    narrative = forms.CharField(
        label=_("本季度工作情况"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("播放收看、四环教学、存在问题等，上方统计数据由系统按记录自动生成"),
    )
    plan = forms.CharField(
        label=_("下季度播放计划"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, user, today, report=None, refresh_url=None, due_for=None, **kwargs):
        super().__init__(*args, **kwargs)
        # due_for(village) -> the quarter due for that village (or None): another quarter is
        # only taken when the user ticks other_quarter, so a default can never file the wrong one.
        self.due_for = due_for
        if report is not None:
            for name in ("village", "year", "quarter", "other_quarter"):
                del self.fields[name]
            return
        self.user_village = (
            Village.objects.filter(pk=user.village_id).first() if user.village_id else None
        )
        self.fields["year"].choices = _years(today, 3)
        if user.village_id:
            del self.fields["village"]
        else:
            self.fields["village"].queryset = Village.objects.writable_by(user).order_by(
                "township_id", "sort_order", "name"
            )
        if refresh_url:
            # Choosing another quarter (or village) reloads the figures shown above the texts.
            for name in ("village", "year", "quarter"):
                if name in self.fields:
                    self.fields[name].widget.attrs.update(
                        {
                            "hx-get": refresh_url,
                            "hx-target": "#figures",
                            "hx-select": "#figures",
                            "hx-swap": "outerHTML",
                            "hx-include": "[name=village],[name=year],[name=quarter]",
                        }
                    )

    def clean(self):
        data = super().clean()
        if self.due_for is None or "quarter" not in data or "year" not in data:
            return data
        village = data.get("village") or self.user_village
        if village is None:
            return data
        due = self.due_for(village)
        if (data["year"], data["quarter"]) != due and not data.get("other_quarter"):
            if due is None:
                message = gettext(
                    "近一年已结束的季度都已填写报告；要为其他季度填写，请勾选下面的确认"
                )
            else:
                message = gettext(
                    "应报的是%(year)s年第%(quarter)s季度；要为其他季度填写，请勾选下面的确认"
                ) % {"year": due[0], "quarter": due[1]}
            self.add_error("quarter", message)
        return data


class BaseReportLineFormSet(FormSet):
    """Film needs for next quarter: blank rows are ignored, each film once."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        films = [f.cleaned_data["film"] for f in self.forms if f.cleaned_data.get("film")]
        if len({f.pk for f in films}) != len(films):
            raise ValidationError(_("同一部电教片选了两次，每部片子写一次即可"))

    def lines(self) -> list[tuple[int, object]]:
        return [
            (f.cleaned_data["film"].pk, f.cleaned_data["wanted_on"])
            for f in self.forms
            if f.cleaned_data.get("film")
        ]


ReportLineFormSet = formset_factory(
    RequestLineForm, formset=BaseReportLineFormSet, extra=3, max_num=20
)


class ReturnForm(Form):
    reason = forms.CharField(
        label=_("退回理由"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("写明需要补充或修改的内容，村里才知道怎么改"),
        error_messages={"required": _("退回时必须填写理由")},
    )


class FilterForm(Form):
    year = forms.TypedChoiceField(label=_("年度"), required=False, coerce=int, empty_value=None)
    quarter = forms.TypedChoiceField(
        label=_("季度"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("全部")), *QUARTERS],
    )
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部")), *QuarterlyReport.Status.choices]
    )
    village = NameChoiceField(
        label=_("村"), queryset=Village.objects.none(), required=False, empty_label=_("全部")
    )

    def __init__(self, *args, user, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("全部")), *_years(today, 6)]
        self.fields["village"].queryset = Village.objects.visible_to(user).order_by(
            "township_id", "sort_order", "name"
        )

    def filter(self, qs):
        if not self.is_valid():
            return qs
        d = self.cleaned_data
        if d["year"]:
            qs = qs.filter(year=d["year"])
        if d["quarter"]:
            qs = qs.filter(quarter=d["quarter"])
        if d["status"]:
            qs = qs.filter(status=d["status"])
        if d["village"]:
            qs = qs.filter(village=d["village"])
        return qs

    def chosen_quarter(self) -> tuple[int, int] | None:
        """(year, quarter) when both are chosen."""
        if self.is_valid() and self.cleaned_data["year"] and self.cleaned_data["quarter"]:
            return self.cleaned_data["year"], self.cleaned_data["quarter"]
        return None
