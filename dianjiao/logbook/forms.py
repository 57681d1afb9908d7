import re
import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from dianjiao.lib.forms import Form, SearchField
from dianjiao.orgs.fields import NameChoiceField
from dianjiao.orgs.models import Village

from .models import LogbookEntry

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
# What an operator records by hand; viewings and make-ups come from the teaching records.
HAND_KINDS = [
    (k.value, k.label)
    for k in (
        LogbookEntry.Kind.EQUIPMENT,
        LogbookEntry.Kind.MEETING,
        LogbookEntry.Kind.TRAINING,
        LogbookEntry.Kind.OTHER,
    )
]


class BookFilterForm(Form):
    village = NameChoiceField(
        label=_("党支部"), queryset=Village.objects.none(), required=False, empty_label=None
    )
    month = forms.CharField(
        label=_("月份"),
        required=False,
        help_text=_("留空则显示全部"),
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "2026-11"}),
    )
    q = SearchField(
        label=_("搜索"),
        required=False,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": _("事项、内容或填写人"),
                "autocomplete": "off",
            }
        ),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = Village.objects.visible_to(user).select_related(
            "township"
        )

    def clean_month(self):
        value = self.cleaned_data["month"].strip()
        if not value:
            return None
        m = _MONTH.match(value)
        if not m or not 1 <= int(m[2]) <= 12:
            raise forms.ValidationError(_("月份格式应为 2026-11"))
        return int(m[1]), int(m[2])


class _EntryFields(Form):
    client_id = forms.UUIDField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=_("类别"), choices=HAND_KINDS)
    title = forms.CharField(label=_("事项"), max_length=200)
    text = forms.CharField(
        label=_("内容"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("client_id", uuid.uuid4())
        super().__init__(*args, **kwargs)


class EntryForm(_EntryFields):
    village = NameChoiceField(label=_("党支部"), queryset=Village.objects.none(), empty_label=None)
    occurred_at = forms.DateTimeField(
        label=_("发生时间"),
        help_text=_("《电教手册》须当天填写；往日的记录需电教站先批准补录"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    field_order = ["village", "kind", "title", "text", "occurred_at"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = Village.objects.writable_by(user)


class CorrectionForm(_EntryFields):
    reason = forms.CharField(label=_("更正原因"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, entry, **kwargs):
        kwargs.setdefault("initial", {}).update({"title": entry.title, "text": entry.text})
        super().__init__(*args, **kwargs)
        kinds = dict(HAND_KINDS) | {entry.kind: entry.get_kind_display()}
        self.fields["kind"].choices = list(kinds.items())
        self.fields["kind"].initial = entry.kind


class GrantForm(Form):
    village = NameChoiceField(label=_("党支部"), queryset=Village.objects.none())
    day = forms.DateField(
        label=_("补录日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    reason = forms.CharField(label=_("补录原因"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = Village.objects.writable_by(user)
