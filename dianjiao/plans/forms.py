from django import forms
from django.utils.translation import gettext_lazy as _

from dianjiao.films.models import Film
from dianjiao.lib.forms import Form, ModelForm

from .models import AnnualPlan


class AnnualPlanForm(ModelForm):
    class Meta:
        model = AnnualPlan
        fields = [
            "viewings_per_member",
            "key_films",
            "info_items_per_village_month",
            "quarterly_report_due_days",
            "joint_meetings",
            "summary_meetings",
            "trainings",
            "pastoral_hours",
            "monthly_inspection",
        ]
        widgets = {"key_films": forms.CheckboxSelectMultiple}

    def __init__(self, *args, township, year, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.township = township
        self.instance.year = year
        # Only the township's own films are offered; anything else is refused below.
        self.fields["key_films"].queryset = Film.objects.filter(township=township)
        self.fields["key_films"].help_text = _(
            "本年度计划保存后，片库中的重点片标记随之更新；重点片须按四环教学法组织收看。"
        )
        if self.instance.pk is None:  # a new plan starts from the films the library marks as key
            self.initial.setdefault(
                "key_films", [f.pk for f in self.fields["key_films"].queryset if f.is_key_film]
            )
        self.township = township

    def clean_key_films(self):
        films = self.cleaned_data["key_films"]
        if any(f.township_id != self.township.pk for f in films):
            raise forms.ValidationError(_("年度重点片必须是本乡镇片库中的影片"))
        return films


class WorkPlanForm(Form):
    text = forms.CharField(
        label=_("工作计划"), widget=forms.Textarea(attrs={"rows": 12}), max_length=20000
    )

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if len(text) < 10:
            raise forms.ValidationError(_("工作计划内容过短，请写明全年的收看安排、重点片和措施"))
        return text
