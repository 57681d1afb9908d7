"""The film library's 摄录的实况: the footage the camps uploaded (tus, views_tus.py), listed by
session, village and date beside the library's films, each playable in the browser through the
range-request player (api:upload_file). Served from here, above teaching, as films:footage: the
library app (films) is below the sessions and their uploads."""

from django import forms
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from dianjiao.lib.forms import Form
from dianjiao.orgs.fields import NameChoiceField
from dianjiao.orgs.models import Village
from dianjiao.teaching.forms import MonthField
from dianjiao.teaching.models import ViewingSession

from . import uploads

PAGE_SIZE = 50


class FootageFilterForm(Form):
    village = NameChoiceField(
        label=_("党支部"), queryset=Village.objects.none(), required=False, empty_label=_("全部")
    )
    month = MonthField(label=_("月份"), required=False)
    kind = forms.ChoiceField(
        label=_("类别"), required=False, choices=[("", _("全部")), *ViewingSession.Kind.choices]
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = Village.objects.visible_to(user).order_by(
            "township_id", "sort_order", "name"
        )

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}


@require_safe
def footage_page(request):
    form = FootageFilterForm(request.GET or None, user=request.user)
    page = Paginator(uploads.footage_list(request.user, **form.filters()), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "api/footage_list.html",
        {
            "form": form,
            "page_obj": page,
            "many_villages": form.fields["village"].queryset.count() > 1,
        },
    )
