"""The content checks (genai_planner.documents.content_checks): each catches what a client would reject.

Every check gets a passing and a failing document in English and in Korean, written here by
hand against hand-built briefs: a Korean hospital that keeps patient data on its own servers
under 개인정보보호법, a retailer happy with cloud APIs, and an on-premises city hall. The
spec is a small stand-in with the fields the checks read (section ids, titles, forms), so the
tests do not depend on the shipped spec files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from genai_planner.documents import content_checks as cc
from genai_planner.documents import markdown as md
from genai_planner.documents.checks import CHECKS, CheckContext
from genai_planner.planning.brief import (
    Baseline,
    Brief,
    BriefConstraints,
    Budget,
    Hardware,
    LanguagesFact,
    LatencyFact,
    Money,
    Regulation,
    ResidencyFact,
    SectorFact,
    SensitivityFact,
    Text,
    Volume,
    default,
    from_scenario,
    inferred,
    stated,
)
from genai_planner.tools.catalog import load_catalog

CATALOG = list(load_catalog())


# ------------------------------------------------------------------ briefs


def _t(value: str) -> Text:
    return Text(value=value, evidence=inferred("test"))


def make_brief(
    *,
    org: str,
    sector: str = "general",
    domain: str = "testing",
    users: list[str] | None = None,
    stakeholders: list[str] | None = None,
    inputs: list[str] | None = None,
    outputs: list[str] | None = None,
    residency: str = "unspecified",
    languages: list[str] | None = None,
    languages_default: bool = False,
    budget: tuple[float, str] | None = None,
    hardware: list[tuple[str, int, float | None]] | None = None,
    regulations: list[str] | None = None,
    sensitivity: str = "medium",
    personal_data: bool = False,
    volumes: list[Volume] | None = None,
    baselines: list[Baseline] | None = None,
) -> Brief:
    return Brief(
        organisation=Text(value=org, evidence=from_scenario("organisation")),
        summary="A test use case.",
        domain=domain,
        sector=SectorFact(value=sector, evidence=inferred("test")),
        task_types=["question_answering"],
        inputs=[_t(v) for v in inputs or []],
        outputs=[_t(v) for v in outputs or []],
        users=[_t(v) for v in users or []],
        stakeholders=[_t(v) for v in stakeholders or []],
        volumes=volumes or [],
        baselines=baselines or [],
        data_sensitivity=SensitivityFact(value=sensitivity, personal_data=personal_data, evidence=inferred("test")),
        constraints=BriefConstraints(
            data_residency=ResidencyFact(value=residency, evidence=from_scenario("constraints.on_premises")),
            languages=LanguagesFact(value=languages or ["en"], evidence=default("run language") if languages_default else from_scenario("languages")),
            monthly_budget=Budget(value=Money(amount=budget[0], currency=budget[1]), evidence=from_scenario("constraints")) if budget else None,
            hardware=[Hardware(accelerator=a, count=n, memory_gb=m, evidence=stated(f"{n} {a}")) for a, n, m in hardware or []],
            regulations=[Regulation(name=r, evidence=inferred("sector")) for r in regulations or []],
            latency=LatencyFact(value="interactive", evidence=inferred("test")),
        ),
    )


def hospital_ko(**overrides: Any) -> Brief:
    """한빛대학병원: on-premises, Korean, patient data under 개인정보보호법 and 의료법."""
    args: dict[str, Any] = dict(
        org="한빛대학병원",
        sector="healthcare",
        domain="병원 퇴원 기록",
        users=["의료진"],
        stakeholders=["병원 경영진", "의료정보팀", "환자"],
        inputs=["전자의무기록(EMR)의 진료 기록"],
        outputs=["퇴원 요약 초안"],
        residency="on_premises",
        languages=["ko"],
        regulations=["개인정보보호법", "의료법"],
        sensitivity="high",
        personal_data=True,
        hardware=[("NVIDIA A100 80GB", 2, 80)],
        volumes=[Volume(what="퇴원 환자", quantity=300, unit="명", per="day", evidence=stated("하루 300명의 환자가 퇴원합니다"))],
        baselines=[Baseline(metric="퇴원 요약지 작성 시간", value=25, unit="분", evidence=stated("환자 한 명당 평균 25분"))],
    )
    args.update(overrides)
    return make_brief(**args)


def retailer_en(**overrides: Any) -> Brief:
    """BrightWave Electronics: cloud APIs are fine, no personal data, English only (by default)."""
    args: dict[str, Any] = dict(
        org="BrightWave Electronics Inc.",
        sector="retail",
        domain="consumer electronics retail",
        users=["store staff"],
        stakeholders=["store managers", "executives", "IT operations"],
        inputs=["product catalogue"],
        outputs=["grounded answers"],
        residency="cloud_ok",
        languages=["en"],
        languages_default=True,
        sensitivity="low",
        budget=(3000, "USD"),
        volumes=[Volume(what="products", quantity=8000, unit="items", evidence=stated("more than 8,000 products"))],
        baselines=[Baseline(metric="time to answer a customer", value=6, unit="minutes", evidence=stated("six minutes"))],
    )
    args.update(overrides)
    return make_brief(**args)


def city_en(**overrides: Any) -> Brief:
    """The City of Riverton: on-premises, citizens' personal data, 1,200 complaints a day."""
    args: dict[str, Any] = dict(
        org="the City of Riverton",
        sector="public_sector",
        domain="municipal complaints",
        users=["civil servants"],
        stakeholders=["mayor's office", "citizens"],
        inputs=["citizen complaints"],
        outputs=["draft replies"],
        residency="on_premises",
        languages=["en"],
        languages_default=True,
        personal_data=True,
        volumes=[Volume(what="complaints", quantity=1200, per="day", evidence=stated("about 1,200 complaints a day"))],
        baselines=[Baseline(metric="waiting time", value=6, unit="days", evidence=stated("six days"))],
    )
    args.update(overrides)
    return make_brief(**args)


