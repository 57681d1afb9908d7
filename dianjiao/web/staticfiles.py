"""Static files with hashed names, compressed copies and a cache lifetime of years, once
`collectstatic` has run (`dianjiao serve` runs it on every start, so `make run` and
`dianjiao run` need no extra step); plain names served straight from the apps before that
(the test suite, `runserver`)."""

import os
from pathlib import Path

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    # capture.js imports idb-8.0.4.js: the import names the hashed copy, which the offline
    # capture page's service worker keeps.
    support_js_module_import_aggregation = True
    manifest_strict = False

    def stored_name(self, name):
        if not self.hashed_files:  # nothing collected: the plain name, served from the app
            return name
        try:
            return super().stored_name(name)
        except ValueError:  # a file added since the last collectstatic
            return name


def collect_if_changed() -> bool:
    """Run collectstatic unless the collected copy is newer than every static file of the apps
    (a restart with nothing changed costs a directory walk, not a second of hashing).
    Returns whether it ran."""
    from django.conf import settings
    from django.contrib.staticfiles import finders
    from django.core.management import call_command

    manifest = Path(settings.STATIC_ROOT) / StaticStorage.manifest_name
    if manifest.exists():
        collected = manifest.stat().st_mtime
        sources = (
            storage.path(path)
            for finder in finders.get_finders()
            for path, storage in finder.list(None)
        )
        if all(os.stat(source).st_mtime <= collected for source in sources):
            return False
    call_command("collectstatic", interactive=False, verbosity=0)
    return True
