"""Every named URL of the project, so the access matrix can insist on covering each one."""

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
