"""`dianjiao remind`: today's digests by e-mail, SMS and WeCom; run it from cron or the Task
Scheduler (see the README) as often as you like: each digest goes out once a day."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from dianjiao.accounts.models import User
from dianjiao.reminders.models import Channel
from dianjiao.reminders.services import remind


def _label(outcome) -> str:
    channel = Channel(outcome.channel).label if outcome.channel else _("全部方式")
    return f"{outcome.user}（{outcome.user.get_username()}）{channel}"


class Command(BaseCommand):
    help = "发送今天的待办提醒（每人每天每种方式只发一次）"

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="只显示将要发送的内容")
        parser.add_argument("--user", help="只给这个用户名发送")
        parser.add_argument("--now", action="store_true", help="不等每日提醒时间，现在就发")

    def handle(self, *args, dry_run=False, user=None, now=False, **options):
        only = None
        if user:
            only = User.objects.filter(username=user).first()
            if only is None:
                raise CommandError(_("没有用户名为 %(name)s 的用户") % {"name": user})
        run = remind(dry_run=dry_run, only=only, force=now or dry_run or bool(only))
        if run.not_yet:
            self.stdout.write(_("还没到每日提醒时间，本次不发送（可用 --now 立即发送）"))
            return
        for o in run.of("would-send"):
            self.stdout.write(f"== {o.user}（{o.user.get_username()}）\n{o.detail}\n")
        for o in run.of("sent"):
            self.stdout.write(_("已发送：%(who)s → %(to)s") % {"who": _label(o), "to": o.detail})
        for o in run.of("deferred"):
            self.stdout.write(_("夜间免打扰，下次运行再发：%(who)s") % {"who": _label(o)})
        for o in run.of("unreachable"):
            self.stdout.write(_("无法送达：%(who)s：%(why)s") % {"who": _label(o), "why": o.detail})
        failed = run.of("failed")
        if not (run.outcomes or failed):
            self.stdout.write(_("今天没有需要发送的提醒"))
        if failed:
            raise CommandError(
                _("%(n)d个提醒发送失败，下次运行时重试：") % {"n": len(failed)}
                + "；".join(f"{_label(o)}：{o.detail}" for o in failed)
            )
