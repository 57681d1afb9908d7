"""`dianjiao restore FILE`: load a backup made by `dianjiao backup` into an empty database.

A database that holds data (or a media folder with files) is refused unless --force is given.
Stop the server first; afterwards run `dianjiao migrate` (a backup from an older version) and
`dianjiao verify-logbook`."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from dianjiao.web import backup


class Command(BaseCommand):
    help = "从备份文件恢复到空数据库（目标已有数据时拒绝，除非加 --force）"

    def add_arguments(self, parser):
        parser.add_argument("file", help="dianjiao backup 生成的 .zip 文件")
        parser.add_argument(
            "--force", action="store_true", help="目标已有数据时也恢复：覆盖现有的全部数据"
        )

    def handle(self, *args, file, force=False, **options):
        try:
            manifest = backup.restore(file, force=force)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            _(
                "已从 %(file)s 恢复（备份时间 %(at)s）：%(rows)s 行数据与备份清单一致，"
                "%(villages)s 个村的《电教手册》链头一致，%(media)s 个上传文件。"
                "请运行 dianjiao migrate 和 dianjiao verify-logbook。"
            )
            % {
                "file": file,
                "at": manifest["created_at"],
                "rows": sum(manifest["counts"].values()),
                "villages": len(manifest["logbook_heads"]),
                "media": len(manifest["media"]),
            }
        )
