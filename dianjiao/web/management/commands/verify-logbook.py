"""`dianjiao verify-logbook`: recompute every village's hash chain; name the first bad entry.

The file name carries the hyphen on purpose: Django names a command after its module file, and
`import_module` loads a module called "verify-logbook" as happily as any other (it only cannot
be written in an `import` statement). So `dianjiao verify-logbook` and
`call_command("verify-logbook")` work with no alias in cli.py.

It lives in the top app, web, because it reads both the logbook and the bulletins (oversight)
that publish the chains' heads; the logbook itself knows nothing of bulletins.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from dianjiao.logbook.verify import verify_all
from dianjiao.oversight import checkpoints


class Command(BaseCommand):
    help = "校验《电教手册》：逐村重算哈希链，发现问题时指出第一条有问题的记录并以非零状态退出。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--checkpoints",
            metavar="FILE",
            help="一份已印发通报的 .docx 或其链头核对文件 .json：各村的链是否仍到达通报公布的链头",
        )

    def handle(self, *args, **options):
        result = verify_all()
        # Heads published in issued bulletins: those in the database every time, a printed or
        # saved one (outside the database, so a restored older copy cannot match it) on request.
        problems = checkpoints.check_issued_bulletins()
        if options.get("checkpoints"):
            try:
                problems += checkpoints.check(checkpoints.read(options["checkpoints"]))
            except (OSError, ValueError, KeyError) as exc:
                raise CommandError(_("无法读取链头核对文件：%(e)s") % {"e": exc}) from None
        if problems and result.ok:
            raise CommandError(_("校验失败：%(problem)s") % {"problem": "；".join(problems)})
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