# ------------------------------------------------------------------ a stand-in spec


@dataclass
class L:
    en: str
    ko: str

    def get(self, language: str) -> str:
        return getattr(self, language)


@dataclass
class B:
    form: str


@dataclass
class S:
    id: str
    title: L
    form: str = "list"
    blocks: list[B] = field(default_factory=list)


@dataclass
class Spec:
    sections: list[S]


SPEC = Spec(
    [
        S("problem", L("Problem statement", "문제 진술"), "paragraph"),
        S("factors", L("Selection factors", "선택 요소")),
        S("tradeoffs", L("Trade-offs", "장단점")),
        S("process", L("Evaluation process", "평가 절차"), "numbered"),
        S("fine_tuning", L("Fine-tuning", "파인 튜닝"), "blocks", [B("paragraph"), B("numbered")]),
        S("rag", L("RAG", "검색 증강 생성"), "blocks", [B("numbered")]),
        S("excluded_models", L("Excluded models", "제외 모델"), "paragraph"),
        S("security", L("Security and privacy", "보안과 개인정보 보호")),
    ]
)


def ctx(language: str, brief: Brief | None, **kw: Any) -> CheckContext:
    return CheckContext(
        language=language,  # type: ignore[arg-type]
        spec=SPEC,  # type: ignore[arg-type]
        catalog=CATALOG,
        brief=brief.model_dump(mode="json") if brief else {},
        **kw,
    )


def doc(*sections: tuple[str, str], title: str = "계획") -> str:
    return f"# {title}\n\n" + "\n\n".join(f"## {t}\n\n{body.strip()}" for t, body in sections) + "\n"


def run(check: str, markdown: str, c: CheckContext, **params: Any) -> tuple[bool, str]:
    return CHECKS[check](md.parse_document(markdown), params, c)


def assert_fails(result: tuple[bool, str], *fragments: str) -> None:
    ok, detail = result
    assert not ok, detail
    for fragment in fragments:
        assert fragment in detail, detail


def assert_passes(result: tuple[bool, str]) -> None:
    ok, detail = result
    assert ok, detail


# ------------------------------------------------------------------ the registry and old callers

FIVE = ["specific_to_use_case", "constraints_respected", "label_fits", "steps_are_steps", "no_foreign_words"]


@pytest.mark.parametrize("name", FIVE)
def test_without_a_brief_each_check_passes_and_says_so(name):
    markdown = doc(("Trade-offs", "- Choose a managed API. employees"), ("Evaluation process", "1. Risk of overfitting."))
    ok, detail = run(name, markdown, ctx("ko", None))
    assert ok and "nothing to compare" in detail


def test_the_lexicon_keeps_words_and_refuses_what_is_not_a_word(tmp_path, monkeypatch):
    words = tmp_path / "lexicon.yaml"
    words.write_text("stop_words:\n  en: [a, on, the]\n", encoding="utf-8")
    from genai_planner.documents import content_lexicon

    monkeypatch.setattr(content_lexicon, "LEXICON_PATH", words)
    cc.lexicon.cache_clear()
    try:
        assert cc.lexicon()["stop_words"]["en"] == ["a", "on", "the"]  # YAML 1.2 booleans: an unquoted 'on' stays the word
        bad = tmp_path / "numbers.yaml"
        bad.write_text("stop_words:\n  en: [a, 2024, the]\n", encoding="utf-8")
        monkeypatch.setattr(content_lexicon, "LEXICON_PATH", bad)
        cc.lexicon.cache_clear()
        with pytest.raises(ValueError, match="quote it"):
            cc.lexicon()
    finally:
        cc.lexicon.cache_clear()


# ------------------------------------------------------------------ 1. specific_to_use_case


def test_specific_en_passes_when_every_section_names_the_client():
    markdown = doc(
        ("Problem statement", "BrightWave store staff look up 8,000 products while customers wait."),
        ("Trade-offs", "- An API model answers from the product catalogue fastest; a self-hosted one costs more to run."),
        ("Evaluation process", "1. Build 300 questions store managers really asked."),
        ("Sources", "- [S1] Generic note on trade-offs"),
    )
    assert_passes(run("specific_to_use_case", markdown, ctx("en", retailer_en())))


def test_specific_en_names_the_sections_that_fit_any_client():
    markdown = doc(
        ("Problem statement", "BrightWave store staff look up 8,000 products while customers wait."),
        ("Trade-offs", "- Choose a proprietary API when speed of delivery matters more than control."),
        ("Evaluation process", "1. Shortlist three to five candidates.\n2. Keep executives and the IT team informed."),
    )
    assert_fails(run("specific_to_use_case", markdown, ctx("en", retailer_en())), "sections that fit any client: Trade-offs, Evaluation process")


def test_specific_ko_passes_and_fails_by_section():
    good = doc(
        ("문제 진술", "한빛대학병원 의료진은 하루 300명의 퇴원 요약지를 씁니다."),
        ("장단점", "- 환자 정보가 병원 밖으로 나가지 않도록 자체 호스팅 모델을 씁니다."),
        ("평가 절차", "1. 실제 퇴원 요약 초안 200건으로 후보를 비교합니다."),
    )
    assert_passes(run("specific_to_use_case", good, ctx("ko", hospital_ko())))
    generic = doc(
        ("문제 진술", "한빛대학병원 의료진은 하루 300명의 퇴원 요약지를 씁니다."),
        ("장단점", "- 상용 API는 빠른 시작에 적합합니다."),
        ("평가 절차", "1. 공개 벤치마크는 초기 선별용으로만 참고합니다."),
    )
    assert_fails(run("specific_to_use_case", generic, ctx("ko", hospital_ko())), "sections that fit any client: 장단점, 평가 절차")


