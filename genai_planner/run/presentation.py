"""A run's facts in the run's language, for the people who read report.html and the Word export.

Both deliverables show the same things (status words, the brief and its evidence, check
results, critiques) and must say them in the run's language. Words the code owns (statuses,
kinds, enumerations) come from `WORDS`. Text an engine wrote in another language (the
offline reviewer's critique and the checks' details are English templates) is rendered from
the structured data instead: `check_detail` translates the checks' detail templates, and
`critique_text` replaces a critique that is not in the run's language with a summary of the
same check results. Names (models, check ids, sources) stay as they are.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import ValidationError

from genai_planner.core import regex_cache
from genai_planner.documents.markdown import hangul_share
from genai_planner.planning.brief import Brief, Evidence
from genai_planner.planning.figures import Figures
from genai_planner.planning.lexicon import lexicon

WORDS: dict[str, dict[str, str]] = {
    "en": {
        # document and run statuses
        "passed": "passed", "failed": "failed", "not_done": "not done", "pending": "pending", "in_progress": "in progress",
        "completed": "completed", "completed_with_failures": "completed with failures", "interrupted": "interrupted",
        "awaiting_review": "awaiting review", "budget_exhausted": "budget exhausted", "error": "error", "running": "running",
        # iteration kinds and verdicts
        "draft": "draft", "revision": "revision", "human": "human revision", "consistency": "consistency revision",
        # human decisions
        "plan": "plan", "document": "document", "accept": "accepted", "revise": "sent back", "edit": "edited", "instruct": "instructions",
        "invalid": "invalid answer",
        # agents
        "planner": "planner", "researcher": "researcher", "writer": "writer", "reviewer": "reviewer",
        # evidence
        "stated": "stated", "scenario": "scenario", "inferred": "inferred", "default": "assumed",
        # brief enumerations
        "on_premises": "on premises", "private_cloud": "private cloud", "cloud_ok": "cloud allowed", "unspecified": "unspecified",
        "interactive": "interactive", "batch": "batch", "low": "low", "medium": "medium", "high": "high",
        "hour": "hour", "day": "day", "weekday": "weekday", "weekend_day": "weekend day", "week": "week", "month": "month", "year": "year",
        # hard-constraint names (Brief.hard_constraints)
        "data residency": "data residency", "languages": "languages", "monthly budget": "monthly budget", "hardware": "hardware",
        "regulation": "regulation", "latency": "latency",
        "business": "business", "technical": "technical", "brief": "brief", "pilot": "pilot",
        "yes": "yes", "no": "no",
    },
    "ko": {
        "passed": "통과", "failed": "실패", "not_done": "미완료", "pending": "대기", "in_progress": "진행 중",
        "completed": "완료", "completed_with_failures": "일부 실패로 완료", "interrupted": "중단됨",
        "awaiting_review": "검토 대기", "budget_exhausted": "예산 소진", "error": "오류", "running": "실행 중",
        "draft": "초안", "revision": "수정본", "human": "사람 요청 수정본", "consistency": "일관성 수정본",
        "plan": "계획", "document": "문서", "accept": "승인", "revise": "반려", "edit": "수정", "instruct": "지시", "invalid": "잘못된 응답",
        "planner": "기획", "researcher": "조사", "writer": "작성", "reviewer": "검토",
        "stated": "명시", "scenario": "시나리오", "inferred": "추론", "default": "가정",
        "on_premises": "온프레미스", "private_cloud": "프라이빗 클라우드", "cloud_ok": "클라우드 허용", "unspecified": "미지정",
        "interactive": "대화형", "batch": "일괄 처리", "low": "낮음", "medium": "보통", "high": "높음",
        "hour": "시간", "day": "일", "weekday": "평일 하루", "weekend_day": "주말 하루", "week": "주", "month": "월", "year": "년",
        "data residency": "데이터 위치", "languages": "언어", "monthly budget": "월 예산", "hardware": "하드웨어",
        "regulation": "규제", "latency": "지연 시간",
        "business": "비즈니스", "technical": "기술", "brief": "브리프", "pilot": "파일럿",
        "yes": "예", "no": "아니요",
    },
}

CATEGORY_NAMES = {  # rubric categories (planning.figures.CATEGORIES), as the documents name them
    "en": {"quality": "Quality", "cost": "Cost", "latency": "Latency", "privacy": "Privacy and hosting", "language": "Language support", "licence": "Licence"},
    "ko": {"quality": "품질", "cost": "비용", "latency": "지연 시간", "privacy": "보안과 호스팅", "language": "언어 지원", "licence": "라이선스"},
}

# Sector and task codes in Korean: the planning data's words (`planning/data/text.yaml`), so the
# report and the export name them as the figures and the documents do.
SECTORS_KO: dict[str, str] = dict(lexicon("text")["ko"]["sectors"])
TASKS_KO: dict[str, str] = dict(lexicon("text")["ko"]["tasks"])

# Units a brief counts in (Volume.unit, Baseline.unit: language-neutral English words) as Korean
# writes them after a number: counters for things, units for time. A unit already in Hangul stays.
UNITS_KO = {
    "people": "명", "users": "명", "items": "건", "requests": "건", "documents": "건", "calls": "통", "pages": "쪽", "episodes": "화",
    "pieces": "편", "books": "권", "copies": "부", "sites": "곳", "times": "회", "questions": "문항", "units": "대", "x": "배",
    "seconds": "초", "minutes": "분", "hours": "시간", "days": "일", "weeks": "주", "months": "개월", "years": "년",
}

FACT_LABELS = {
    "en": {
        "organisation": "Organisation", "summary": "Summary", "domain": "Domain", "sector": "Sector", "task_types": "Tasks",
        "inputs": "Inputs", "outputs": "Outputs", "users": "Users", "stakeholders": "Stakeholders", "volumes": "Volume",
        "baselines": "Baseline", "success_criteria": "Success criterion", "data_sensitivity": "Data sensitivity",
        "personal_data": "personal data", "peak": "peak", "conflicts": "Conflict", "assumed": "Assumed",
    },
    "ko": {
        "organisation": "기관", "summary": "요약", "domain": "도메인", "sector": "업종", "task_types": "작업 유형",
        "inputs": "입력", "outputs": "출력", "users": "사용자", "stakeholders": "이해관계자", "volumes": "처리량",
        "baselines": "현재 수준", "success_criteria": "성공 기준", "data_sensitivity": "데이터 민감도",
        "personal_data": "개인정보 포함", "peak": "최대", "conflicts": "충돌", "assumed": "가정",
    },
}


def lang_of(manifest: dict[str, Any]) -> str:
    """The run's language, 'en' for anything unknown."""
    return manifest.get("language") if manifest.get("language") in WORDS else "en"


