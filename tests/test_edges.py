"""Hostile input stops at the edge (issue 11, part 3): ids and numbers the database cannot hold
are a message next to the field, search terms are cut before they reach the database, and a
formset claiming a thousand forms is refused without building them.

Each table row of the issue has its reproduction here; test_every_form_uses_the_guard makes a
new form that forgets the base classes fail."""

import importlib
import inspect
import pkgutil
import time

import pytest
from django import forms as django_forms
from django.urls import reverse
from django.utils import timezone

import dianjiao
from dianjiao.lib import forms as lib_forms
from tests.test_access_matrix import _session, _tables

HUGE = "9223372036854775808"  # INT64_MAX + 1
HUGER = "99999999999999999999999999"


# ---------------------------------------------------------------------------------------------
# Every form of the project derives from the guarded base classes
# ---------------------------------------------------------------------------------------------


def _project_modules():
    for info in pkgutil.walk_packages(dianjiao.__path__, "dianjiao."):
        if ".migrations" in info.name or ".management" in info.name:
            continue
        yield importlib.import_module(info.name)


def _project_classes(base):
    for module in _project_modules():
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == module.__name__ and issubclass(cls, base):
                yield cls


def test_every_form_uses_the_guard():
    classes = list(_project_classes(django_forms.BaseForm))
    assert len(classes) > 40  # the walk does find the project's forms
    unguarded = [
        f"{c.__module__}.{c.__qualname__}"
        for c in classes
        if not issubclass(c, lib_forms.BoundedFields)
    ]
    assert not unguarded, f"derive these from dianjiao.lib.forms.Form/ModelForm: {unguarded}"


def test_every_formset_is_bounded_and_refuses_more():
    formsets = [
        obj
        for module in _project_modules()
        for obj in vars(module).values()
        if isinstance(obj, type)
        and issubclass(obj, django_forms.BaseFormSet)
        and hasattr(obj, "form")  # made by formset_factory
    ]
    assert len(formsets) >= 2
    for fs in formsets:
        assert issubclass(fs, lib_forms.FormSet), fs
        assert fs.validate_max and fs.absolute_max == fs.max_num <= 50, fs


def test_every_search_box_is_a_search_field():
    for cls in _project_classes(django_forms.BaseForm):
        field = cls.base_fields.get("q")
        if field is not None:
            assert isinstance(field, lib_forms.SearchField), cls


# ---------------------------------------------------------------------------------------------
# 500: integer out of range
# ---------------------------------------------------------------------------------------------


