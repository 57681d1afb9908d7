"""Writes to the film library, one module per subject: the catalogue (`catalogue`), its copies
(`copies`), announcements (`announcements`), the villages' requests (`requests`) and loans
(`loans`). Every public function is re-exported here, so `services.film_create(...)` reads as
before.

Every function is keyword-only, runs in one transaction, validates with `full_clean()` and says
what is wrong in Chinese, keyed by the field it is about (a `ValidationError` with a dict), so a
form can show it next to that field. The audit trail records every save with its actor.

`at`, where a function takes it, back-dates the action: for the demo's year of history and for
entering paper records. Pages never pass it, so what a user does is stamped with the clock.

Who may do what: the station (乡电教站管理员) keeps the catalogue and copies, publishes
announcements, approves, dispatches and takes copies back; a village's operator asks for films
and confirms receipt. Read-only roles may do none of it (403).
"""

from .announcements import announcement_publish
from .catalogue import FILM_FIELDS, check_films_for_township, film_create, film_update
from .copies import (
    COPY_FIELDS,
    copy_attach_video,
    copy_create,
    copy_out_message,
    copy_update,
    copy_write_off,
)
from .loans import loan_confirm_receipt, loan_dispatch, loan_return, may_confirm_receipt
from .requests import LineSpec, request_approve, request_create, request_reject, request_settle

__all__ = [
    "COPY_FIELDS",
    "FILM_FIELDS",
    "LineSpec",
    "announcement_publish",
    "check_films_for_township",
    "copy_attach_video",
    "copy_create",
    "copy_out_message",
    "copy_update",
    "copy_write_off",
    "film_create",
    "film_update",
    "loan_confirm_receipt",
    "loan_dispatch",
    "loan_return",
    "may_confirm_receipt",
    "request_approve",
    "request_create",
    "request_reject",
    "request_settle",
]
