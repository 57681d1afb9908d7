from django import forms
from django.utils.translation import gettext_lazy as _

from dianjiao.lib.forms import Form, ModelForm, SearchField
from dianjiao.orgs.fields import NameChoiceField
from dianjiao.orgs.models import ViewingPoint, Village

from .models import Member

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MemberForm(ModelForm):
    class Meta:
        model = Member
        fields = [
            "name",
            "gender",
            "ethnicity",
            "birth_date",
            "id_number",
            "phone",
            "village",
            "category",
            "joined_on",
            "mobility",
            "point",
            "on_roster_since",
        ]
        widgets = {"birth_date": _DATE, "joined_on": _DATE, "on_roster_since": _DATE}
        error_messages = {"id_number": {"unique": _("该身份证号已登记在花名册中，不能重复登记")}}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = Village.objects.writable_by(user)
        self.fields["point"].queryset = (
            ViewingPoint.objects.writable_by(user).filter(active=True).select_related("village")
        )
        # Blank: today for a new member, unchanged for one on the roster (services.member_*).
        self.fields["on_roster_since"].required = False


class LeaveForm(Form):
    """A member who leaves the roster stays on record, marked with date and reason
    (`services.member_leave` does it)."""

    left_on = forms.DateField(label=Member._meta.get_field("left_on").verbose_name, widget=_DATE)
    left_reason = forms.CharField(
        label=Member._meta.get_field("left_reason").verbose_name,
        max_length=Member._meta.get_field("left_reason").max_length,
    )


class MemberFilterForm(Form):
    q = SearchField(
        label=_("搜索"),
        required=False,
        widget=forms.TextInput(
            attrs={
                "placeholder": _("姓名、拼音或首字母（如 zs）、身份证号"),
                "type": "search",
                "autocomplete": "off",
            }
        ),
    )
    village = NameChoiceField(
        label=_("党支部"), queryset=Village.objects.none(), required=False, empty_label=_("全部")
    )
    mobility = forms.ChoiceField(
        label=_("流动情况"), choices=[("", _("全部")), *Member.Mobility.choices], required=False
    )
    status = forms.ChoiceField(
        label=_("状态"),
        required=False,
        choices=[("active", _("在册")), ("left", _("已离册")), ("all", _("全部"))],
    )
    unassigned = forms.BooleanField(label=_("仅看未落实播放点"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = Village.objects.visible_to(user)

    def filter(self, queryset):
        if not self.is_valid():
            return queryset.filter(active=True)
        d = self.cleaned_data
        queryset = queryset.search(d["q"])
        if d["village"]:
            queryset = queryset.filter(village=d["village"])
        if d["mobility"]:
            queryset = queryset.filter(mobility=d["mobility"])
        status = d["status"] or "active"
        if status != "all":
            queryset = queryset.filter(active=(status == "active"))
        if d["unassigned"]:
            queryset = queryset.filter(point__isnull=True)
        return queryset


class RosterUploadForm(Form):
    file = forms.FileField(
        label=_("党员花名册文件（.xlsx）"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            }
        ),
        error_messages={"required": _("请选择要上传的花名册文件"), "empty": _("上传的文件是空的")},
    )
