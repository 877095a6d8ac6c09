"""How the offline engine reads a use case: domain, users and data sensitivity from keywords."""

from __future__ import annotations

import re

DOMAIN_KEYWORDS: dict[str, list[str]] = {
    "retail": ["store", "retail", "shop", "product", "catalogue", "catalog", "warranty", "매장", "상품", "리테일", "쇼핑"],
    "healthcare": ["hospital", "clinic", "patient", "clinician", "nurse", "medical", "discharge", "병원", "환자", "의료", "퇴원", "간호"],
    "public_sector": ["city", "citizen", "government", "municipal", "ministry", "complaint", "civil servant", "시청", "민원", "시민", "공공", "공무원", "정부"],
    "banking": ["bank", "loan", "financial", "credit", "insurance", "kyc", "은행", "금융", "대출", "보험"],
    "legal": ["law firm", "lawyer", "legal", "contract", "litigation", "법률", "변호사", "계약서", "소송"],
    "customer_support": ["support", "chatbot", "helpdesk", "help centre", "help center", "ticket", "call centre", "contact centre", "고객 지원", "상담", "챗봇", "콜센터"],
}

DOMAIN_USERS: dict[str, dict[str, list[str]]] = {
    "retail": {"en": ["store staff", "store managers"], "ko": ["매장 직원", "매장 관리자"]},
    "healthcare": {"en": ["clinicians", "nurses", "patients"], "ko": ["의료진", "간호사", "환자"]},
    "public_sector": {"en": ["civil servants", "citizens"], "ko": ["공무원", "시민"]},
    "banking": {"en": ["relationship managers", "customers", "compliance officers"], "ko": ["상담사", "고객", "준법감시인"]},
    "legal": {"en": ["lawyers", "paralegals", "clients"], "ko": ["변호사", "패러리걸", "의뢰인"]},
    "customer_support": {"en": ["support agents", "customers"], "ko": ["상담원", "고객"]},
    "general": {"en": ["employees"], "ko": ["직원"]},
}

DOMAIN_QUERY: dict[str, dict[str, str]] = {
    "retail": {"en": "retail store staff product catalogue customers", "ko": "리테일 매장 직원 상품 카탈로그 고객"},
    "healthcare": {"en": "hospital clinicians patients clinical documentation", "ko": "병원 의료진 환자 의무 기록"},
    "public_sector": {"en": "public sector city hall citizens complaints civil servants", "ko": "공공 부문 시청 시민 민원 공무원"},
    "banking": {"en": "bank financial services customers compliance", "ko": "은행 금융 고객 규제 준법"},
    "legal": {"en": "law firm lawyers contracts confidentiality", "ko": "법률 사무소 변호사 계약서 비밀유지"},
    "customer_support": {"en": "customer support chatbot agents tickets escalation", "ko": "고객 지원 챗봇 상담원 문의 상담원 연결"},
    "general": {"en": "generative AI adoption organisation", "ko": "생성형 AI 도입 조직"},
}

SENSITIVE_WORDS = ["patient", "personal data", "privacy", "financial", "confidential", "환자", "개인정보", "민감", "금융"]


def detect_domain(text: str) -> str:
    """The domain whose keywords occur most often in `text` ('general' when none do)."""
    lowered = text.lower()
    scores = {
        domain: sum(len(re.findall(re.escape(k), lowered)) for k in keywords)
        for domain, keywords in DOMAIN_KEYWORDS.items()
    }
    best = max(scores, key=lambda d: scores[d])
    return best if scores[best] > 0 else "general"


def data_sensitivity(domain: str, text: str, on_premises: bool) -> str:
    """High for regulated domains, personal data or on-premises requirements."""
    lowered = text.lower()
    if domain in {"healthcare", "banking", "legal"} or on_premises or any(w in lowered for w in SENSITIVE_WORDS):
        return "high"
    return "medium" if domain in {"public_sector", "customer_support"} else "low"


def first_sentences(text: str, n: int) -> str:
    """The first `n` sentences of free text, whitespace collapsed."""
    text = re.sub(r"\s+", " ", text).strip()
    parts = re.split(r"(?<=[.!?])\s+|(?<=다\.)\s+", text)
    return " ".join(parts[:n]).strip()
