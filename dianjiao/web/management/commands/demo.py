"""`dianjiao demo`: fill an empty database with the demo township and print its logins."""

import dataclasses
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from dianjiao.demo import builder, scale
from dianjiao.orgs.models import Township


class Command(BaseCommand):
    help = "生成演示数据：福海县乌伦古乡（12个村、约600名党员）及各角色的演示账号"

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="数据库已有乡镇时什么也不做（`make run` 每次启动时调用）",
        )
        parser.add_argument("--seed", type=int, default=builder.DEFAULT_SEED, help="随机种子")
        parser.add_argument(
            "--scale",
            choices=sorted(scale.SCALES),
            help="生成县级（10个乡镇、约1万名党员、3年）或地区级（约1000个村、6万名党员、5年）的演示数据",
        )

    def handle(self, *args, if_empty, seed, scale=None, **options):
        logins_file = settings.VAR_DIR / "demo-logins.txt"
        if Township.objects.exists():
            if not if_empty:
                raise CommandError(
                    _(
                        "数据库中已有乡镇数据，不再生成演示数据（以免重复）。"
                        "如需重新生成，请先换一个空数据库。"
                    )
                )
            self.stdout.write(_("数据库中已有数据，跳过生成演示数据。"))
            if logins_file.exists():
                self.stdout.write(logins_file.read_text())
            return

        if scale:
            self._scale(scale, seed, logins_file)
            return
        started = time.monotonic()
        plan = builder.plan(seed)
        builder.build(plan, progress=lambda message: self.stdout.write(message, ending="\n"))
        text = builder.logins_text(plan)
        logins_file.parent.mkdir(parents=True, exist_ok=True)
        logins_file.write_text(text)
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "已生成演示数据：%(township)s，%(villages)s个村，%(points)s个播放点，%(equipment)s台设备，"
                    "%(members)s名党员（用时%(seconds).1f秒）"
                )
                % {
                    "township": plan.org.township,
                    "villages": len(plan.org.villages),
                    "points": len(plan.org.points),
                    "equipment": len(plan.equipment),
                    "members": len(plan.members),
                    "seconds": time.monotonic() - started,
                }
            )
        )
        self.stdout.write(text)
        self.stdout.write(_("账号表已保存到 %(path)s") % {"path": logins_file})

    def _scale(self, name, seed, logins_file):
        report = scale.build_scale(
            scale.SCALES[name],
            seed=seed,
            progress=lambda message: self.stdout.write(message, ending="\n"),
        )
        text = scale.logins_text(report)
        logins_file.parent.mkdir(parents=True, exist_ok=True)
        logins_file.write_text(text)
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "已生成演示数据：%(counties)s个县、%(townships)s个乡镇、%(villages)s个村、"
                    "%(members)s名党员、%(sessions)s场收看（用时%(seconds).1f秒）"
                )
                % dataclasses.asdict(report)
            )
        )
        self.stdout.write(text)
        self.stdout.write(_("账号表已保存到 %(path)s") % {"path": logins_file})
