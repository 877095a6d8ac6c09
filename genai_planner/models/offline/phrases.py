"""The offline engine's own wording, in English and Korean.

Facts come from the findings; these phrases only join them to the use case.
"""

from __future__ import annotations

PHRASES: dict[str, dict[str, str]] = {
    "en": {
        "problem_intro": "{org}: {challenge}",
        "opportunity": "Generative AI gives {users} grounded answers and drafts in seconds, so {benefit}",
        "benefit": "time goes back to the work that needs a person.",
        "criteria": "We selected this use case for its clear value to {users}, data we already hold, and risks we can control with human review.",
        "readiness": "Readiness: sponsorship and source data exist; a pilot with {users} builds the skills and governance still missing.",
        "intro_model": "These points apply to running {model} for {users}.",
        "ft_intro": "Fine-tune {model} with LoRA adapters: data preparation, training and evaluation on real {domain} examples.",
        "rag_intro": "RAG retrieves approved passages and hands them to {model}, so answers for {users} stay grounded and current.",
        "pe_intro": "Prompt engineering gives {model} a versioned system prompt, worked examples and a fixed output format.",
        "other_intro": "Guardrails, routing and feedback loops keep {model} safe and affordable for {users}.",
        "steps": "Steps",
        "considerations": "Considerations",
        "challenges": "Challenges",
        "scoring": "Scoring: each category is scored from 1 (poor) to 5 (excellent); the weighted score is the sum of score × weight / 100, and a tie goes to the cheaper option.",
        "rec_label": "Recommended model",
        "runner_label": "Runner-up",
        "rec_reason": "{model} has the highest weighted score ({score:.2f}) among candidates that meet every hard constraint; {runner} ({runner_score:.2f}) is the fallback if the pilot misses its targets.",
        "key": "key for this use case",
        "checklist_model": "Confirm the approved {model} version, its licence and its hosting location.",
        "why": "why it matters",
        "metric_fallback": "track it monthly against a baseline agreed with {users}",
        "candidates_header": "| Model | Provider | {categories} | Weighted score |",
        "rubric_header": "| Category | Criteria | Weight (%) |",
    },
    "ko": {
        "problem_intro": "{org}: {challenge}",
        "opportunity": "생성형 AI는 {users}에게 근거 있는 답변과 초안을 몇 초 만에 제공하여 {benefit}",
        "benefit": "사람의 판단이 필요한 업무에 시간을 돌려줍니다.",
        "criteria": "이 사용 사례는 {users}에게 주는 가치가 분명하고, 이미 보유한 데이터를 활용할 수 있으며, 사람의 검토로 위험을 통제할 수 있어 선정했습니다.",
        "readiness": "준비도: 경영진 후원과 원천 데이터는 갖추었으며, {users}와 함께하는 파일럿으로 부족한 역량과 거버넌스를 보완합니다.",
        "intro_model": "아래 사항은 {users}를 위해 {model} 모델을 운영할 때 적용합니다.",
        "ft_intro": "{model} 모델을 LoRA 어댑터로 파인 튜닝합니다: 데이터 준비, 학습, 평가를 실제 {domain} 사례로 진행합니다.",
        "rag_intro": "검색 증강 생성은 승인된 문서를 검색하여 {model} 모델에 전달하므로 {users}에게 주는 답변이 근거 있고 최신 상태로 유지됩니다.",
        "pe_intro": "프롬프트 엔지니어링으로 {model} 모델에 버전 관리되는 시스템 프롬프트, 예시, 고정된 출력 형식을 제공합니다.",
        "other_intro": "가드레일, 모델 라우팅, 피드백 순환으로 {users}를 위한 {model} 모델을 안전하고 경제적으로 운영합니다.",
        "steps": "단계",
        "considerations": "고려 사항",
        "challenges": "과제",
        "scoring": "채점 방식: 각 항목을 1점(미흡)에서 5점(우수)으로 평가하고, 가중 점수는 점수와 가중치를 곱한 값의 합을 100으로 나눈 값이며, 동점이면 비용이 낮은 모델을 택합니다.",
        "rec_label": "권장 모델",
        "runner_label": "차선 모델",
        "rec_reason": "{model} 모델은 모든 필수 제약을 충족하는 후보 중 가중 점수가 가장 높습니다({score:.2f}). 파일럿 목표에 미달하면 {runner} 모델({runner_score:.2f})로 전환합니다.",
        "key": "이 사용 사례의 핵심",
        "checklist_model": "승인된 {model} 모델 버전, 라이선스, 호스팅 위치를 확인합니다.",
        "why": "중요한 이유",
        "metric_fallback": "{users}와 합의한 기준선 대비 매월 추적합니다",
        "candidates_header": "| 모델 | 제공사 | {categories} | 가중 점수 |",
        "rubric_header": "| 평가 항목 | 기준 | 가중치(%) |",
    },
}

