"""The names of a user's groups, cached: every signed-in request asks for them (role checks,
navigation), and a `groups` query on each was ~2 ms of CPU per request under load.

Dropped at once (and again after commit) whenever Django changes a membership: the
signals below cover user.groups.add/remove/set/clear, group.user_set changes, a group's
rename and its deletion. A change made outside the ORM (raw SQL) is seen within
`SECONDS`, which also bounds the one race left: a read that started before a change
committed and stores the old names after the drop.
"""

from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_save, pre_delete
from django.dispatch import receiver

SECONDS = 60


def _key(user_id) -> str:
    return f"accounts:roles:{user_id}"


def group_names(user) -> frozenset[str]:
    names = cache.get(_key(user.pk))
    if names is None:
        names = list(user.groups.values_list("name", flat=True))
        cache.set(_key(user.pk), names, SECONDS)
    return frozenset(names)


def forget(user_ids) -> None:
    keys = [_key(user_id) for user_id in user_ids]
    if not keys:
        return
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))


def _members(group) -> list:
    return list(group.user_set.values_list("pk", flat=True)) if group.pk else []


def connect(user_model) -> None:
    @receiver(m2m_changed, sender=user_model.groups.through, weak=False)
    def membership_changed(sender, instance, action, reverse, pk_set, **kwargs):
        if not reverse:  # user.groups.…: the instance is the user
            if action in ("post_add", "post_remove", "post_clear"):
                forget([instance.pk])
        elif action in ("post_add", "post_remove"):  # group.user_set.…: pk_set holds users
            forget(pk_set or [])
        elif action == "pre_clear":
            forget(_members(instance))

    @receiver(post_save, sender=Group, weak=False)
    def group_saved(sender, instance, created, **kwargs):
        if not created:  # a rename changes the names its members hold
            forget(_members(instance))

    @receiver(pre_delete, sender=Group, weak=False)
    def group_deleted(sender, instance, **kwargs):
        forget(_members(instance))
