"""`dianjiao rollups`: compare the coverage kept per village and month with the attendance
(teaching.rollups); `--rebuild` counts it all again. A difference means a write reached the
attendance without the services (an edit in the admin, a bulk load): the check names it and
fails, and the rebuild mends it."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from dianjiao.teaching import rollups


class Command(BaseCommand):
    help = _("核对按村按月保存的收看覆盖数与出勤记录是否一致；--rebuild 重新计算")

    def add_arguments(self, parser):
        parser.add_argument(
            "--rebuild", action="store_true", help=_("按出勤记录重新计算全部覆盖数")
        )

    def handle(self, *args, rebuild=False, **options):
        if rebuild:
            with transaction.atomic():
                n = rollups.rebuild()
            self.stdout.write(_("已重新计算 %(n)s 个村月覆盖数") % {"n": n})
            return
        differences = rollups.check()
        if differences:
            for d in differences[:20]:
                self.stderr.write(
                    _(
                        "村 %(village)s %(year)s年%(month)s月：保存的应看/实看 %(stored)s，"
                        "按出勤记录应为 %(counted)s"
                    )
                    % {
                        "village": d.village_id,
                        "year": d.year,
                        "month": d.month,
                        "stored": "/".join(map(str, d.stored)),
                        "counted": "/".join(map(str, d.counted)),
                    }
                )
            raise CommandError(
                _("%(n)s 个村月的覆盖数与出勤记录不一致，可用 --rebuild 重新计算")
                % {"n": len(differences)}
            )
        self.stdout.write(_("覆盖数与出勤记录一致"))
