"""What every app's forms share: the base classes every form derives from (Form, ModelForm,
FormSet), which bound numbers and ids to what the database holds, the search field, and the
helpers that put a service's refusal next to the fields."""

from django import forms
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _


def add_service_errors(form, exc, field_map=None) -> None:
    """Put a service's ValidationError next to the form fields it names (`field_map` renames a
    service's field to the form's), and whatever names no field of the form above the form."""
    field_map = field_map or {}
    errors = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
    for name, messages in errors.items():
        target = field_map.get(name, name)
        form.add_error(target if target in form.fields else None, messages)


def run_service(form, service, **kwargs):
    """Call `service(**kwargs)` and return what it returns; on a ValidationError put the refusal
    onto `form` (see add_service_errors) and return None, so the view shows the form again."""
    try:
        return service(**kwargs)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None


# ---------------------------------------------------------------------------
# Hostile input stops at the form: numbers the database cannot hold, search terms that would
# make a LIKE pattern too complex, formsets that would build a thousand forms.

#: The database's integer range (SQLite's INTEGER, PostgreSQL's bigint).
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
#: A search term is cut to this many characters before it reaches the database.
SEARCH_MAX = 100


def trim_search(text) -> str:
    """A search term as it may reach the database: stripped and at most SEARCH_MAX characters."""
    return str(text or "").strip()[:SEARCH_MAX].strip()


def id_or_none(value) -> int | None:
    """An id read by hand from a query string or a POST: the integer if `value` is one the
    database can hold (1 to INT64_MAX, ASCII digits only), else None. Use it instead of
    `int(...)` or `.isdigit()`, which let 10**30 or '²' through to a query."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value if 1 <= value <= INT64_MAX else None
    text = str(value or "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 19:
        return None
    number = int(text)
    return number if 1 <= number <= INT64_MAX else None


def out_of_int_range(value) -> bool:
    """Whether `value` reads as an integer the database cannot hold (see bound_fields)."""
    return _out_of_range(value, INT64_MIN, INT64_MAX)


class SearchField(forms.CharField):
    """The search box of a list page: never refuses, cuts what is typed to SEARCH_MAX."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value):
        return trim_search(super().to_python(value))

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "maxlength": str(SEARCH_MAX)}


def _int_range(model_field) -> tuple[int, int]:
    """The range the database accepts for `model_field` (an integer or auto field)."""
    from django.db import connection

    low, high = connection.ops.integer_field_range(model_field.get_internal_type())
    low = INT64_MIN if low is None else max(low, INT64_MIN)
    high = INT64_MAX if high is None else min(high, INT64_MAX)
    return low, high


def _key_range(field) -> tuple[int, int] | None:
    """For a ModelChoiceField: the range of the key it looks up, or None for a key that is not
    an integer (a UUID or text key, which Django already checks itself)."""
    from django.db import models

    opts = field.queryset.model._meta
    model_field = opts.get_field(field.to_field_name) if field.to_field_name else opts.pk
    while isinstance(model_field, models.ForeignKey | models.OneToOneField):
        model_field = model_field.target_field
    if isinstance(model_field, models.IntegerField | models.AutoField):
        return _int_range(model_field)
    return None


def _out_of_range(value, low: int, high: int) -> bool:
    """Whether a submitted value reads as an integer outside [low, high]."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return not low <= value <= high
    if isinstance(value, str):
        text = value.strip()
        if text[:1] in "+-":
            text = text[1:]
        # A string of digits this long cannot be in range; do not hand it to int() at all.
        if text.isascii() and text.isdigit():
            return len(text) > 20 or not low <= int(value.strip()) <= high
    return False


_OUT_OF_RANGE = _("数值超出允许的范围")


def _bounded_choice_clean(field, clean, low: int, high: int):
    def bounded_clean(value):
        values = value if isinstance(value, list | tuple) else [value]
        for v in values:
            if _out_of_range(v, low, high):
                # The same words as for any id that does not exist: nothing to learn from it.
                raise ValidationError(
                    field.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": str(v)[:24]},
                )
        return clean(value)

    return bounded_clean


def _model_int_range(form, name) -> tuple[int, int] | None:
    """For a ModelForm's field that edits an integer column: that column's range."""
    from django.core.exceptions import FieldDoesNotExist
    from django.db import models

    meta = getattr(form, "_meta", None)
    model = getattr(meta, "model", None)
    if model is None:
        return None
    try:
        model_field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    if isinstance(model_field, models.IntegerField):
        return _int_range(model_field)
    return None


def bound_fields(form) -> None:
    """Bound every integer and id field of `form` to what the database can hold, so that an
    out-of-range value is a message next to the field and never reaches a query (idempotent)."""

    for name, field in form.fields.items():
        if getattr(field, "_dianjiao_bounded", False):
            continue
        field._dianjiao_bounded = True
        if isinstance(field, forms.ModelChoiceField):  # ModelMultipleChoiceField too
            key_range = _key_range(field)
            if key_range:
                field.clean = _bounded_choice_clean(field, field.clean, *key_range)
        elif isinstance(field, forms.IntegerField):
            low, high = _model_int_range(form, name) or (INT64_MIN, INT64_MAX)
            if field.min_value is None or field.min_value < low:
                field.validators.append(MinValueValidator(low, message=_OUT_OF_RANGE))
            if field.max_value is None or field.max_value > high:
                field.validators.append(MaxValueValidator(high, message=_OUT_OF_RANGE))


class BoundedFields:
    """Mixin of every form in the project (through Form and ModelForm below): before the form
    cleans, every integer and id field is bounded (see bound_fields), including fields a view
    or __init__ added after the class was defined."""

    def full_clean(self):
        bound_fields(self)
        super().full_clean()


class Form(BoundedFields, forms.Form):
    pass


class ModelForm(BoundedFields, forms.ModelForm):
    pass


class TooManyForms(SuspiciousOperation):
    """A formset was sent with more forms than it may ever have: answered 400."""


class FormSet(forms.BaseFormSet):
    """Base of every formset: formset_factory(..., formset=FormSet subclass, max_num=N,
    absolute_max=N, validate_max=True). A request that claims more than absolute_max forms is
    refused with 400 before a single form is built, instead of being answered with a page of
    absolute_max forms."""

    def total_form_count(self):
        if self.is_bound:
            claimed = self.management_form.cleaned_data.get(forms.formsets.TOTAL_FORM_COUNT) or 0
            if claimed > self.absolute_max:
                raise TooManyForms(
                    f"{type(self).__name__}: {claimed} forms sent, at most {self.absolute_max}"
                )
        return super().total_form_count()


def formset_factory(form, *, formset, max_num: int, **kwargs):
    """formset_factory with the project's bounds: at most `max_num` forms, validated, and a
    request claiming more refused outright (FormSet)."""
    if not issubclass(formset, FormSet):
        raise TypeError(f"{formset.__name__} must derive from dianjiao.lib.forms.FormSet")
    return forms.formset_factory(
        form, formset=formset, max_num=max_num, absolute_max=max_num, validate_max=True, **kwargs
    )
