"""`dianjiao backup FILE`: the database and the uploaded files in one .zip, while the server runs.

See dianjiao/lib/backup.py for what the archive holds and why the copy is consistent."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from dianjiao.lib import backup


class Command(BaseCommand):
    help = "备份数据库和上传的文件到一个 .zip 文件（服务运行时也可以备份）"

    def add_arguments(self, parser):
        parser.add_argument("file", help="备份文件，例如 backups/dianjiao-2026-11-30.zip")

    def handle(self, *args, file, **options):
        try:
            manifest = backup.backup(file)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            _(
                "已备份到 %(file)s：%(rows)s 行数据，%(villages)s 个村的《电教手册》"
                "（%(entries)s 条），%(media)s 个上传文件"
            )
            % {
                "file": file,
                "rows": sum(manifest["counts"].values()),
                "villages": len(manifest["logbook_heads"]),
                "entries": sum(h["entries"] for h in manifest["logbook_heads"].values()),
                "media": len(manifest["media"]),
            }
        )
