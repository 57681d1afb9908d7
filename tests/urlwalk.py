"""Every named URL of the project, so the access matrix can insist on covering each one, and
every unnamed one, so it can insist that there are none."""

from django.urls import URLPattern, URLResolver, get_resolver

# Django's own machinery with its own tests and access rules; checked separately in test_admin.
EXTERNAL_NAMESPACES = {"admin"}


def all_url_names(patterns=None, namespace: str = "") -> set[str]:
    names: set[str] = set()
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            ns = p.namespace
            if ns in EXTERNAL_NAMESPACES:
                continue
            child = f"{namespace}{ns}:" if ns else namespace
            names |= all_url_names(p.url_patterns, child)
        elif isinstance(p, URLPattern) and p.name:
            names.add(f"{namespace}{p.name}")
    return names


def unnamed_patterns(patterns=None, prefix: str = "") -> list[str]:
    """The routes of URL patterns that have no name (and so escape the access matrix)."""
    found: list[str] = []
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            if p.namespace in EXTERNAL_NAMESPACES:
                continue
            found += unnamed_patterns(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern) and not p.name:
            found.append(prefix + str(p.pattern))
    return found
