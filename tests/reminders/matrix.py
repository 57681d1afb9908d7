"""The reminder pages' rows for the access matrix (tests/test_access_matrix.py): whoever merges
adds `**__import__("tests.reminders.matrix", fromlist=["_"]).ENTRIES` to its MATRIX (or copies
them in). tests/reminders/test_access.py walks the same rows meanwhile."""

PERSONAS = ["station", "leader", "inspector", "county", "operator", "other_op", "outsider"]
ALL = dict.fromkeys(PERSONAS, 200)
# The station's pages: another township's station sees its own (empty) page, the rest 403.
STATION = {**dict.fromkeys(PERSONAS, 403), "station": 200, "outsider": 200}


def operator(w):
    return {"pk": w.operator.pk}


ENTRIES = {
    "reminders:list": (None, STATION),
    "reminders:export": (None, STATION),
    "reminders:profile": (None, ALL),
    # The station sets up a user of its township; another township's station gets 404.
    "reminders:profile_for": (operator, {**STATION, "outsider": 404}),
}