def test_specific_reads_only_the_sections_named_in_params():
    markdown = doc(("Problem statement", "BrightWave store staff."), ("Trade-offs", "Choose an API when speed matters."))
    assert_passes(run("specific_to_use_case", markdown, ctx("en", retailer_en()), sections=["problem"]))
    assert_fails(run("specific_to_use_case", markdown, ctx("en", retailer_en()), sections=["problem", "tradeoffs"]), "Trade-offs")


def test_specific_words_every_plan_uses_do_not_count():
    # executives, the IT team, staff, data and models appear in any plan; they refer to no one in particular
    markdown = doc(("Trade-offs", "- Brief executives and IT operations monthly; staff review the model's answers and data."))
    assert_fails(run("specific_to_use_case", markdown, ctx("en", retailer_en())), "Trade-offs")


BRIEF_TERM_CASES = [
    # (why, brief, language, text that must refer to the brief)
    ("organisation name", retailer_en(), "en", "BrightWave Electronics Inc. stores"),
    ("a word of the organisation's name", retailer_en(), "en", "Everything BrightWave sells"),
    ("a user phrase, plural and case-insensitive", retailer_en(), "en", "Store Staff's tablets"),
    ("a plural phrase found in the singular", retailer_en(), "en", "the store manager approves"),
    ("a content word of an input phrase", retailer_en(), "en", "the catalogue entry"),
    ("a large number written with a comma", city_en(), "en", "1,200 a day"),
    ("a large number written without the comma", city_en(), "en", "about 1200 a day"),
    ("a large number written with k", city_en(), "en", "about 1.2k a day"),
    ("a small number needs its unit: digits", city_en(), "en", "answers take 6 days"),
    ("a small number needs its unit: a number word", city_en(), "en", "answers take six days"),
    ("a possessive stakeholder", city_en(), "en", "the mayor’s office signs off"),
    ("the residency constraint's own words", city_en(), "en", "kept on premises"),
    ("the budget amount", retailer_en(), "en", "within 3,000 a month"),
    ("a required language other than the document's", retailer_en(languages=["en", "es"], languages_default=False), "en", "answers in Spanish"),
    ("the sector's vocabulary", retailer_en(), "en", "the shop floor"),
    ("the domain", retailer_en(), "en", "consumer goods"),
    ("Korean number with a counter", hospital_ko(), "ko", "하루 300명이 퇴원"),
    ("Korean small number with its unit", hospital_ko(), "ko", "평균 25분이 걸리는 작성"),
    ("Korean number written in 만", hospital_ko(volumes=[Volume(what="상담", quantity=40000, per="month", evidence=stated("4만"))]), "ko", "월 4만 건"),
    ("Korean organisation with particle", hospital_ko(), "ko", "한빛대학병원의 서버"),
    ("Korean organisation without its suffix", hospital_ko(), "ko", "한빛 브랜드를 씁니다"),
    ("Korean regulation, spacing ignored", hospital_ko(), "ko", "개인정보 보호법에 따라"),
    ("Latin acronym inside a Korean input", hospital_ko(), "ko", "EMR에서 가져온 기록"),
    ("Korean word of a stakeholder phrase", hospital_ko(), "ko", "병원 전산실"),
    ("hardware model name", hospital_ko(), "ko", "A100 두 장"),
    ("Korean residency words", hospital_ko(), "ko", "온프레미스로 운영합니다"),
]


@pytest.mark.parametrize(("why", "brief", "language", "text"), BRIEF_TERM_CASES, ids=[c[0] for c in BRIEF_TERM_CASES])
def test_brief_terms_find_the_client_in_text(why, brief, language, text):
    terms = cc.brief_terms(brief.model_dump(mode="json"), language)
    assert cc.term_hits(text, terms, language), (why, terms)


BRIEF_MISS_CASES = [
    ("a small number alone is not a reference", city_en(), "en", "weight 6 and score 6"),
    ("a large number inside a model name is not the volume", city_en(volumes=[Volume(what="x", quantity=405, evidence=stated("405"))]), "en", "Llama 3.1 405B"),
    ("a number inside a citation is not a reference", city_en(volumes=[Volume(what="x", quantity=120, evidence=stated("120"))]), "en", "as noted [S120]"),
    ("a word inside a longer word is not the term", retailer_en(), "en", "we recatalogue everything"),
    ("a phrase of stop words is no term", retailer_en(stakeholders=["each of them"]), "en", "each of them agreed"),
    ("a two-letter name is too short", retailer_en(users=["QA"]), "en", "the QA team"),
    ("the document's own language is not a reference", hospital_ko(), "ko", "한국어 답변 품질"),
    ("a one-syllable Korean word is too short", hospital_ko(stakeholders=["팀"]), "ko", "팀 회의"),
]


@pytest.mark.parametrize(("why", "brief", "language", "text"), BRIEF_MISS_CASES, ids=[c[0] for c in BRIEF_MISS_CASES])
def test_brief_terms_do_not_find_the_client_where_it_is_not(why, brief, language, text):
    terms = cc.brief_terms(brief.model_dump(mode="json"), language)
    assert not cc.term_hits(text, terms, language), (why, cc.term_hits(text, terms, language))


def test_brief_terms_leave_out_short_and_stop_words():
    terms = [t.lower() for t in cc.brief_terms(retailer_en(users=["AI", "the staff"], stakeholders=["IT"]).model_dump(mode="json"), "en")]
    assert "ai" not in terms and "it" not in terms and "the staff" not in terms and "staff" not in terms


# ------------------------------------------------------------------ 2. constraints_respected


