"""Forms of the point and equipment pages. They check the input; the services
(`dianjiao.orgs.services`) save it, and their refusals come back next to the field."""

from django import forms

from dianjiao.lib.forms import ModelForm

from .models import Equipment, ViewingPoint, Village


class PointForm(ModelForm):
    class Meta:
        model = ViewingPoint
        fields = [
            "village",
            "name",
            "kind",
            "address",
            "seasonal_place",
            "operator_name",
            "active",
            "is_default",
        ]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Only villages the user may write to: an operator cannot place a point elsewhere.
        self.fields["village"].queryset = Village.objects.writable_by(user)
        if self.instance.pk:
            # A point stays in its village (see services.point_save): shown, not editable.
            self.fields["village"].disabled = True


class EquipmentForm(ModelForm):
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
