"""Form fields for choosing villages (or townships): the options are read as (pk, name) pairs,
not as model instances. A county viewer's filters list 150 villages on every list page; building
150 Village objects to write 150 <option>s was a fifth of such a page's time."""

from django import forms
from django.forms.models import ModelChoiceIterator, ModelChoiceIteratorValue


class NameChoiceIterator(ModelChoiceIterator):
    """The field's queryset as (value, label) options, the label being the row's `name` (what
    Village and Township print as). Validation still reads the chosen row as an instance."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for pk, name in self.queryset.values_list("pk", "name"):
            yield (ModelChoiceIteratorValue(pk, None), name)


class NameChoiceField(forms.ModelChoiceField):
    iterator = NameChoiceIterator
