"""People the client names keep their roles: a named signer is the approver by name, a group the
prose bars from the outputs never uses or checks them, and a group named as checking the work is a
working group. Sentences written here (none from the bench's use cases), English and Korean."""

from __future__ import annotations

import pytest

from genai_planner.planning.extract import extract_brief
from genai_planner.planning.roles import approver, working_users


def brief(text: str, language: str = "en"):
    return extract_brief({"name": "t", "use_case": text}, language)


@pytest.mark.parametrize(
    "text, who",
    [
        ("Catriona McTavish, our customer services director, signs off every reply template; our clerks draft the replies.", "Catriona McTavish"),
        ("Our Head of Lending, Aroha Tūhoe, approves the rollout; loan officers draft the letters.", "Aroha Tūhoe"),
        ("Seán O'Dowd signs off every change to the answers, and the Parish Council sets the budget; our clerks draft the answers.", "Seán O'Dowd"),
    ],
)
def test_a_named_signer_is_the_approver_by_name(text: str, who: str) -> None:
    assert who in approver(brief(text).stakeholders, "en")


def test_a_korean_named_office_holder_is_the_approver() -> None:
    b = brief("모든 안내문은 박서윤 시설관리팀장이 승인합니다. 직원들이 안내문 초안을 작성합니다.", "ko")
    assert approver(b.stakeholders, "ko").endswith("박서윤")


@pytest.mark.parametrize(
    "text, barred",
    [
        ("Volunteers scan the parish registers. Our two clerks, Ana Ruiz and Tom Bell, check every entry; volunteers do not approve entries.", "volunteers"),
    ],
)
def test_a_group_barred_from_the_outputs_is_not_a_user(text: str, barred: str) -> None:
    b = brief(text)
    users = working_users(b.users, b.stakeholders, "en")
    assert users and all(barred not in u.lower() for u in users)


@pytest.mark.parametrize(
    "text, group",
    [
        ("자원봉사자는 아무것도 승인하지 않으며 사서가 모든 기록을 확인합니다.", "자원봉사자"),
        ("입주민은 답변 초안을 보지 않습니다.", "입주민"),
        ("보호자들은 요약문을 열람하지 못합니다.", "보호자"),
    ],
)
def test_a_korean_group_barred_from_the_outputs_is_read(text: str, group: str) -> None:
    from genai_planner.planning.people import barred_groups
    from genai_planner.planning.prose import Prose

    assert group in barred_groups(Prose(text))


def test_a_group_named_as_checking_the_work_uses_the_tool() -> None:
    b = brief("Our two conservators, Ana Ruiz and Tom Bell, check every condition report before it is filed.")
    assert "conservators" in working_users(b.users, b.stakeholders, "en")
