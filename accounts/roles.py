"""The roles of the portal. Each is a Django group carrying permissions.

Views ask for a role through accounts.permissions; object-level scoping (which
announcement, whose application) lives in each app's selectors.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    APPLICANT = "applicant", _("报考人员")
    REVIEWER = "reviewer", _("资格审核人员")
    EXAMINER = "examiner", _("面试考官")
    ADMINISTRATOR = "administrator", _("管理员")
    PROCTOR = "proctor", _("监考人员")
    UNIT_MANAGER = "unit_manager", _("街道管理员")


# Permissions (codenames on accounts.User's Meta) each role's group carries.
ROLE_PERMISSIONS = {
    Role.APPLICANT: ["apply_to_positions"],
    Role.REVIEWER: ["review_applications"],
    Role.EXAMINER: ["score_interviews"],
    Role.ADMINISTRATOR: [
        "review_applications",
        "manage_recruitment",
        "manage_staff",
        "export_full_id_numbers",
    ],
    # Their pages come with the exam and workforce stages; the role (the group) is what
    # the console checks, permissions are added when those pages exist.
    Role.PROCTOR: [],
    Role.UNIT_MANAGER: [],
}

# Roles that work in the staff console (side navigation, workbench) rather than the
# applicants' top bar.
STAFF_ROLES: tuple[str, ...] = (
    Role.REVIEWER,
    Role.EXAMINER,
    Role.PROCTOR,
    Role.UNIT_MANAGER,
    Role.ADMINISTRATOR,
)

# Roles an administrator grants and revokes on the portal's staff pages.
GRANTABLE_ROLES: tuple[str, ...] = STAFF_ROLES


def ensure_role_groups(*, Group=None, Permission=None) -> None:
    """Create the role groups with their permissions (idempotent). The data migration
    passes historical models; tests call it after a transactional flush."""
    if Group is None:
        from django.contrib.auth.models import Group, Permission
    for role, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="accounts", codename__in=codenames)
        )
