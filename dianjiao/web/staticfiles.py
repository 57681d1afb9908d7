"""Static files with hashed names, compressed copies and a cache lifetime of years, once
`collectstatic` has run (`dianjiao serve` runs it on every start, so `make run` and
`dianjiao run` need no extra step); plain names served straight from the apps before that
(the test suite, `runserver`)."""

import hashlib
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


def _sources_fingerprint() -> str:
    """Every static file of the apps, by path, size and modification time."""
    from django.contrib.staticfiles import finders

    lines = []
    for finder in finders.get_finders():
        for path, storage in finder.list(None):
            stat = os.stat(storage.path(path))
            lines.append(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}")
    return hashlib.sha256("\n".join(sorted(lines)).encode()).hexdigest()


def collect_if_changed() -> bool:
    """Run collectstatic unless the apps' static files are the ones collected last time (same
    paths, sizes and modification times: an upgrade changes them, whatever the clock said), so
    a restart with nothing changed costs a directory walk, not seconds of hashing. Returns
    whether it ran."""
    from django.conf import settings
    from django.core.management import call_command

    root = Path(settings.STATIC_ROOT)
    stamp = root / "sources.sha256"
    fingerprint = _sources_fingerprint()
    manifest = root / StaticStorage.manifest_name
    if manifest.exists() and stamp.exists() and stamp.read_text() == fingerprint:
        return False
    call_command("collectstatic", interactive=False, verbosity=0)
    stamp.write_text(fingerprint)
    return True