DOMAIN_NAMES: dict[str, dict[str, str]] = {
    "en": {
        "retail": "retail", "healthcare": "clinical", "public_sector": "public-service", "banking": "banking",
        "legal": "legal", "customer_support": "customer-support", "general": "business",
    },
    "ko": {
        "retail": "리테일", "healthcare": "의료", "public_sector": "공공 서비스", "banking": "금융",
        "legal": "법률", "customer_support": "고객 지원", "general": "업무",
    },
}

# (name, kind, short definition, keywords that find an explanation in the findings)
TECHNICAL_METRICS: dict[str, list[tuple[str, str, list[str]]]] = {
    "en": [
        ("Answer accuracy", "share of answers judged correct on the test set", ["accura", "correct"]),
        ("Groundedness", "share of claims supported by a cited source", ["ground", "faithful", "support"]),
        ("Response latency (p95)", "95th-percentile time to a complete answer", ["latency", "p95", "time"]),
        ("Hallucination rate", "share of answers with unsupported claims", ["hallucinat"]),
    ],
    "ko": [
        ("답변 정확도", "테스트 세트에서 정답으로 판정된 답변의 비율", ["정확"]),
        ("근거성", "인용된 출처로 뒷받침되는 주장의 비율", ["근거", "충실"]),
        ("응답 지연 시간", "완전한 답변까지 걸리는 95번째 백분위 시간", ["지연", "응답 시간"]),
        ("환각률", "근거 없는 내용이 포함된 답변의 비율", ["환각"]),
    ],
}

BUSINESS_METRICS: dict[str, dict[str, list[tuple[str, str, list[str]]]]] = {
    "en": {
        "retail": [("Time to answer a customer", "minutes from question to answer on the shop floor", ["time"]), ("Staff adoption rate", "share of staff using the assistant weekly", ["adoption"])],
        "healthcare": [("Documentation time saved", "minutes saved per summary", ["time", "saved"]), ("Clinician adoption rate", "share of clinicians using drafts weekly", ["adoption"])],
        "public_sector": [("Reply turnaround time", "days from complaint to reply", ["time", "turnaround"]), ("Citizen satisfaction", "survey score after each reply", ["satisfaction"])],
        "banking": [("Cost per interaction", "total cost divided by handled requests", ["cost"]), ("Customer satisfaction", "survey score after each interaction", ["satisfaction"])],
        "legal": [("Review hours saved", "lawyer hours saved per matter", ["hour", "time"]), ("Lawyer adoption rate", "share of lawyers using the tool weekly", ["adoption"])],
        "customer_support": [("First-contact resolution rate", "share of chats solved without a handover", ["resolution"]), ("Customer satisfaction (CSAT)", "post-chat survey score", ["satisfaction", "csat"])],
        "general": [("Time saved per task", "minutes saved per task", ["time"]), ("Adoption rate", "share of users active weekly", ["adoption"])],
    },
    "ko": {
        "retail": [("고객 응대 시간", "매장에서 질문부터 답변까지 걸리는 시간", ["시간"]), ("직원 도입률", "매주 도우미를 쓰는 직원의 비율", ["도입"])],
        "healthcare": [("문서 작성 절감 시간", "요약지 한 건당 줄어든 작성 시간", ["시간", "절감"]), ("의료진 도입률", "매주 초안을 활용하는 의료진의 비율", ["도입"])],
        "public_sector": [("민원 회신 소요 시간", "민원 접수부터 회신까지의 일수", ["시간", "처리"]), ("시민 만족도", "회신 후 설문 점수", ["만족"])],
        "banking": [("건당 비용", "처리한 요청 한 건당 총비용", ["비용"]), ("고객 만족도", "상담 후 설문 점수", ["만족"])],
        "legal": [("검토 절감 시간", "사건당 줄어든 변호사 검토 시간", ["시간"]), ("변호사 도입률", "매주 도구를 쓰는 변호사의 비율", ["도입"])],
        "customer_support": [("첫 응대 해결률", "상담원 연결 없이 해결된 문의의 비율", ["해결"]), ("고객 만족도", "상담 후 설문 점수", ["만족"])],
        "general": [("작업당 절감 시간", "작업 한 건당 줄어든 시간", ["시간"]), ("도입률", "매주 활동하는 사용자의 비율", ["도입"])],
    },
}

