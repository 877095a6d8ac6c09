"""Grammar of filled templates (documents/grammar.py): particles by sound, counts, possessives, one-line cells."""

from __future__ import annotations

import pytest

from genai_planner.documents import grammar
from genai_planner.documents.contract import fill
from genai_planner.documents.sources import source_line


@pytest.mark.parametrize(
    "text, want",
    [
        ("Qwen2.5 72B Instruct을(를) 선정", "Qwen2.5 72B Instruct를 선정"),  # 인스트럭트: a vowel
        ("GPT-4o을(를) 호출", "GPT-4o를 호출"),  # 오
        ("Llama 3.1 8B Instruct과(와) Llama을(를)", "Llama 3.1 8B Instruct와 Llama를"),
        ("72B을(를)", "72B를"),  # 비
        ("2 x NVIDIA H100 80GB을(를) 준비", "2 x NVIDIA H100 80GB를 준비"),  # 기가바이트
        ("H100을(를)", "H100을"),  # 백
        ("DeepSeek-V3을(를)", "DeepSeek-V3을"),  # 삼
        ("Solar Pro과(와)", "Solar Pro와"),
        ("CSAP이(가) 적용", "CSAP가 적용"),  # 피: spelled letter by letter
        ("GDPR이(가) 적용", "GDPR이 적용"),  # 알
        ("Health Information Management과(와)", "Health Information Management와"),
        ("Oracle과(와)", "Oracle과"),  # 오라클
        ("Phước An은(는)", "Phước An은"),  # the diacritic does not hide the letter
        ("병원(으)로", "병원으로"),
        ("서울(으)로", "서울로"),  # a final ㄹ takes 로
        ("1(으)로", "1로"),  # 일
        ("10(으)로", "10으로"),  # 십
        ("2.0을(를)", "2.0을"),  # 이 점 영
        ("하루 300건(퇴원 요약)을(를) 처리", "하루 300건(퇴원 요약)을 처리"),
        ("\"원문\"을(를)", "\"원문\"을"),
    ],
)
def test_korean_particle_follows_how_the_word_is_read(text: str, want: str) -> None:
    assert grammar.attach_particles(text) == want


def test_every_placeholder_particle_form_is_resolved() -> None:
    for form in ("은(는)", "는(은)", "이(가)", "가(이)", "을(를)", "를(을)", "과(와)", "와(과)", "(으)로"):
        for word in ("모델", "서버", "GPT-4o", "H100", "★"):
            out = grammar.finish(word + form, "ko")
            assert "(" not in out, out


@pytest.mark.parametrize(
    "template, values, want",
    [
        ("{n} x L4, {r} replica(s)", {"n": 2, "r": 1}, "2 x L4, 1 replica"),
        ("{n} x L4, {r} replica(s)", {"n": 2, "r": 3}, "2 x L4, 3 replicas"),
        ("up to {c} requests in flight", {"c": 1}, "up to 1 request in flight"),
        ("up to {c} requests in flight", {"c": 12}, "up to 12 requests in flight"),
        ("up to {c} queries", {"c": 1}, "up to 1 query"),
        ("send {users}' requests", {"users": "staff"}, "send staff's requests"),
        ("send {users}' requests", {"users": "engineers"}, "send engineers' requests"),
        ("on {org}'s servers", {"org": "BrightWave Electronics"}, "on BrightWave Electronics' servers"),
        ("on {org}'s servers", {"org": "Caledon Air"}, "on Caledon Air's servers"),
        # a value that already carries a formatted 's (a role line built before the template) takes the bare apostrophe too
        ("ask {it}", {"it": "who runs Kereru Ferries's systems"}, "ask who runs Kereru Ferries' systems"),
        ("for {u} tablets", {"u": "the deckhands's"}, "for the deckhands' tablets"),
        ("at {u} desk", {"u": "the boss's"}, "at the boss's desk"),
        ("today {b}.", {"b": "time is 2 months and and is 4 %"}, "today time is 2 months and is 4 %."),
        ("stated: \"{q}\"", {"q": "Trained\nvolunteers answer\r\ncalls"}, "stated: \"Trained volunteers answer calls\""),
    ],
)
def test_english_counts_possessives_and_lines(template: str, values: dict, want: str) -> None:
    assert fill(template, values, "en") == want


def test_korean_fill_resolves_particles_after_values() -> None:
    assert fill("{model}을(를) {hardware}(으)로 운영", {"model": "Gemini 2.0 Flash", "hardware": "L4 1장"}, "ko") == "Gemini 2.0 Flash를 L4 1장으로 운영"


def test_table_cell_is_one_line_and_keeps_the_row_whole() -> None:
    assert grammar.cell('stated: "Trained\nvolunteers | answer') == 'stated: "Trained volunteers / answer"'


@pytest.mark.parametrize(
    "source, shown, hidden",
    [
        ({"id": "S2", "title": "Selecting use cases", "ref": "kb/en/use_case_selection.md#Writing", "kind": "knowledge"}, "planning guide", "kb/"),
        ({"id": "S1", "title": "Planning figures", "ref": "figures:planning", "kind": "figures"}, "calculated for this plan", "figures:"),
        ({"id": "S9", "title": "Model catalog — GPT-4o", "ref": "catalog:gpt-4o", "kind": "catalog"}, "model catalog", "catalog:"),
        ({"id": "S3", "title": "policy.md (part 1)", "ref": "docs/policy.md#part1", "kind": "user_document"}, "your document: policy.md", "#part1"),
        ({"id": "S4", "title": "A page", "ref": "https://example.org/a", "kind": "web"}, "https://example.org/a", "`"),
    ],
)
def test_sources_list_shows_a_readable_origin_never_an_internal_address(source: dict, shown: str, hidden: str) -> None:
    line = source_line(source, "en")
    assert line.startswith(f"- [{source['id']}] {source['title']}") and shown in line and hidden not in line