def test_constraints_en_flags_a_cloud_api_step_when_data_stays_on_premises():
    markdown = doc(("Trade-offs", "- Send each complaint to a managed API for classification."))
    result = run("constraints_respected", markdown, ctx("en", city_en()))
    assert_fails(result, "sends data to a cloud or managed API", "data must stay on-premises", "Send each complaint")


def test_constraints_en_passes_a_prohibition_and_cloud_advice_where_cloud_is_fine():
    markdown = doc(("Trade-offs", "- Complaints are never sent to an external API; the model runs on the city's own servers."))
    assert_passes(run("constraints_respected", markdown, ctx("en", city_en())))
    cloud = doc(("Trade-offs", "- Start with a managed API; move to self-hosting if volume grows."))
    assert_passes(run("constraints_respected", cloud, ctx("en", retailer_en())))


def test_constraints_en_reads_negation_per_clause():
    markdown = doc(("Trade-offs", "- Never send data to an external API, but use a managed API for the pilot."))
    assert_fails(run("constraints_respected", markdown, ctx("en", city_en())), "use a managed API")


def test_constraints_ko_flags_and_passes_cloud_steps():
    bad = doc(("장단점", "- 초기에는 관리형 API로 퇴원 요약을 생성합니다."))
    assert_fails(run("constraints_respected", bad, ctx("ko", hospital_ko())), "관리형 API로")
    good = doc(("장단점", "- 환자 정보는 외부 API로 전송하지 않습니다. 한국어 요약은 원내 서버에서 만듭니다."))
    assert_passes(run("constraints_respected", good, ctx("ko", hospital_ko())))


def test_constraints_flags_an_api_only_model_unless_it_is_excluded():
    used = doc(("Evaluation process", "1. Use GPT-4o mini as the judge model."))
    assert_fails(run("constraints_respected", used, ctx("en", city_en())), "API-only model GPT-4o mini")
    excluded_line = doc(("Evaluation process", "1. GPT-4o mini is excluded: it cannot run on the city's servers."))
    assert_passes(run("constraints_respected", excluded_line, ctx("en", city_en())))
    excluded_section = doc(("Excluded models", "GPT-4o and Claude Sonnet 4 only run at their providers."))
    assert_passes(run("constraints_respected", excluded_section, ctx("en", city_en())))


def test_constraints_an_exclusion_covers_its_whole_line_and_section():
    listed = doc(("Evaluation process", "- Excluded: GPT-4o mini; Claude 3.5 Haiku."))
    assert_passes(run("constraints_respected", listed, ctx("en", city_en())))
    ko_section = doc(("제외된 모델", "GPT-4o, Claude Sonnet 4"), ("평가 절차", "1. 한국어 요약을 평가합니다."))
    assert_passes(run("constraints_respected", ko_section, ctx("ko", hospital_ko())))


def test_constraints_reads_catalog_ids_too():
    markdown = doc(("Evaluation process", "1. Call gpt-4o-mini for the drafts."))
    assert_fails(run("constraints_respected", markdown, ctx("en", city_en())), "GPT-4o mini")


def test_constraints_reports_a_sentence_once_and_caps_the_list():
    one = doc(("Trade-offs", "- Send every complaint to the OpenAI API and let GPT-4o draft the reply."))
    ok, detail = run("constraints_respected", one, ctx("en", city_en()))
    assert not ok and detail.count("Send every complaint") == 1, detail
    many = doc(("Trade-offs", "\n".join(f"- Step {i}: use a managed API for batch {i}." for i in range(6))))
    assert_fails(run("constraints_respected", many, ctx("en", city_en())), "(+2 more)")


def test_constraints_language_rule_can_be_switched_off():
    markdown = doc(("장단점", "- 원내 서버에서 모델을 운영합니다."))
    assert_passes(run("constraints_respected", markdown, ctx("ko", hospital_ko()), languages=False))


def test_constraints_catches_a_model_family_named_without_its_version():
    markdown = doc(("Evaluation process", "1. Ask Claude to grade each draft reply."))
    assert_fails(run("constraints_respected", markdown, ctx("en", city_en())), "API-only model Claude")


def test_constraints_ko_model_rules():
    used = doc(("평가 절차", "1. 평가자 모델로 GPT-4o를 사용합니다."))
    assert_fails(run("constraints_respected", used, ctx("ko", hospital_ko())), "GPT-4o")
    excluded = doc(("평가 절차", "1. GPT-4o는 클라우드 전용이라 제외합니다. 한국어 평가는 EXAONE 3.5 32B Instruct로 합니다."))
    assert_passes(run("constraints_respected", excluded, ctx("ko", hospital_ko())))


def test_constraints_flags_a_provider_fine_tuning_service():
    en = doc(("Fine-tuning", "Fine-tune the model through the OpenAI fine-tuning API on past replies."))
    assert_fails(run("constraints_respected", en, ctx("en", city_en())), "fine-tuning service")
    ko = doc(("파인 튜닝", "관리형 파인 튜닝 서비스로 한국어 퇴원 요약을 학습합니다."))
    assert_fails(run("constraints_respected", ko, ctx("ko", hospital_ko())), "fine-tuning service")


def test_constraints_flags_a_shared_answer_cache_for_personal_data():
    bad = doc(("Security and privacy", "- **Caching:** Use semantic caching to reuse answers to paraphrased questions."))
    assert_fails(run("constraints_respected", bad, ctx("en", city_en())), "caches answers across users", "semantic caching")
    scoped = doc(("Security and privacy", "- **Caching:** Cache answers per user session only, for one hour."))
    assert_passes(run("constraints_respected", scoped, ctx("en", city_en())))
    refused = doc(("Security and privacy", "- **Caching:** Do not cache answers across users; cache only retrieved policy passages."))
    assert_passes(run("constraints_respected", refused, ctx("en", city_en())))
    no_personal_data = doc(("Security and privacy", "- **Caching:** Use semantic caching to reuse answers to paraphrased questions."))
    assert_passes(run("constraints_respected", no_personal_data, ctx("en", retailer_en())))


