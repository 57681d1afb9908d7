import functools

from django.conf import settings
from django.utils import translation


def in_record_language(fn):
    """Run a service in the township's own language (LANGUAGE_CODE), whatever the user reads.

    Text that a service writes into a record (a logbook title, a session summary, a loan note) is
    part of that record: in the hash-chained logbook it is hashed. It must not depend on the
    language the clicking user chose, so a record reads the same for everyone, for ever.
    """

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            return fn(*args, **kwargs)

    return wrapper
