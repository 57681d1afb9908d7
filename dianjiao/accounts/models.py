from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Role(models.TextChoices):
    COUNTY_VIEWER = "county_viewer", _("县级查看")
    LEADER = "leader", _("乡党委领导")
    STATION_ADMIN = "station_admin", _("电教站管理员")
    VILLAGE_OPERATOR = "operator", _("村电教员")
    INSPECTOR = "inspector", _("检查员")


WRITING_ROLES = {Role.STATION_ADMIN, Role.VILLAGE_OPERATOR}
# The node of the org tree each role is scoped to.
ROLE_LEVEL = {
    Role.COUNTY_VIEWER: "county",
    Role.LEADER: "township",
    Role.STATION_ADMIN: "township",
    Role.INSPECTOR: "township",
    Role.VILLAGE_OPERATOR: "village",
}


class User(AbstractUser):
    role = models.CharField(
        _("角色"), max_length=20, choices=Role.choices, default=Role.VILLAGE_OPERATOR
    )
    full_name = models.CharField(_("姓名"), max_length=50, blank=True)
    phone = models.CharField(_("电话"), max_length=20, blank=True)
    county = models.ForeignKey(
        "orgs.County",
        verbose_name=_("县"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    township = models.ForeignKey(
        "orgs.Township",
        verbose_name=_("乡镇"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    village = models.ForeignKey(
        "orgs.Village",
        verbose_name=_("村"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = pgettext_lazy("plural", "用户")

    def __str__(self):
        return self.full_name or self.username

    @property
    def role_can_write(self) -> bool:
        return self.role in WRITING_ROLES

    @property
    def level(self) -> str:
        return ROLE_LEVEL[self.role]

    @property
    def scope_node(self):
        return {"county": self.county, "township": self.township, "village": self.village}[
            self.level
        ]

    def clean(self):
        super().clean()
        if self.is_superuser:
            return
        field = self.level
        if getattr(self, f"{field}_id") is None:
            raise ValidationError(
                {
                    field: _("该角色必须指定所属的%(node)s")
                    % {"node": self._meta.get_field(field).verbose_name}
                }
            )

    def save(self, *args, **kwargs):
        # The tree is derived upward from the node the role is scoped to, so it cannot disagree.
        if self.level == "village" and self.village_id:
            self.township_id = self.village.township_id
        elif self.level != "village":
            self.village = None
        if self.level == "county":
            self.township = None
        if self.township_id:
            self.county_id = self.township.county_id
        super().save(*args, **kwargs)
