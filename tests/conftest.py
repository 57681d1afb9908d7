import pytest
from hypothesis import settings as hypothesis_settings

from tests.factories import World

# Property tests (hypothesis): enough examples to find the odd case, few enough for CI; no
# per-example deadline, because a loaded machine is not a failure.
hypothesis_settings.register_profile("dianjiao", max_examples=75, deadline=None)
hypothesis_settings.load_profile("dianjiao")

pytest_plugins = ["tests.plugins.require_browser"]


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    # PBKDF2's deliberate slowness is for attackers, not for a test suite that makes many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True, scope="session")
def _private_media_root(tmp_path_factory):
    """Uploaded files of the test run go to a temporary folder, never into var/media."""
    from django.conf import settings

    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True, scope="session")
def _private_static_root(tmp_path_factory):
    """The suite never sees the static files `dianjiao serve` collected into var/static: pages
    link the plain names, served from the apps, whatever ran on this machine before. The
    hashed names are tested on a collection of their own (tests/web/test_compression.py)."""
    from django.test import override_settings

    root = tmp_path_factory.mktemp("static")
    with override_settings(STATIC_ROOT=root):
        yield root


@pytest.fixture(autouse=True)
def _plain_static_names(_private_static_root):
    """A test that runs `serve` (which collects the static files) leaves no hashed names to the
    next test: the collection is emptied and the storage forgets it."""
    yield
    if (_private_static_root / "staticfiles.json").exists():
        import shutil

        from django.conf import settings
        from django.test.signals import setting_changed

        shutil.rmtree(_private_static_root)
        _private_static_root.mkdir()
        setting_changed.send(
            sender=None, setting="STATIC_ROOT", value=settings.STATIC_ROOT, enter=False
        )


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's default language: a request in English activates English
    for the thread (LocaleMiddleware does not switch back), which must not leak into the next
    test's services and messages."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def world(db):
    return World()


@pytest.fixture
def login(client):
    """login(user) -> the test client, logged in as that user."""

    def _login(user):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return _login
