"""`dianjiao verify-logbook`: recompute every village's hash chain; name the first bad entry.

The file name carries the hyphen on purpose: Django names a command after its module file, and
`import_module` loads a module called "verify-logbook" as happily as any other (it only cannot
be written in an `import` statement). So `dianjiao verify-logbook` and
`call_command("verify-logbook")` work with no alias in cli.py.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from dianjiao.logbook.verify import verify_all


class Command(BaseCommand):
    help = "校验《电教手册》：逐村重算哈希链，发现问题时指出第一条有问题的记录并以非零状态退出。"

    def handle(self, *args, **options):
        result = verify_all()
        if not result.ok:
            raise CommandError(
                _("校验失败（已检查 %(villages)s 村 %(entries)s 条）：%(problem)s")
                % {
                    "villages": result.villages,
                    "entries": result.entries,
                    "problem": result.problem.describe(),
                }
            )
        self.stdout.write(
            _("OK: %(villages)s 村, %(entries)s 条记录")
            % {
                "villages": result.villages,
                "entries": result.entries,
            }
        )