def word(key: Any, language: str) -> str:
    """The run-language word for a status, kind, action or enumeration value (the key itself when unknown)."""
    if key is None:
        return "—"
    text = str(key)
    if language == "ko":
        text = WORDS["ko"].get(text) or SECTORS_KO.get(text) or TASKS_KO.get(text) or text
        return text
    return WORDS["en"].get(text, text.replace("_", " "))


def unit_word(unit: str, language: str, *, counter: bool = False) -> str:
    """A brief unit in the run's language: Korean counters and time units ('people' -> '명', 'minutes' -> '분').

    With `counter`, a unit Korean has no counter for (a noun from English prose, 'stores') counts as '건'.
    """
    if language != "ko" or hangul_share(unit) >= 0.5:
        return unit
    return UNITS_KO.get(unit) or ("건" if counter else unit)


def language_names(codes: list[str], language: str) -> str:
    """'ko, en' as 'Korean, English' / '한국어, 영어' (the planning data's language names; unknown codes stay)."""
    names = lexicon("text")[language if language in WORDS else "en"]["languages"]
    return ", ".join(str(names.get(code, code)) for code in codes)


def in_language(text: str, language: str) -> bool:
    """Whether `text` reads as the run's language (Korean: mostly Hangul)."""
    if language == "ko":
        return hangul_share(text) >= 0.5
    return hangul_share(text) < 0.5


# --- check details, reasons and critiques --------------------------------------------------

_KIND_KO = {"list items": "목록 항목", "numbered steps": "번호 단계", "checklist items": "체크리스트 항목", "document": "문서 전체"}

