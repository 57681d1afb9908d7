"""The whole to-do list, for the home page, the dashboard and the reminder digest alike (so an
operator who got a reminder finds the same list after logging in): compliance's to-dos (viewings,
feedback, information items, reports, work plans, the plan) and oversight's (inspections,
rectifications, bulletins, assessment, meeting actions), both shaped alike (village, text,
overdue, url_name, query, due). It lives in oversight, the lowest app that sees both."""

import datetime as dt

from dianjiao.compliance import todos as compliance_todos

from . import selectors


def _todo_order(t) -> tuple:
    """Overdue first; within that, the township-wide items, then village by village in the
    villages' order, each village's compliance items before its oversight items."""
    v = t.village
    return (not t.overdue, v is not None, *((v.township_id, v.sort_order, v.name) if v else ()))


def todos(user, *, as_of: dt.date) -> list:
    """The user's to-do list, in one order (_todo_order)."""
    items = [
        *compliance_todos.todos(user, as_of=as_of),
        *selectors.todos_for(user, as_of),
    ]
    return sorted(items, key=_todo_order)