def test_constraints_ko_answer_cache():
    bad = doc(("보안과 개인정보 보호", "- **캐싱:** 자주 반복되는 질문에는 응답 캐싱을 적용합니다. 한국어로 답합니다."))
    assert_fails(run("constraints_respected", bad, ctx("ko", hospital_ko())), "응답 캐싱")
    scoped = doc(("보안과 개인정보 보호", "- **캐싱:** 개인정보가 없는 병원 공지 답변에 한해 응답 캐시를 씁니다. 한국어로 답합니다."))
    assert_passes(run("constraints_respected", scoped, ctx("ko", hospital_ko())))


def test_constraints_flags_prompt_logging_without_masking():
    bad = doc(("Security and privacy", "- Log every prompt and response for the audit trail."))
    assert_fails(run("constraints_respected", bad, ctx("en", city_en())), "logs prompts without masking")
    masked = doc(("Security and privacy", "- Log every prompt after masking names and addresses."))
    assert_passes(run("constraints_respected", masked, ctx("en", city_en())))
    ko_bad = doc(("보안과 개인정보 보호", "- 모든 프롬프트를 로그로 저장합니다. 한국어로 답합니다."))
    assert_fails(run("constraints_respected", ko_bad, ctx("ko", hospital_ko())), "logs prompts without masking")
    ko_masked = doc(("보안과 개인정보 보호", "- 프롬프트는 개인정보를 마스킹한 뒤 저장합니다. 한국어로 답합니다."))
    assert_passes(run("constraints_respected", ko_masked, ctx("ko", hospital_ko())))


def test_constraints_requires_every_stated_language_to_be_served():
    # the document's own language is served by writing in it: a Korean plan need not say it serves Korean
    markdown = doc(("장단점", "- 원내 서버에서 모델을 운영합니다."))
    assert_passes(run("constraints_respected", markdown, ctx("ko", hospital_ko())))
    spanish = retailer_en(languages=["en", "es"], languages_default=False)
    english_only = doc(("Trade-offs", "- Answers in English."))
    assert_fails(run("constraints_respected", english_only, ctx("en", spanish)), "Spanish")
    served = doc(("Trade-offs", "- Answers in English and Spanish."))
    assert_passes(run("constraints_respected", served, ctx("en", spanish)))
    only_negated = doc(("Trade-offs", "- Models that do not support Spanish are not used."))
    assert_fails(run("constraints_respected", only_negated, ctx("en", spanish)), "Spanish")
    # the run's own language, assumed by default, is not a stated requirement
    assert_passes(run("constraints_respected", doc(("Trade-offs", "- Answers from the catalogue.")), ctx("en", retailer_en())))


# ------------------------------------------------------------------ 3. label_fits


def test_label_en_flags_a_metric_explained_by_something_else():
    bad = doc(("Selection factors", "- *Time saved per task* — why it matters: keep the embedding model fixed across evaluation runs"))
    assert_fails(run("label_fits", bad, ctx("en", retailer_en())), "'Time saved per task'", "embedding model")
    good = doc(("Selection factors", "- *Time saved per task* (minutes saved per product question) — why it matters: store staff return to customers sooner"))
    assert_passes(run("label_fits", good, ctx("en", retailer_en())))


def test_label_en_a_metric_shortened_to_its_target_explains_itself():
    """Fitted to a word limit, a catalogue metric keeps its name and target ('Weekly adoption: Target >= 70%'): that
    names what is measured. A target under a label that is not one of the figures' metrics explains nothing."""
    figures = {"targets": [{"metric": "Weekly adoption", "definition": "Share of the intended users who use the assistant weekly", "target": "≥ 70%"}]}
    short = doc(("Key metrics", "- **Business: Weekly adoption:** Target ≥ 70% (baseline: pilot; pilot only)."))
    assert_passes(run("label_fits", short, ctx("en", retailer_en(), figures=figures)))
    other = doc(("Key metrics", "- **Business: Warranty refunds:** Target ≥ 70% (baseline: pilot; pilot only)."))
    assert_fails(run("label_fits", other, ctx("en", retailer_en(), figures=figures)), "Warranty refunds")


def test_label_en_why_it_matters_may_speak_of_the_use_case_instead_of_the_metric():
    metric = "- *Groundedness* (share of claims backed by a cited source) — why it matters: "
    good = doc(("Selection factors", metric + "wrong warranty terms cost BrightWave refunds"))
    assert_passes(run("label_fits", good, ctx("en", retailer_en())))
    bad = doc(("Selection factors", metric + "repeat runs twice to check stability"))
    assert_fails(run("label_fits", bad, ctx("en", retailer_en())), "why it matters")


def test_label_en_bold_labels_and_their_synonyms():
    good = doc(("Security and privacy", "- **Load balancing:** Route requests to the replica with the shortest queue.\n- **Size:** 400, refreshed quarterly."))
    assert_passes(run("label_fits", good, ctx("en", retailer_en())))
    bad = doc(("Security and privacy", "- **Load balancing:** Keep prompts compatible across fallback models."))
    assert_fails(run("label_fits", bad, ctx("en", retailer_en())), "'Load balancing'")


def test_label_compliance_must_name_the_brief_regulation():
    regulated = city_en(regulations=["GDPR"])
    bad = doc(("Security and privacy", "- **Compliance:** Keep audit logs of every answer for a year."))
    assert_fails(run("label_fits", bad, ctx("en", regulated)), "'Compliance' names no regulation of the brief (GDPR)")
    good = doc(("Security and privacy", "- **Compliance:** Keep records of processing as GDPR Article 30 requires."))
    assert_passes(run("label_fits", good, ctx("en", regulated)))


