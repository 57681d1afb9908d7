import functools

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation


def in_record_language(fn):
    """Run a service in the township's own language (LANGUAGE_CODE), whatever the user reads.

    Text that a service writes into a record (a logbook title, a session summary, a loan note) is
    part of that record: in the hash-chained logbook it is hashed. It must not depend on the
    language the clicking user chose, so a record reads the same for everyone, for ever.

    A ValidationError the service raises is handed back in the reader's language: the record
    language is the source language, so an error's text is its own msgid and can be looked up
    again (a message with values filled in has no msgid and stays as it is).
    """

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        reader = translation.get_language()
        try:
            with translation.override(settings.LANGUAGE_CODE):
                return fn(*args, **kwargs)
        except ValidationError as exc:
            if (
                reader is None
                or translation.get_supported_language_variant(reader) == settings.LANGUAGE_CODE
            ):
                raise
            raise _for_reader(exc) from exc

    return wrapper


def _for_reader(exc: ValidationError) -> ValidationError:
    def again(messages):
        return [translation.gettext(str(m)) for m in messages]

    if hasattr(exc, "error_dict"):
        return ValidationError(
            {
                field: again(ValidationError(errors).messages)
                for field, errors in exc.error_dict.items()
            }
        )
    return ValidationError(again(exc.messages))


def record_labels(choices) -> dict[str, str]:
    """{value: label} of a model's choices in the record language (LANGUAGE_CODE), whatever the
    reader's: the words of a file that reads the same for everyone, such as an export's status
    column. Called when the file is made (the labels are lazy)."""
    with translation.override(settings.LANGUAGE_CODE):
        return {value: str(label) for value, label in choices}
