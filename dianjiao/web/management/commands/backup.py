"""`dianjiao backup FILE|FOLDER`: the database and the uploaded files in one .zip, while the
server runs. Given a folder, the file is named by date and time (dianjiao-20261130-0230.zip) and
`--keep N` removes all but the newest N such files there: one line in cron or the Windows Task
Scheduler makes a daily backup that does not fill the disk.

See dianjiao/web/backup.py for what the archive holds and why the copy is consistent."""

import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from dianjiao.web import backup


class Command(BaseCommand):
    help = "备份数据库和上传的文件到一个 .zip 文件（服务运行时也可以备份）"

    def add_arguments(self, parser):
        parser.add_argument(
            "file",
            help="备份文件（例如 backups/dianjiao.zip）；给一个文件夹时按日期时间命名",
        )
        parser.add_argument(
            "--keep",
            type=int,
            default=0,
            metavar="N",
            help="给的是文件夹时，只保留其中最新的 N 份备份（默认全部保留）",
        )

    def handle(self, *args, file, keep=0, **options):
        target = Path(file)
        folder = target.is_dir() or file.endswith(("/", "\\"))
        if folder:
            target.mkdir(parents=True, exist_ok=True)
            target = target / f"dianjiao-{dt.datetime.now():%Y%m%d-%H%M%S}.zip"
        try:
            manifest = backup.backup(target)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            _(
                "已备份到 %(file)s：%(rows)s 行数据，%(villages)s 个村的《电教手册》"
                "（%(entries)s 条），%(media)s 个上传文件"
            )
            % {
                "file": target,
                "rows": sum(manifest["counts"].values()),
                "villages": len(manifest["logbook_heads"]),
                "entries": sum(h["entries"] for h in manifest["logbook_heads"].values()),
                "media": len(manifest["media"]),
            }
        )
        if folder and keep > 0:
            old = sorted(target.parent.glob("dianjiao-*.zip"), reverse=True)[keep:]
            for path in old:
                path.unlink()
            if old:
                self.stdout.write(
                    _("已删除较早的 %(n)s 份备份，保留最新的 %(keep)s 份")
                    % {"n": len(old), "keep": keep}
                )
