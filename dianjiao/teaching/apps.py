from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class TeachingConfig(AppConfig):
    name = "dianjiao.teaching"
    verbose_name = _("播放收看")

    def ready(self):
        from dianjiao.members.signals import members_moved

        from . import rollups

        members_moved.connect(
            lambda sender, moves, **kwargs: rollups.refresh_members(moves),
            weak=False,
            dispatch_uid="dianjiao-coverage-follows-member",
        )
        # A database that had attendance before the coverage was kept per month gets its cells
        # counted once, after the migration that made their table (with today's models, which
        # a data migration could not rely on in years to come).
        post_migrate.connect(
            lambda sender, using, **kwargs: rollups.fill_if_missing(using=using),
            sender=self,
            weak=False,
            dispatch_uid="dianjiao-coverage-filled",
        )