def test_label_compliance_without_brief_regulations_must_still_name_a_law():
    bad = doc(("Security and privacy", "- **Compliance:** Define quality criteria such as accuracy and format compliance."))
    assert_fails(run("label_fits", bad, ctx("en", retailer_en())), "'Compliance' names no law or regulation")
    good = doc(("Security and privacy", "- **Compliance:** Follow the consumer protection law on warranty statements."))
    assert_passes(run("label_fits", good, ctx("en", retailer_en())))


def test_label_ko_compliance_without_brief_regulations_names_a_korean_law():
    unregulated = hospital_ko(regulations=[])
    good = doc(("보안과 개인정보 보호", "- **규정 준수:** 전자상거래법에 따라 보증 조건을 고지합니다."))
    assert_passes(run("label_fits", good, ctx("ko", unregulated)))
    bad = doc(("보안과 개인정보 보호", "- **규정 준수:** 점검 방법과 측정법을 정리합니다."))
    assert_fails(run("label_fits", bad, ctx("ko", unregulated)), "names no law or regulation")


def test_label_words_match_singular_and_plural_and_korean_particles():
    logs = doc(("Selection factors", "- **Audit logs:** Keep each log for a year."))
    assert_passes(run("label_fits", logs, ctx("en", retailer_en())))
    stems = doc(("Selection factors", "- **Evaluation cadence:** Models are evaluated before each release."))
    assert_passes(run("label_fits", stems, ctx("en", retailer_en())))
    versions = doc(("선택 요소", "- **이전 버전과의 차이:** 버전마다 바뀐 점을 적습니다."))
    assert_passes(run("label_fits", versions, ctx("ko", hospital_ko())))


def test_label_ko_compliance_and_tools():
    bad = doc(("보안과 개인정보 보호", "- **규정 준수:** 점검 결과를 문서로 남기고 법무 부서의 검토를 받습니다."))
    assert_fails(run("label_fits", bad, ctx("ko", hospital_ko())), "개인정보보호법")
    good = doc(("보안과 개인정보 보호", "- **규정 준수:** 개인정보 보호법과 의료법에 따라 진료 기록 접근 이력을 보관합니다."))
    assert_passes(run("label_fits", good, ctx("ko", hospital_ko())))
    tools_bad = doc(("보안과 개인정보 보호", "- **도구:** 평가 루브릭에는 점수마다 구체적인 판단 기준과 예시를 적습니다."))
    assert_fails(run("label_fits", tools_bad, ctx("ko", hospital_ko())), "'도구'")
    tools_good = doc(("보안과 개인정보 보호", "- **도구:** RAGAS로 충실성을 자동 측정합니다."))
    assert_passes(run("label_fits", tools_good, ctx("ko", hospital_ko())))


def test_label_ko_metric_why_it_matters():
    bad = doc(("선택 요소", "- *응답 지연 시간* (완전한 답변까지 걸리는 시간) — 중요한 이유: 평가 세트에서 정답 비율을 측정합니다."))
    assert_fails(run("label_fits", bad, ctx("ko", hospital_ko())), "'응답 지연 시간'")
    good = doc(("선택 요소", "- *응답 지연 시간* (완전한 답변까지 걸리는 시간) — 중요한 이유: 의료진이 환자 퇴원 전에 초안을 받아야 합니다."))
    assert_passes(run("label_fits", good, ctx("ko", hospital_ko())))


def test_label_ko_label_words_match_through_their_stem():
    # 호환성 (compatibility) is explained by 호환 (compatible): the derivational suffix goes
    good = doc(("보안과 개인정보 보호", "- **호환성 점검:** 기존 API와 호환되는지 확인합니다."))
    assert_passes(run("label_fits", good, ctx("ko", hospital_ko())))
    tolerant = doc(("보안과 개인정보 보호", "- **다양성:** 진료과마다 다양한 사례를 담습니다."))
    assert_passes(run("label_fits", tolerant, ctx("ko", hospital_ko())))


def test_label_kind_of_a_metric_is_checked():
    bad = doc(("Selection factors", "- **Business:** *Groundedness* — claims supported by a cited source"))
    assert_fails(run("label_fits", bad, ctx("en", retailer_en())), "is not a business item")
    good = doc(("Selection factors", "- **Technical:** *Groundedness* — claims supported by a cited source"))
    assert_passes(run("label_fits", good, ctx("en", retailer_en())))


def test_label_params_about_adds_synonyms():
    markdown = doc(("Selection factors", "- **Tone:** Keep the brand voice friendly and brief."))
    assert_fails(run("label_fits", markdown, ctx("en", retailer_en())), "'Tone'")
    assert_passes(run("label_fits", markdown, ctx("en", retailer_en()), about={"en": {"Tone": ["voice"]}}))


def test_label_use_case_specific_needs_the_brief_and_markers_are_not_explanation():
    bad = doc(("Selection factors", "- **Use-case specific** (key for this use case): Use a high-throughput serving engine."))
    ok, detail = run("label_fits", bad, ctx("en", retailer_en()))
    assert not ok and "key for this use case" not in detail, detail
    good = doc(("Selection factors", "- **Use-case specific:** Sync the product catalogue to the tablets every night."))
    assert_passes(run("label_fits", good, ctx("en", retailer_en())))


def test_label_it_team_is_matched_by_its_acronym():
    good = doc(("선택 요소", "- **IT 팀:** IT 담당자가 매주 회의를 엽니다."))
    assert_passes(run("label_fits", good, ctx("ko", hospital_ko())))


# ------------------------------------------------------------------ 4. steps_are_steps

