"""The demo builders' tests run on the stories' fixed day, with the teaching stories' cast."""

from tests.clock import NOW, TODAY, clock  # noqa: F401  (re-exported for the tests here)
from tests.teaching.conftest import cast  # noqa: F401  (the teaching cast, as a fixture here)
