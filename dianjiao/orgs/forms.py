from django import forms
from django.utils.translation import gettext as _

from .models import Equipment, ViewingPoint, Village


class PointForm(forms.ModelForm):
    class Meta:
        model = ViewingPoint
        fields = ["village", "name", "kind", "address", "seasonal_place", "operator_name", "active"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Only villages the user may write to: an operator cannot place a point elsewhere.
        self.fields["village"].queryset = Village.objects.writable_by(user)

    def clean(self):
        data = super().clean()
        if data.get("kind") == ViewingPoint.Kind.PASTORAL and not data.get("seasonal_place"):
            self.add_error("seasonal_place", _("牧业播放点须填写季节性驻地（如乌伦古河夏牧场）"))
        return data


class EquipmentForm(forms.ModelForm):
    class Meta:
        model = Equipment
        fields = [
            "kind",
            "model_name",
            "serial",
            "condition",
            "acquired_on",
            "last_checked_on",
            "repair_notes",
        ]
        widgets = {
            "acquired_on": forms.DateInput(attrs={"type": "date"}),
            "last_checked_on": forms.DateInput(attrs={"type": "date"}),
        }

    def clean(self):
        data = super().clean()
        if data.get("condition") in Equipment.OUT_OF_ORDER and not data.get("repair_notes"):
            self.add_error("repair_notes", _("设备故障或维修中时，请写明故障情况或维修记录"))
        return data