SELECTION_FACTORS: dict[str, list[tuple[str, str, list[str]]]] = {
    # (factor name, id used to decide highlighting, keywords)
    "en": [
        ("Task quality", "quality", ["quality", "accura", "benchmark"]),
        ("Cost", "cost", ["cost", "price", "token"]),
        ("Latency", "latency", ["latency", "speed", "fast"]),
        ("Data privacy and hosting", "privacy", ["privacy", "host", "premises", "data"]),
        ("Language support", "language", ["language", "multilingual"]),
    ],
    "ko": [
        ("작업 품질", "quality", ["품질", "정확", "벤치마크"]),
        ("비용", "cost", ["비용", "가격", "토큰"]),
        ("지연 시간", "latency", ["지연", "속도"]),
        ("데이터 보안과 호스팅", "privacy", ["보안", "호스팅", "온프레미스", "데이터"]),
        ("언어 지원", "language", ["언어", "한국어", "다국어"]),
    ],
}

RUBRIC_CATEGORIES: dict[str, dict[str, tuple[str, str]]] = {
    "en": {
        "quality": ("Quality", "Accuracy and groundedness on our task sample; instruction following"),
        "cost": ("Cost", "Price per million tokens or hosting cost at expected volume"),
        "latency": ("Latency", "p95 time to a full answer under expected load"),
        "privacy": ("Privacy & hosting", "Where data is processed; on-premises or regional hosting; data-use terms"),
        "language": ("Language support", "Quality in the users' languages"),
        "licence": ("Licence", "Commercial use allowed; obligations and restrictions"),
    },
    "ko": {
        "quality": ("품질", "업무 표본에서의 정확도와 근거성, 지시 이행"),
        "cost": ("비용", "예상 사용량 기준 백만 토큰당 가격 또는 호스팅 비용"),
        "latency": ("지연 시간", "예상 부하에서 전체 답변까지의 p95 시간"),
        "privacy": ("보안과 호스팅", "데이터 처리 위치, 온프레미스 또는 지역 호스팅, 데이터 사용 조건"),
        "language": ("언어 지원", "사용자 언어에서의 품질"),
        "licence": ("라이선스", "상업적 이용 가능 여부와 제약 사항"),
    },
}

TECHNIQUES: dict[str, list[tuple[str, list[str]]]] = {
    "en": [
        ("Retrieval-augmented generation", ["retriev", "rag", "ground"]),
        ("Prompt engineering", ["prompt", "example", "instruction"]),
        ("Fine-tuning with LoRA", ["fine-tun", "lora", "adapter"]),
        ("Guardrails and output validation", ["guardrail", "validat", "filter"]),
        ("Human feedback loop", ["feedback", "review", "human"]),
    ],
    "ko": [
        ("검색 증강 생성", ["검색", "근거"]),
        ("프롬프트 엔지니어링", ["프롬프트", "예시", "지시"]),
        ("LoRA 파인 튜닝", ["파인 튜닝", "어댑터", "미세"]),
        ("가드레일과 출력 검증", ["가드레일", "검증", "필터"]),
        ("사람 피드백 반영", ["피드백", "검토", "사람"]),
    ],
}
