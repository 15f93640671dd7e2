"""The workbench (工作台): each staff role's landing page, made of blocks the apps register.

An app adds what waits for its users in `<app>/workbench.py`, found like `navigation.py`:

    from portal.workbench import Block, register

    register(Block(key="review-pending", title=_("待审核的报名"), roles=(Role.REVIEWER,),
                   template="portal/workbench/review_pending.html", context=pending_by_announcement))

`context(user)` returns the template's context (a dict). It must be cheap: one grouped
query at most, or counters already cached (the workbench renders after every staff login).
Registering a key again replaces the block: the placeholders below (the examiner's and
the proctor's day, whose stages are not built yet) give way to the exam app's real blocks.
portal imports no app: the apps import this module.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module

from django.apps import apps
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role


@dataclass(frozen=True)
class Block:
    """One card of the workbench. `roles`: who sees it (any of them); `template`: rendered
    with the dict `context(user)` returns, plus `block` (this object); `order`: position."""

    key: str
    title: str
    roles: tuple[str, ...]
    template: str
    context: Callable[..., dict] = field(default=lambda user: {})
    order: int = 100
    icon: str = ""


_blocks: dict[str, Block] = {}
_discovered = False


def register(block: Block) -> Block:
    """Add `block`, or replace the one registered under the same key."""
    _blocks[block.key] = block
    return block


def _discover() -> None:
    global _discovered
    if _discovered:
        return
    for config in apps.get_app_configs():
        try:
            import_module(f"{config.name}.workbench")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.workbench":
                raise
    _discovered = True


def blocks_for(user) -> list[Block]:
    """The blocks `user`'s roles may see, in order (no database access)."""
    _discover()
    roles = user.role_names
    return sorted(
        (block for block in _blocks.values() if roles.intersection(block.roles)),
        key=lambda block: (block.order, block.key),
    )


def render_blocks(user) -> list[dict]:
    """[{"block": Block, "template": str, "context": dict}] for the workbench page."""
    rendered = []
    for block in blocks_for(user):
        context = dict(block.context(user))
        context["block"] = block
        rendered.append({"block": block, "template": block.template, "context": context})
    return rendered


# The day of an examiner and of a proctor: their stages (interviews, exam-day check-in)
# come with the exam issues, whose exams/workbench.py registers these keys again.
register(
    Block(
        key="examiner-today",
        title=_("今日面试"),
        roles=(Role.EXAMINER,),
        template="portal/workbench/empty_today.html",
        context=lambda user: {"empty": _("今天没有需要您评分的面试分组。")},
        order=30,
        icon="people",
    )
)
register(
    Block(
        key="proctor-today",
        title=_("今日考务"),
        roles=(Role.PROCTOR,),
        template="portal/workbench/empty_today.html",
        context=lambda user: {"empty": _("今天没有安排您监考的考场。")},
        order=40,
        icon="door-open",
    )
)
register(
    Block(
        key="unit-manager-today",
        title=_("在岗人员事务"),
        roles=(Role.UNIT_MANAGER,),
        template="portal/workbench/empty_today.html",
        context=lambda user: {"empty": _("目前没有待您处理的在岗人员事务。")},
        order=50,
        icon="briefcase",
    )
)
