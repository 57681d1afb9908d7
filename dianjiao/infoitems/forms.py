"""Forms of the information-item pages; the services keep the rules."""

import datetime as dt

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dianjiao.lib.forms import Form, SearchField
from dianjiao.orgs.fields import NameChoiceField
from dianjiao.orgs.models import Village

from . import images
from .models import InfoItem


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    widget = MultipleFileInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)
        self.widget.attrs.update({"accept": "image/jpeg,image/png", "multiple": True})

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        files = [super(PhotosField, self).clean(f, initial) for f in files]
        try:
            images.check_photos(files)
        except forms.ValidationError as exc:
            raise forms.ValidationError(exc.message_dict["photos"]) from None
        return files

    def validate(self, value):
        pass


class SendForm(Form):
    village = NameChoiceField(label=_("报送村"), queryset=Village.objects.none())
    title = forms.CharField(label=_("标题"), max_length=200)
    category = forms.ChoiceField(label=_("类别"), choices=InfoItem.Category.choices)
    text = forms.CharField(label=_("正文"), widget=forms.Textarea(attrs={"rows": 10}))
    photos = PhotosField(label=_("照片"), help_text=_("最多 6 张，每张不超过 5 MB（JPG、PNG）"))

    def __init__(self, *args, user, item=None, **kwargs):
        super().__init__(*args, **kwargs)
        if item is not None or user.village_id:
            del self.fields["village"]
        else:
            self.fields["village"].queryset = Village.objects.writable_by(user)


class ReturnForm(Form):
    reason = forms.CharField(label=_("退回理由"), widget=forms.Textarea(attrs={"rows": 4}))


class FilterForm(Form):
    q = SearchField(
        label=_("搜索"),
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("标题或正文")}),
    )
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部")), *InfoItem.Status.choices]
    )
    village = NameChoiceField(
        label=_("村"), queryset=Village.objects.none(), required=False, empty_label=_("全部")
    )
    month = forms.CharField(
        label=_("月份"), required=False, widget=forms.DateInput(attrs={"type": "month"})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = Village.objects.visible_to(user)

    def clean_month(self):
        value = self.cleaned_data["month"]
        if not value:
            return None
        try:
            return dt.datetime.strptime(value, "%Y-%m").date()
        except ValueError:
            raise forms.ValidationError(_("月份格式应为 2026-03")) from None

    def filter(self, qs):
        if not self.is_valid():
            return qs
        d = self.cleaned_data
        if d["q"]:
            qs = qs.filter(
                Q(title__icontains=d["q"]) | Q(versions__text__icontains=d["q"])
            ).distinct()
        if d["status"]:
            qs = qs.filter(status=d["status"])
        if d["village"]:
            qs = qs.filter(village=d["village"])
        if d["month"]:
            qs = qs.filter(sent_at__year=d["month"].year, sent_at__month=d["month"].month)
        return qs