FT_EN = """Fine-tune the recommended model on the city's own replies.

**Steps:**

1. Collect and label 2,000 past replies from civil servants.
2. Choose Mistral Small 3.1 (25.03) as the base model.
3. Configure QLoRA adapters (rank 16).
4. Train for three epochs on the city's GPU server.
5. Evaluate on 300 held-out complaints against the targets.
6. Deploy the adapter with vLLM behind the existing gateway.
"""

FT_KO = """권장 모델을 병원 자료로 파인 튜닝합니다.

**단계:**

1. 퇴원 요약 2,000건을 수집하고 비식별화합니다.
2. 기반 모델로 EXAONE 3.5 32B Instruct를 선정합니다.
3. QLoRA 어댑터 방식을 정합니다.
4. 원내 GPU 서버에서 3 에포크 동안 학습합니다.
5. 보류 세트 300건으로 평가합니다.
6. vLLM으로 원내 서버에 배포합니다.
"""


def test_steps_en_in_order_pass():
    assert_passes(run("steps_are_steps", doc(("Fine-tuning", FT_EN)), ctx("en", city_en()), sections=["fine_tuning"], order="fine_tuning"))


def test_steps_ko_in_order_pass():
    assert_passes(run("steps_are_steps", doc(("파인 튜닝", FT_KO)), ctx("ko", hospital_ko()), sections=["fine_tuning"], order="fine_tuning"))


def test_steps_en_risks_and_metrics_are_not_steps():
    items = [
        "Risk of overfitting on a small set.",
        "Recall@k of the retriever.",
        "Watch for catastrophic forgetting.",
        "Train the adapter.",
        "Avoid the temptation to over-train.",
        "Then, keep in mind the cost.",
        "Keep in mind the small data set.",
    ]
    markdown = doc(("Fine-tuning", "\n".join(f"{n}. {item}" for n, item in enumerate(items, 1))))
    assert_fails(
        run("steps_are_steps", markdown, ctx("en", city_en()), sections=["fine_tuning"]),
        "not actions: 1 \"Risk of overfitting",
        "2 \"Recall@k",
        "3 \"Watch for",
        "5 \"Avoid",
        "6 \"Then, keep in mind",
        "7 \"Keep in mind",
    )
    assert "4 \"Train" not in run("steps_are_steps", markdown, ctx("en", city_en()), sections=["fine_tuning"])[1]


def test_steps_ko_descriptions_are_not_steps():
    items = ["LoRA는 작은 어댑터만 학습하므로 빠르게 실험할 수 있습니다.", "키워드 검색이 유리합니다.", "과적합 위험"]
    items.append("위험: 데이터가 적으면 모델이 과하게 학습합니다.")
    markdown = doc(("파인 튜닝", "\n".join(f"{n}. {item}" for n, item in enumerate([*items, "퇴원 요약 초안을 평가합니다."], 1))))
    assert_fails(run("steps_are_steps", markdown, ctx("ko", hospital_ko()), sections=["fine_tuning"]), "1 \"LoRA는", "2 \"키워드", "3 \"과적합", "4 \"위험")


def test_steps_ko_list_style_noun_endings_are_actions():
    markdown = doc(("파인 튜닝", "1. 학습 데이터 수집\n2. 기반 모델 선정함\n3. 어댑터 학습하기"))
    assert_passes(run("steps_are_steps", markdown, ctx("ko", hospital_ko()), sections=["fine_tuning"]))


def test_steps_en_forms_of_an_action():
    markdown = doc(
        (
            "Fine-tuning",
            "1. First, collect 2,000 replies.\n2. Data preparation: remove names and addresses.\n"
            "3. Backfill the index with last year's complaints.\n4. Re-train it monthly.",
        )
    )
    assert_passes(run("steps_are_steps", markdown, ctx("en", city_en()), sections=["fine_tuning"]))


def test_steps_out_of_order_and_missing_are_named():
    swapped = FT_EN.replace("4. Train for three epochs", "4. Deploy a first cut").replace("6. Deploy the adapter", "6. Train the adapter")
    assert_fails(run("steps_are_steps", doc(("Fine-tuning", swapped)), ctx("en", city_en()), sections=["fine_tuning"], order="fine_tuning"), "out of order")
    short = "1. Collect 2,000 replies.\n2. Train for three epochs.\n3. Deploy it."
    assert_fails(
        run("steps_are_steps", doc(("Fine-tuning", short)), ctx("en", city_en()), sections=["fine_tuning"], order="fine_tuning"),
        "missing steps: base model, method (LoRA/QLoRA), evaluation",
    )
    assert_passes(run("steps_are_steps", doc(("Fine-tuning", short)), ctx("en", city_en()), sections=["fine_tuning"], order="fine_tuning", min_groups=3))
    ko = FT_KO.replace("6. vLLM으로 원내 서버에 배포합니다.", "").replace("1. 퇴원 요약 2,000건을 수집하고 비식별화합니다.", "1. vLLM으로 배포합니다.")
    result = run("steps_are_steps", doc(("파인 튜닝", ko)), ctx("ko", hospital_ko()), sections=["fine_tuning"], order="fine_tuning")
    assert_fails(result, "데이터 수집과 라벨링")


def test_steps_the_recommended_model_counts_as_the_base_model_step():
    markdown = "1. Collect 2,000 replies.\n2. Start from the recommended Gemma 3 27B IT.\n3. Configure LoRA adapters.\n4. Train it.\n5. Evaluate it.\n"
    markdown += "6. Ship it."
    assert_passes(run("steps_are_steps", doc(("Fine-tuning", markdown)), ctx("en", city_en()), sections=["fine_tuning"], order="fine_tuning"))


def test_steps_inline_order_groups():
    markdown = doc(("RAG", "1. Index the policies.\n2. Retrieve five passages."))
    order = {"en": [["retriev"], ["index"]], "ko": [["검색"], ["색인"]]}
    assert_fails(run("steps_are_steps", markdown, ctx("en", city_en()), sections=["rag"], order=order), "out of order")


