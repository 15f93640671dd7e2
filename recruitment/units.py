"""The unit tree positions and workers belong to: district (区县) → street office (街道/乡镇)
→ community (社区).

Positions carried their place as free text (district, street, community); a data migration
linked each to its unit (`Position.unit`, the deepest unit its text names). Workers
(workforce) belong to a community unit; a unit manager (街道管理员) is assigned to a street
office and manages the workers of its communities.

Kinds follow each other strictly (a street office's parent is a district, a community's a
street office): checked in `clean()` and by `unit_get_or_create`; the database keeps
districts parentless, every other unit parented, names unique among siblings and codes
unique.
"""

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _


class Unit(models.Model):
    class Kind(models.TextChoices):
        DISTRICT = "district", _("区（县）")
        STREET = "street", _("街道（乡镇）")
        COMMUNITY = "community", _("社区")

    PARENT_KIND = {Kind.STREET: Kind.DISTRICT, Kind.COMMUNITY: Kind.STREET}

    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("上级单位"),
    )
    kind = models.CharField(_("单位层级"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("单位名称"), max_length=50)
    code = models.CharField(_("单位代码"), max_length=40, unique=True)

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="district") & Q(parent__isnull=True))
                | (~Q(kind="district") & Q(parent__isnull=False)),
                name="unit_district_is_root_others_have_parent",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["district", "street", "community"]), name="unit_kind_known"
            ),
            models.CheckConstraint(condition=~Q(name=""), name="unit_name_not_empty"),
            models.UniqueConstraint(fields=["parent", "name"], name="unit_name_unique_in_parent"),
            models.UniqueConstraint(
                fields=["name"], condition=Q(parent__isnull=True), name="unit_district_name_unique"
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        expected = self.PARENT_KIND.get(self.kind)
        if expected is None and self.parent_id:
            raise ValidationError({"parent": _("区（县）没有上级单位。")})
        if expected is not None and (self.parent is None or self.parent.kind != expected):
            raise ValidationError(
                {
                    "parent": _("%(kind)s的上级单位必须是%(parent)s。")
                    % {"kind": self.get_kind_display(), "parent": Unit.Kind(expected).label}
                }
            )

    @property
    def path(self) -> str:
        """'铁东区 站前街道 园林社区' (two queries at most; callers select_related parent__parent)."""
        parts = [self.name]
        node = self.parent
        while node is not None:
            parts.append(node.name)
            node = node.parent
        return " ".join(reversed(parts))

    @property
    def street_office(self):
        """The street office this unit belongs to (itself for a street office), or None."""
        if self.kind == self.Kind.STREET:
            return self
        if self.kind == self.Kind.COMMUNITY:
            return self.parent
        return None


def _next_code(parent, kind) -> str:
    prefix = {"district": "D", "street": "S", "community": "C"}[kind]
    siblings = Unit.objects.filter(parent=parent, kind=kind).count()
    base = f"{parent.code}." if parent else ""
    number = siblings + 1
    while Unit.objects.filter(code=f"{base}{prefix}{number:02d}").exists():
        number += 1
    return f"{base}{prefix}{number:02d}"


def unit_get_or_create(district: str, street: str = "", community: str = "") -> Unit | None:
    """The deepest unit the three names give, creating missing ones (codes D01, D01.S01,
    D01.S01.C01). Blank district: None. A community without a street is attached to no
    street, so it is ignored (the district is returned)."""
    district, street, community = (district or "").strip(), (street or "").strip(), (community or "").strip()
    if not district:
        return None
    with transaction.atomic():
        node = Unit.objects.filter(parent__isnull=True, name=district).first()
        if node is None:
            node = Unit.objects.create(
                kind=Unit.Kind.DISTRICT, name=district, code=_next_code(None, "district")
            )
        for name, kind in ((street, Unit.Kind.STREET), (community, Unit.Kind.COMMUNITY)):
            if not name:
                break
            child = Unit.objects.filter(parent=node, name=name).first()
            if child is None:
                child = Unit.objects.create(parent=node, kind=kind, name=name, code=_next_code(node, kind))
            node = child
    return node


TEXT_FIELDS = frozenset({"district", "street", "community"})


@receiver(post_save, sender="recruitment.Position")
def _position_unit_follows_text(sender, instance, created=False, update_fields=None, raw=False, **kwargs):
    """A position saved with its place in words points at the unit those words name (created
    if new): positions created by any path (form, import, factory, correction) join the tree."""
    if raw or (update_fields is not None and not (TEXT_FIELDS & set(update_fields))):
        return
    unit = unit_get_or_create(instance.district, instance.street, instance.community)
    if unit is not None and unit.pk != instance.unit_id:
        sender.objects.filter(pk=instance.pk).update(unit=unit)
        instance.unit = unit
