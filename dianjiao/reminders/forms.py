from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from dianjiao.lib.forms import Form, SearchField

from .models import Channel, Digest
from .validators import validate_phone, validate_webhook


class ProfileForm(Form):
    phone = forms.CharField(label=_("手机号"), max_length=20, required=False)
    email = forms.EmailField(
        label=_("邮箱"),
        required=False,
        error_messages={"invalid": _("邮箱格式不正确，例如 name@example.com")},
    )
    by_sms = forms.BooleanField(label=_("短信提醒"), required=False)
    by_email = forms.BooleanField(label=_("电子邮件提醒"), required=False)
    by_wecom = forms.BooleanField(label=_("企业微信群提醒"), required=False)
    wecom_webhook = forms.CharField(
        label=_("企业微信群机器人地址"),
        max_length=500,
        required=False,
        validators=[validate_webhook],
        help_text=_("本村或本乡工作群的机器人 Webhook 地址；密钥写成 key=${变量名}"),
    )
    language = forms.ChoiceField(label=_("提醒语言"), choices=settings.LANGUAGES)

    def clean_phone(self):
        phone = self.cleaned_data["phone"].replace(" ", "").strip()
        validate_phone(phone)
        return phone


class DigestFilterForm(Form):
    q = SearchField(label=_("搜索"))
    channel = forms.ChoiceField(
        label=_("方式"), required=False, choices=[("", _("全部"))] + list(Channel.choices)
    )
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部"))] + list(Digest.Status.choices)
    )
    day = forms.DateField(
        label=_("日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def values(self) -> dict:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}
