"""The form renderer: Django's own widget templates, except a <select> that writes its options
in one tag (templatetags/select_widget.py). Django's select.html includes select_option.html,
which includes attrs.html, for every option: a county's village filter (150 villages) took
~6 ms to render; the same bytes (tests/web/test_forms_renderer.py)."""

from pathlib import Path

import django.forms
from django.forms.renderers import DjangoTemplates
from django.utils.functional import cached_property


class FormRenderer(DjangoTemplates):
    @cached_property
    def engine(self):
        return self.backend(
            {
                "APP_DIRS": True,
                "DIRS": [
                    Path(__file__).parent / "templates",  # django/forms/widgets/select.html
                    Path(django.forms.__file__).parent / "templates",
                ],
                "NAME": "djangoforms",
                "OPTIONS": {},
            }
        )