# (pattern, Korean template, group names whose value is itself a translatable detail)
_DETAILS_KO: list[tuple[re.Pattern[str], str, tuple[str, ...]]] = [
    (regex_cache.compile(p), t, nested)
    for p, t, nested in [
        (r"all (?P<n>\d+) sections present", "섹션 {n}개 모두 있음", ()),
        (r"missing sections: (?P<x>.+)", "누락된 섹션: {x}", ()),
        (r"the document has no '# ' title line", "'# ' 제목 줄이 없음", ()),
        (r"expected exactly one '# ' title, found (?P<n>\d+)", "'# ' 제목이 하나여야 하는데 {n}개", ()),
        (r"a code fence \(```\) is not closed", "코드 블록(```)이 닫히지 않음", ()),
        (r"table in (?P<s>'.+?') has rows with different column counts (?P<x>.+)", "{s} 표의 행마다 열 수가 다름 {x}", ()),
        (r"Markdown parses", "마크다운 구문 정상", ()),
        (r"section (?P<s>'.+?') is missing", "{s} 섹션이 없음", ()),
        (r"(?P<s>\S+) has (?P<n>\d+) words, limit (?P<l>\d+): shorten it by (?P<d>\d+)", "{s}: {n}어절, 한도 {l}어절 — {d}어절 줄여야 함", ()),
        (r"(?P<n>\d+) words \(limit (?P<l>\d+)\)", "{n}어절 (한도 {l})", ()),
        (r"(?P<s>\S+) has (?P<n>\d+) (?P<k>list items|numbered steps), expected exactly (?P<c>\d+)", "{s}: {k} {n}개, 정확히 {c}개 필요", ()),
        (r"(?P<s>\S+) has (?P<n>\d+) (?P<k>list items|numbered steps), expected at least (?P<c>\d+)", "{s}: {k} {n}개, 최소 {c}개 필요", ()),
        (r"(?P<n>\d+) (?P<k>list items|numbered steps)", "{k} {n}개", ()),
        (r"(?P<s>\S+) does not mention: (?P<x>.+)", "{s}에 언급 없음: {x}", ()),
        (r"mentions (?P<x>.+)", "언급함: {x}", ()),
        (r"(?P<s>\S+) has (?P<n>\d+) checklist items \('- \[ \] \.\.\.'\), expected at least (?P<c>\d+)", "{s}: 체크리스트 항목 {n}개, 최소 {c}개 필요", ()),
        (r"(?P<n>\d+) checklist items", "체크리스트 항목 {n}개", ()),
        (r"(?P<s>\S+) has no Markdown table \(header \| rows\)", "{s}에 마크다운 표가 없음", ()),
        (r"(?P<s>\S+) table has no 'Weight' column", "{s} 표에 가중치 열이 없음", ()),
        (r"(?P<s>\S+) table has a weight that is not a number", "{s} 표에 숫자가 아닌 가중치가 있음", ()),
        (r"(?P<s>\S+) table has (?P<n>\d+) categories, expected at least (?P<c>\d+)", "{s} 표: 평가 항목 {n}개, 최소 {c}개 필요", ()),
        (r"(?P<s>\S+) weights add up to (?P<t>[\d.]+), expected (?P<e>[\d.]+)", "{s} 가중치 합계 {t}, {e}이어야 함", ()),
        (r"(?P<n>\d+) categories, weights add up to (?P<t>[\d.]+)", "평가 항목 {n}개, 가중치 합계 {t}", ()),
        (r"(?P<s>\S+) has no Markdown table of candidates", "{s}에 후보 모델 표가 없음", ()),
        (r"candidate (?P<m>'.+') is not in the model catalog", "후보 {m}이(가) 모델 카탈로그에 없음", ()),
        (r"candidate excluded by a hard constraint: (?P<r>.+)", "필수 제약으로 제외된 후보: {r}", ("r",)),
        (r"(?P<s>\S+) scores (?P<n>\d+) candidates, expected at least (?P<c>\d+)", "{s}: 후보 {n}개 채점, 최소 {c}개 필요", ()),
        (r"(?P<n>\d+) catalog candidates scored", "카탈로그 후보 {n}개 채점", ()),
        (r"no (?P<l>'.+') line", "{l} 줄이 없음", ()),
        (r"(?P<m>'.+') is not a model in the catalog", "{m}은(는) 카탈로그에 없는 모델", ()),
        (r"recommendation breaks a hard constraint: (?P<r>.+)", "권장 모델이 필수 제약을 어김: {r}", ("r",)),
        (r"no runner-up named", "차선 모델이 없음", ()),
        (r"recommends (?P<a>.+) \(runner-up (?P<b>.+)\)", "권장 {a} (차선 {b})", ()),
        (r"cites sources the research log does not contain: (?P<x>.+)", "조사 기록에 없는 출처 인용: {x}", ()),
        (r"sections with research but no citation: (?P<x>.+)", "조사했지만 인용이 없는 섹션: {x}", ()),
        (r"(?P<n>\d+) sources cited, all in the research log", "출처 {n}개 인용, 모두 조사 기록에 있음", ()),
        (r"not predominantly (?P<l>\S+): (?P<x>.+)", "주로 {l}로 작성되지 않음: {x}", ()),
        (r"every section is in (?P<l>'.+')", "모든 섹션이 {l}로 작성됨", ()),
        (r"no (?P<d>'.+') decision recorded; nothing to match", "{d} 결정이 기록되지 않아 비교할 것이 없음", ()),
        (r"does not name the (?P<d>.+?) (?P<v>'.+') from document 2", "문서 2의 {v}을(를) 언급하지 않음", ()),
        (r"names (?P<v>'.+')", "{v} 언급", ()),
        (r"names models document 2 did not recommend: (?P<x>.+)", "문서 2가 권장하지 않은 모델 언급: {x}", ()),
        (r"no other catalog model named", "다른 카탈로그 모델 언급 없음", ()),
        (r"does not cover document 1's key metrics: (?P<x>.+)", "문서 1의 핵심 지표를 다루지 않음: {x}", ()),
        (r"covers all (?P<n>\d+) key metrics of document 1", "문서 1의 핵심 지표 {n}개를 모두 다룸", ()),
        (r"contradicts a hard constraint: (?P<r>.+)", "필수 제약과 모순: {r}", ("r",)),
        (r"respects the hard constraints", "필수 제약을 지킴", ()),
        # last: these match the tail of the wrapping templates above
        (r"(?P<m>.+) cannot run on-premises", "{m}: 온프레미스로 운영할 수 없음", ()),
        (r"(?P<m>.+) does not support language (?P<l>'.+')", "{m}: 언어 {l} 미지원", ()),
        (r"unknown check type (?P<t>.+)", "알 수 없는 검사 유형 {t}", ()),
        (r"check crashed: (?P<x>.+)", "검사 실행 오류: {x}", ()),
        (r"checks still failing after (?P<n>\d+) revisions?: (?P<x>.+)", "수정 {n}회 후에도 실패한 검사: {x}", ()),
        (r"revision (?P<n>\d+) is identical to the draft before it, so the loop stopped; still failing: (?P<x>.+)",
         "{n}번째 수정본이 직전 초안과 같아 수정을 멈춤; 여전히 실패한 검사: {x}", ()),
        (r"consistency checks still failing: (?P<x>.+)", "여전히 실패한 일관성 검사: {x}", ()),
        # why a run stopped (runner.py, models/calls.py)
        (r"waiting for a person's review; resume to answer", "사람의 검토를 기다리는 중입니다. 재개하여 답하십시오", ()),
        (r"stopped by the user", "사용자가 중단함", ()),
        (r"token budget spent \((?P<a>\d+) of (?P<b>\d+)\)", "토큰 예산 소진 ({b} 중 {a})", ()),
        (r"cost budget spent \((?P<a>\$[\d.]+) of (?P<b>\$[\d.]+)\)", "비용 예산 소진 ({b} 중 {a})", ()),
    ]
]