def test_a_film_id_beyond_64_bits_is_a_field_error_on_a_new_session(world, login):
    client = login(world.operator)
    before = _tables()
    response = client.post(
        reverse("teaching:create") + f"?point={world.point.pk}",
        {
            "held_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "kind": "ordinary",
            "films": HUGE,
            "duration_minutes": "60",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors.get("films")
    assert _tables() == before


def test_a_speaker_id_beyond_64_bits_is_a_field_error_on_a_correction(world, login):
    pk = _session(world)["pk"]
    client = login(world.operator)
    before = _tables()
    response = client.post(
        reverse("teaching:correct", kwargs={"pk": pk}),
        {"speakers": HUGER, "reason": "写错了"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors.get("speakers")
    assert _tables() == before


@pytest.mark.parametrize("value", [HUGE, HUGER, "-" + HUGE, "1" * 5000])
def test_any_id_field_refuses_a_number_the_database_cannot_hold(world, value):
    from dianjiao.members.forms import MemberFilterForm

    form = MemberFilterForm({"village": value}, user=world.station)
    assert not form.is_valid()
    assert form.errors["village"]


def test_an_integer_field_is_bounded_by_its_column(world):
    from dianjiao.orgs.forms import EquipmentForm
    from dianjiao.orgs.models import Equipment

    numbers = [
        f.name
        for f in Equipment._meta.fields
        if f.get_internal_type().endswith("IntegerField") and f.name in EquipmentForm.base_fields
    ]
    form = lib_forms.Form()
    form.fields["n"] = django_forms.IntegerField()
    form.data, form.is_bound = {"n": HUGER}, True
    assert not form.is_valid() and form.errors["n"] == [str(lib_forms._OUT_OF_RANGE)]
    for name in numbers:  # a column of its own range: one past it is refused
        low, high = lib_forms._int_range(Equipment._meta.get_field(name))
        bound = EquipmentForm(data={name: str(high + 1)})
        assert not bound.is_valid() and bound.errors[name]


@pytest.mark.parametrize(
    "url",
    [
        "/teaching/new/?point=" + HUGER,
        "/teaching/feedback/?village=" + HUGER,
        "/films/requests/new/?film=" + HUGER,
        "/films/requests/new/?announcement=" + HUGER,
        "/films/loans/new/?line=" + HUGER + "&copy=" + HUGE,
        "/logbook/new/?village=" + HUGER,
        "/members/new/?village=" + HUGER,
        "/oversight/?year=" + HUGER,
        "/plan/?year=" + HUGER,
    ],
)
def test_ids_read_by_hand_from_a_query_string_do_not_reach_the_database(world, login, url):
    response = login(world.station).get(url)
    assert response.status_code in (200, 302, 404), url


def test_id_or_none():
    assert lib_forms.id_or_none("42") == 42
    for bad in (HUGE, HUGER, "²", "-1", "0", "1e3", "", None, " ", "٣"):
        assert lib_forms.id_or_none(bad) is None, bad


# ---------------------------------------------------------------------------------------------
# 500: search term too long
# ---------------------------------------------------------------------------------------------

SEARCH_PAGES = [
    "members:list",
    "films:list",
    "films:copy_list",
    "infoitems:list",
    "logbook:book",
    "teaching:list",
    "films:loan_list",
]


@pytest.mark.parametrize("name", SEARCH_PAGES)
def test_a_search_term_of_50001_characters_is_cut_not_a_500(world, login, name):
    response = login(world.station).get(reverse(name), {"q": "A" * 50_001})
    assert response.status_code == 200
    forms = [
        f
        for context in response.context
        for f in context.flatten().values()
        if isinstance(f, django_forms.BaseForm) and "q" in getattr(f, "cleaned_data", {})
    ]
    assert forms, "the page has no search form"
    assert all(len(f.cleaned_data["q"]) == lib_forms.SEARCH_MAX for f in forms)


def test_a_long_search_still_finds_what_its_first_hundred_characters_find(world):
    from dianjiao.members.models import Member

    assert list(Member.objects.search("张三" + " " * 200 + "x")) == [world.member]
    assert lib_forms.trim_search("  " + "张" * 300) == "张" * lib_forms.SEARCH_MAX


# ---------------------------------------------------------------------------------------------
# Amplification
# ---------------------------------------------------------------------------------------------


def _line_post(total: int) -> dict:
    return {
        "lines-TOTAL_FORMS": str(total),
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "1000",
    }


def test_a_request_claiming_1020_lines_is_refused_without_building_them(world, login):
    client = login(world.operator)
    before = _tables()
    started = time.monotonic()
    response = client.post(reverse("films:request_create"), _line_post(1020))
    elapsed = time.monotonic() - started
    assert response.status_code == 400
    assert len(response.content) < 20_000
    assert elapsed < 2
    assert _tables() == before


def test_a_report_claiming_too_many_lines_is_refused(world, login):
    from dianjiao.reports.forms import ReportLineFormSet

    formset = ReportLineFormSet(_line_post(ReportLineFormSet.absolute_max + 1), prefix="lines")
    with pytest.raises(lib_forms.TooManyForms):
        formset.is_valid()
    # at the maximum it is an ordinary formset
    formset = ReportLineFormSet(_line_post(ReportLineFormSet.max_num), prefix="lines")
    formset.is_valid()
    assert len(formset.forms) == ReportLineFormSet.max_num
