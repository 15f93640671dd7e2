"""The recruitment audit trail reads in words on the manage page (issue 13, kind 11: today
`created： → draft` and `position_cancelled：2 → 0`)."""

import pytest
from django.urls import reverse
from django.utils import translation

from recruitment import services
from recruitment.event_words import describe
from recruitment.models import RecruitmentEvent
from tests.recruitment.factories import AnnouncementFactory, PositionFactory

pytestmark = pytest.mark.django_db


def _event(action, from_value="", to_value=""):
    return RecruitmentEvent(action=action, from_value=from_value, to_value=to_value)


@pytest.mark.parametrize(
    ("event", "zh", "en"),
    [
        (_event("created", to_value="draft"), "创建公告：草稿", "Announcement created: Draft"),
        (
            _event("published", "draft", "published"),
            "发布公告：草稿 → 已发布",
            "Announcement published: Draft → Published",
        ),
        (
            _event("position_cancelled", "2", "0"),
            "取消岗位：招聘人数 2 → 0",
            "Position cancelled: posts 2 → 0",
        ),
        (_event("position_reduced", "3", "1"), "核减招聘人数：招聘人数 3 → 1", "Posts reduced: posts 3 → 1"),
        (
            _event("updated", to_value="title,body"),
            "修改公告：公告标题、公告正文",
            "Announcement edited: Title, Announcement text",
        ),
        (_event("no_such_code", "a", "b"), "其他操作：a → b", "Other action: a → b"),
    ],
)
def test_each_action_reads_in_words_in_both_languages(event, zh, en):
    assert describe(event) == zh
    with translation.override("en"):
        assert describe(event) == en


def test_the_manage_page_shows_words_not_codes(client, administrator):
    position = PositionFactory(announcement=AnnouncementFactory(created_by=administrator), quota=2)
    services.position_cancel(actor=administrator, position=position, reason="报名人数不足")
    client.force_login(administrator)
    page = client.get(reverse("recruitment:manage_detail", args=[position.announcement_id])).content.decode()
    assert "取消岗位：招聘人数 2 → 0" in page
    assert "position_cancelled" not in page