def test_steps_a_step_section_without_numbered_steps_fails():
    markdown = doc(("Fine-tuning", "- Collect replies.\n- Train the adapter."))
    assert_fails(run("steps_are_steps", markdown, ctx("en", city_en()), sections=["fine_tuning"]), "Fine-tuning: no numbered steps")


def test_steps_default_scope_is_the_numbered_sections_and_blocks_of_the_spec():
    markdown = doc(("Evaluation process", "1. Risk of bias."), ("RAG", "1. Recall@k is low."), ("Trade-offs", "1. Risk of cost."))
    ok, detail = run("steps_are_steps", markdown, ctx("en", city_en()))
    assert not ok and "Evaluation process" in detail and "RAG" in detail and "Trade-offs" not in detail, detail


# ------------------------------------------------------------------ 5. no_foreign_words


def test_foreign_words_flags_english_filler_in_korean():
    markdown = doc(("문제 진술", "생성형 AI는 employees에게 근거 있는 답변을 몇 초 만에 제공합니다."))
    assert_fails(run("no_foreign_words", markdown, ctx("ko", hospital_ko())), "'employees'")


def test_foreign_words_allows_names_acronyms_units_and_glossary():
    markdown = doc(
        (
            "문제 진술",
            "LoRA와 QLoRA로 EXAONE 3.5 32B Instruct를 학습하고 vLLM으로 서빙합니다. p95 지연은 200 ms 이내, A100 두 장에서 운영하며 "
            "Kubernetes와 Kubernetes/helm, Prometheus로 모니터링합니다. DevOps 팀과 KTAS 기준을 따릅니다. 제공사는 LG AI Research입니다.",
        ),
        ("후보 모델 점수", "| 모델 | 제공사 |\n| --- | --- |\n| Mistral Large (24.11) | Mistral AI |\n| Qwen2.5 72B Instruct | Alibaba Cloud (Qwen) |"),
        ("평가 절차", "검색 증강 생성(retrieval-augmented generation)은 `config.yaml`에 적고 https://example.com/docs 를 참고합니다 [S1]."),
        ("보안과 개인정보 보호", "```\npip install ragas\n```\nRiverview의 의료진이 씁니다."),
        ("출처", "- [S1] Selecting Generative AI Use Cases — Writing a Problem Statement"),
    )
    assert_passes(run("no_foreign_words", markdown, ctx("ko", hospital_ko(org="Riverview 병원"))))


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("지연은 200 msec 이내입니다.", "'msec'"),
        ("Kubernetes-native 방식입니다.", "'Kubernetes-native'"),
        ("**Size:** 200건입니다.", "'Size'"),
        ("Riverview 병원입니다.", "'Riverview'"),
    ],
)
def test_foreign_words_each_rule_has_limits(text, word):
    assert_fails(run("no_foreign_words", doc(("문제 진술", text)), ctx("ko", hospital_ko())), word)


def test_foreign_words_reads_the_title_and_takes_an_allow_list():
    assert_fails(run("no_foreign_words", doc(("문제 진술", "의료진의 요약입니다."), title="Plan"), ctx("ko", hospital_ko())), "'Plan'")
    markdown = doc(("문제 진술", "Notion 페이지에 기록합니다."))
    assert_fails(run("no_foreign_words", markdown, ctx("ko", hospital_ko())), "'Notion'")
    assert_passes(run("no_foreign_words", markdown, ctx("ko", hospital_ko()), allow=["Notion"]))


def test_foreign_words_english_documents_pass():
    assert_passes(run("no_foreign_words", doc(("Problem statement", "Store staff and employees wait.")), ctx("en", retailer_en())))


def test_foreign_words_keep_the_clients_own_terms_of_an_english_use_case_planned_in_korean():
    brief = retailer_en()
    users = brief.users[0].value
    markdown = doc(("문제 진술", f"{users}이 매일 상품 정보를 찾느라 시간을 씁니다."))
    assert_passes(run("no_foreign_words", markdown, ctx("ko", brief)))
    assert_fails(run("no_foreign_words", doc(("문제 진술", f"{users}이 매일 employees 정보를 찾습니다.")), ctx("ko", brief)), "'employees'")


def test_a_large_number_counts_as_the_client_only_without_another_unit():
    brief = retailer_en(volumes=[Volume(what="stores", quantity=120, unit="stores", evidence=stated("more than 8,000 products"))])
    specific = doc(("Scalability", "Size the service for the 120 stores at peak."), title="Plan")
    generic = doc(("Scalability", "Keep latency under 120 ms at peak."), title="Plan")
    assert_passes(run("specific_to_use_case", specific, ctx("en", brief)))
    assert_fails(run("specific_to_use_case", generic, ctx("en", brief)), "Scalability")


def test_label_the_batch_fallback_and_the_customer_facing_lines_explain_their_labels():
    """Document 5's wording for a batch fallback and for an assistant that answers customers directly (both new this
    round) is about its label: a sound final draft must not fail the advisory label check."""
    fallback = "- **Fallback routing:** if Model A fails during a run, send the unfinished items to Model B, with prompts tested on both.\n"
    direct = "- **Use-case specific:** The assistant answers customers directly and hands a conversation to agents whenever the customer is unhappy."
    good = doc(("Scalability", fallback + direct))
    assert_passes(run("label_fits", good, ctx("en", retailer_en())))
    ko = doc(("확장성", "- **대체 경로:** 실행 중 모델 A가 멈추면 남은 항목을 두 모델에서 검증한 프롬프트로 모델 B에 보내고, 그 결과도 똑같이 검토합니다."))
    assert_passes(run("label_fits", ko, ctx("ko", retailer_en())))