def check_detail(detail: Any, language: str) -> str:
    """A check's detail (or a document's failure reason) in the run's language.

    Args:
        detail: The English detail the check wrote.
        language: The run's language.

    Returns:
        The detail itself for English runs or text already in the run's language; for Korean,
        the translated template with names and numbers kept, or the detail unchanged when no
        template matches.
    """
    text = "" if detail is None else str(detail)
    if language != "ko" or not text or in_language(text, language):
        return text
    for pattern, template, nested in _DETAILS_KO:
        match = pattern.fullmatch(text)
        if match:
            values = {k: (check_detail(v, language) if k in nested else _KIND_KO.get(v, v)) for k, v in match.groupdict().items()}
            return template.format(**values)
    return text


def critique_text(critique: Any, checks: list[dict[str, Any]], language: str) -> str:
    """The reviewer's critique when it is in the run's language; otherwise a summary of the same check results.

    Args:
        critique: What the reviewer wrote.
        checks: The iteration's check results (`id`, `passed`, `detail`).
        language: The run's language.

    Returns:
        Text in the run's language.
    """
    text = "" if critique is None else str(critique)
    if text and in_language(text, language):
        return text
    failed = [str(c.get("id")) for c in checks if not c.get("passed")]
    if language == "ko":
        if not checks:
            return "검사 결과가 없습니다."
        if not failed:
            return f"검사 {len(checks)}개를 모두 통과했습니다."
        return f"검사 {len(failed)}개 실패: {', '.join(failed)}. 다시 제출하기 전에 각각 해결해야 합니다."
    return text


