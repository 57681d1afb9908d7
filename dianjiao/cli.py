"""The `dianjiao` command: Django's management commands under the project's own name.

`dianjiao serve`, `dianjiao demo`, `dianjiao migrate` ... are all management commands; this
module only points Django at the project's settings first.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dianjiao.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["dianjiao", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
