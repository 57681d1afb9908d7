from django import forms
from django.utils.translation import gettext_lazy as _

from dianjiao.accounts.models import User
from dianjiao.lib.forms import ModelForm
from dianjiao.orgs.models import ViewingPoint, Village

from .models import Campaign, PastoralPoint


class DateInput(forms.DateInput):
    input_type = "date"


class CampaignForm(ModelForm):
    target_hours = forms.IntegerField(
        label=_("目标学时"),
        required=False,
        min_value=1,
        max_value=2000,
        help_text=_("不填则取本年度计划的牧区流动教学学时"),
    )

    class Meta:
        model = Campaign
        fields = ["name", "starts_on", "ends_on", "target_hours", "staff", "notes"]
        widgets = {
            "starts_on": DateInput,
            "ends_on": DateInput,
            "staff": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, township, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = User.objects.filter(
            township=township, is_active=True
        ).order_by("username")


class PointForm(ModelForm):
    class Meta:
        model = PastoralPoint
        fields = ["name", "river_area", "latitude", "longitude", "villages", "viewing_points"]
        widgets = {
            "villages": forms.CheckboxSelectMultiple,
            "viewing_points": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "viewing_points": _("不选则自动取所选各村在用的牧业播放点"),
        }

    def __init__(self, *args, township, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["villages"].queryset = Village.objects.filter(
            township=township, is_pastoral=True
        )
        self.fields["viewing_points"].queryset = ViewingPoint.objects.filter(
            township=township, kind=ViewingPoint.Kind.PASTORAL, active=True
        ).select_related("village")
        self.fields["viewing_points"].required = False