# --- the brief ------------------------------------------------------------------------------


def load_brief(manifest: dict[str, Any]) -> Brief | None:
    """The run's `Brief` from manifest.json (None for older runs, or when it does not validate)."""
    try:
        return Brief.model_validate(manifest["brief"]) if manifest.get("brief") else None
    except ValidationError:
        return None


def load_figures(manifest: dict[str, Any]) -> Figures | None:
    """The run's `Figures` from manifest.json (None for older runs, or when it does not validate)."""
    try:
        return Figures.model_validate(manifest["figures"]) if manifest.get("figures") else None
    except ValidationError:
        return None


def evidence_text(evidence: Evidence, language: str) -> str:
    """'stated: “quote”', 'scenario: constraints', 'inferred: reason' in the run's language."""
    label = word(evidence.source, language)
    if evidence.source == "stated" and evidence.quote:
        return f"{label}: “{evidence.quote}”"
    reason = evidence.reason or ""
    field = re.fullmatch(r"scenario field '(.+)'", reason)
    if field:
        name = field.group(1)
        reason = str(lexicon("text")[language if language in WORDS else "en"]["scenario_fields"].get(name, f"field '{name}'"))
    return f"{label}: {reason}" if reason else label


def constraint_rows(brief: Brief, language: str) -> list[tuple[str, str, str]]:
    """(constraint, value, evidence) for every hard constraint, in the run's language."""
    rows = []
    for name, value, evidence in brief.hard_constraints():
        shown = word(value, language) if name in {"data residency", "latency"} else value
        if name == "languages":
            shown = language_names(brief.constraints.languages.value, language)
        rows.append((word(name, language), shown, evidence_text(evidence, language)))
    return rows


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,g}"


def _volume(what: str, quantity: float, unit: str, language: str) -> str:
    """'1,200 requests citizen complaints', '8,000 products' / '환자 300명': the count with its unit, and what is counted."""
    if language == "ko":
        amount = f"{_number(quantity)}{unit_word(unit, language, counter=True)}"
        return amount if what in ("건", "items") else f"{what} {amount}"
    return f"{_number(quantity)} {what}" if what == unit or what.endswith(f" {unit}") else f"{_number(quantity)} {unit} {what}"


def fact_rows(brief: Brief, language: str) -> list[tuple[str, str, str]]:
    """(fact, value, evidence) for everything else the brief holds, in a stable order."""
    f = FACT_LABELS[language]
    per = {"en": " per ", "ko": " / "}[language]
    rows = [
        (f["organisation"], brief.organisation.value, evidence_text(brief.organisation.evidence, language)),
        (f["summary"], brief.summary, ""),
        (f["domain"], brief.domain, ""),
        (f["sector"], word(brief.sector.value, language), evidence_text(brief.sector.evidence, language)),
        (f["task_types"], ", ".join(word(t, language) for t in brief.task_types), ""),
    ]
    for key in ("inputs", "outputs", "users", "stakeholders", "success_criteria"):
        rows += [(f[key], t.value, evidence_text(t.evidence, language)) for t in getattr(brief, key)]
    for v in brief.volumes:
        amount = _volume(v.what, v.quantity, v.unit, language) + (f"{per}{word(v.per, language)}" if v.per else "") + (f" ({f['peak']})" if v.peak else "")
        rows.append((f["volumes"], amount, evidence_text(v.evidence, language)))
    for b in brief.baselines:
        unit = unit_word(b.unit, language)
        value = f"{_number(b.value)}{unit}" if language == "ko" else f"{_number(b.value)} {unit}"
        rows.append((f["baselines"], f"{b.metric}: {value}", evidence_text(b.evidence, language)))
    s = brief.data_sensitivity
    rows.append((f["data_sensitivity"], word(s.value, language) + (f" ({f['personal_data']})" if s.personal_data else ""), evidence_text(s.evidence, language)))
    rows += [(f["conflicts"], c, "") for c in brief.conflicts]
    return rows


def category_name(key: str, language: str) -> str:
    """A rubric category's display name in the run's language."""
    return CATEGORY_NAMES.get(language, CATEGORY_NAMES["en"]).get(key, key)
