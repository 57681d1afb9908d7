"""`dianjiao verify-logbook`: check every village's hash chain; name the first bad entry.

The file name carries the hyphen on purpose: Django names a command after its module file, and
`import_module` loads a module called "verify-logbook" as happily as any other (it only cannot
be written in an `import` statement). So `dianjiao verify-logbook` and
`call_command("verify-logbook")` work with no alias in cli.py.

It lives in the top app, web, because it reads both the logbook and the bulletins (oversight)
that publish the chains' heads; the logbook itself knows nothing of bulletins.

A long run says how far it has got on stderr (a line rewritten in place on a terminal, a line
every ten seconds otherwise), starting after two seconds so short runs print only their result.
"""

import datetime as dt
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from dianjiao.logbook.verify import verify_all
from dianjiao.orgs.models import Village
from dianjiao.oversight import checkpoints


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(_("日期格式应为 YYYY-MM-DD：%(v)s") % {"v": value}) from None


class Progress:
    def __init__(self, stream, *, delay: float = 2.0):
        self.stream = stream
        self.tty = hasattr(stream, "isatty") and stream.isatty()
        self.started = time.monotonic()
        self.next = self.started + delay
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if now < self.next:
            return
        self.next = now + (1.0 if self.tty else 10.0)
        pct = 100 * done / total if total else 100
        line = _("已校验 %(done)s / %(total)s 条（%(pct).0f%%），用时 %(s).0f 秒") % {
            "done": f"{done:,}",
            "total": f"{total:,}",
            "pct": pct,
            "s": now - self.started,
        }
        self.stream.write(("\r" + line) if self.tty else line + "\n")
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown and self.tty:
            self.stream.write("\n")


class Command(BaseCommand):
    help = "校验《电教手册》：逐村核对哈希链，发现问题时指出第一条有问题的记录并以非零状态退出。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--checkpoints",
            metavar="FILE",
            help="一份已印发通报的 .docx 或其链头核对文件 .json：各村的链是否仍到达通报公布的链头",
        )
        parser.add_argument(
            "--village",
            action="append",
            metavar="ID_OR_NAME",
            help="只校验这个村（村编号或村名，可重复）",
        )
        parser.add_argument(
            "--from",
            dest="date_from",
            metavar="YYYY-MM-DD",
            help="只校验发生时间在此日及以后的记录（连同它们之间的整段链条）",
        )
        parser.add_argument(
            "--to",
            dest="date_to",
            metavar="YYYY-MM-DD",
            help="只校验发生时间在此日及以前的记录",
        )
        parser.add_argument(
            "--jobs",
            type=int,
            default=1,
            metavar="N",
            help="用 N 个进程分村并行校验（默认 1）",
        )

    def _villages(self, names) -> list[int] | None:
        if not names:
            return None
        ids = []
        for name in names:
            if name.isdigit():
                found = list(Village.objects.filter(pk=int(name)).values_list("pk", flat=True))
            else:
                found = list(Village.objects.filter(name=name).values_list("pk", flat=True))
            if not found:
                raise CommandError(_("找不到村：%(v)s") % {"v": name})
            if len(found) > 1:
                raise CommandError(
                    _("有多个村叫“%(v)s”，请用村编号：%(ids)s")
                    % {"v": name, "ids": _("、").join(str(i) for i in found)}
                )
            ids += found
        return ids

    def handle(self, *args, **options):
        villages = self._villages(options.get("village"))
        date_from = _date(options["date_from"]) if options.get("date_from") else None
        date_to = _date(options["date_to"]) if options.get("date_to") else None
        if date_from and date_to and date_from > date_to:
            raise CommandError(_("开始日期晚于结束日期"))
        progress = Progress(self.stderr._out)
        try:
            result = verify_all(
                villages=villages,
                date_from=date_from,
                date_to=date_to,
                jobs=max(1, options.get("jobs") or 1),
                progress=progress,
            )
        finally:
            progress.close()
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
