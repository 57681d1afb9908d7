"""Builders for the access matrix's information-item rows."""

from tests.infoitems.helpers import png, send


def item(w):
    return {"pk": send(w).pk}


def photo(w):
    it = send(w, photos=[png()])
    return {"pk": it.versions.get().photos.get().pk}
