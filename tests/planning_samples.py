"""Hand-built Brief and Figures for the electronics-store (en) and hospital (ko) scenarios.

The runner does not put them into manifest.json yet; these let the export and report tests
exercise the `brief` and `figures` keys with the real pydantic models before it does.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from genai_planner.planning.brief import (
    Baseline,
    Brief,
    BriefConstraints,
    Budget,
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
from genai_planner.planning.figures import Assumption, Capacity, Cost, Figures, Gate, GpuFit, Score, Target, Weight


def sample_brief(language: str) -> Brief:
    """The brief a planner would produce for the shipped scenario in `language`."""
    if language == "ko":
        return Brief(
            organisation=Text(value="한빛대학병원", evidence=from_scenario("organisation")),
            summary="전자의무기록을 바탕으로 퇴원 요약 초안과 환자 안내문을 만든다.",
            domain="병원 퇴원 기록",
            sector=SectorFact(value="healthcare", evidence=inferred("병원과 환자 진료 기록을 다룬다")),
            task_types=["summarisation", "drafting"],
            inputs=[Text(value="EMR 진료 기록과 검사 결과", evidence=stated("전자의무기록(EMR)의 진료 기록과 검사 결과"))],
            outputs=[Text(value="퇴원 요약 초안", evidence=stated("퇴원 요약 초안을 만들고"))],
            users=[Text(value="의료진", evidence=stated("의료진은 퇴원 요약지를 작성하는 데"))],
            stakeholders=[Text(value=s, evidence=from_scenario("stakeholders")) for s in ("병원 경영진", "의료진", "의료정보팀", "환자")],
            volumes=[Volume(what="퇴원 환자", quantity=300, unit="명", per="day", evidence=stated("하루 300명의 환자가 퇴원합니다"))],
            baselines=[Baseline(metric="요약지 작성 시간", value=25, unit="분", evidence=stated("환자 한 명당 평균 25분"))],
            data_sensitivity=SensitivityFact(value="high", personal_data=True, evidence=inferred("환자 진료 기록은 민감 정보")),
            constraints=BriefConstraints(
                data_residency=ResidencyFact(value="on_premises", evidence=stated("환자 정보는 병원 내부 서버를 벗어나면 안 됩니다")),
                languages=LanguagesFact(value=["ko"], evidence=from_scenario("constraints.languages")),
                regulations=[
                    Regulation(name="개인정보보호법", evidence=inferred("환자 개인정보를 처리한다")),
                    Regulation(name="의료법", evidence=inferred("의무기록을 다룬다")),
                ],
                latency=LatencyFact(value="batch", evidence=default("퇴원 전에 초안이 있으면 된다")),
            ),
        )
    return Brief(
        organisation=Text(value="BrightWave Electronics", evidence=from_scenario("organisation")),
        summary="A product assistant on staff tablets that answers product, stock and warranty questions from our own catalogue.",
        domain="electronics retail",
        sector=SectorFact(value="retail", evidence=stated("BrightWave Electronics runs 120 stores")),
        task_types=["question_answering", "search"],
        inputs=[Text(value="product catalogue and policy documents", evidence=stated("grounded in our own catalogue and policy documents"))],
        outputs=[Text(value="grounded answers for staff", evidence=stated("answers product questions"))],
        users=[Text(value="store staff", evidence=stated("Store staff spend a large part of their shifts"))],
        stakeholders=[Text(value=s, evidence=from_scenario("stakeholders")) for s in ("store managers", "sales staff", "IT operations", "executives")],
        volumes=[Volume(what="products", quantity=8000, unit="items", evidence=stated("more than 8,000 products"))],
        baselines=[],
        data_sensitivity=SensitivityFact(value="low", evidence=inferred("product data is not personal data")),
        constraints=BriefConstraints(
            data_residency=ResidencyFact(value="cloud_ok", evidence=default("nothing says the data must stay in-house")),
            languages=LanguagesFact(value=["en"], evidence=default("the scenario's language")),
            monthly_budget=Budget(value=Money(amount=3000, currency="USD"), evidence=default("a typical pilot budget")),
            latency=LatencyFact(value="interactive", evidence=stated("while customers wait")),
        ),
    )


def sample_figures(language: str) -> Figures:
    """Figures consistent with the offline run's documents for the scenario in `language`."""
    ko = language == "ko"
    if ko:
        models = [("DeepSeek-V3", "DeepSeek", 4.40, 1450.0), ("Gemma 3 27B IT", "Google", 4.25, 980.0), ("Mistral Large (24.11)", "Mistral AI", 4.15, 1210.0)]
        excluded = [Gate(model="GPT-4o mini", passed=False, reasons=["온프레미스로 운영할 수 없음"])]
    else:
        models = [("Gemma 3 27B IT", "Google", 4.15, 740.0), ("GPT-4o mini", "OpenAI", 4.10, 310.5), ("Gemini 2.0 Flash", "Google", 4.10, 265.0)]
        excluded = [Gate(model="Claude 3.5 Sonnet", passed=False, reasons=["monthly cost 4,100 USD is over the 3,000 USD budget"])]
    weights = [("quality", 30), ("cost", 20), ("latency", 15), ("privacy", 15), ("language", 10), ("licence", 10)]
    return Figures(
        gates=[Gate(model=m, passed=True) for m, *_ in models] + excluded,
        weights=[Weight(category=c, weight=w, reason="브리프에서 도출" if ko else "set from the brief") for c, w in weights],
        key_factors=["quality", "latency"],
        scores=[
            Score(model=m, provider=p, scores={c: 4 for c, _ in weights}, total=total)
            for m, p, total, _ in models
        ],
        recommended=models[0][0],
        runner_up=models[1][0],
        costs=[
            Cost(model=m, monthly_input_tokens=27_000_000, monthly_output_tokens=4_500_000, api_usd=None if ko else usd, self_host_usd=usd if ko else None,
                 monthly_usd=usd, within_budget=None if ko else usd <= 3000)
            for m, _, _, usd in models
        ],
        gpu_fit=[GpuFit(model="Gemma 3 27B IT", precision="BF16", weights_gb=54.0, kv_cache_gb=6.2, total_gb=60.2, gpu="NVIDIA L40S", gpu_memory_gb=48,
                        gpus_needed=2, replicas=1, fits_owned=None)],
        capacity=Capacity(items_per_month=9000 if ko else 36000, peak_multiplier=2.0, peak_requests_per_hour=40 if ko else 300, concurrency=2 if ko else 8,
                          context_tokens=6000 if ko else 4000),
        targets=[
            Target(metric="요약지 작성 시간" if ko else "Time to answer a customer", kind="business",
                   definition="환자 한 명당 요약지 작성 시간" if ko else "minutes from question to answer",
                   baseline="25분" if ko else "to be measured in the pilot", target="10분" if ko else "under 1 minute", source="brief" if ko else "pilot"),
        ],
        assumptions=[
            Assumption(name="항목당 입력 토큰" if ko else "input tokens per item", value="3,000 토큰" if ko else "3,000 tokens",
                       reason="진료 기록 요약 기준" if ko else "a question with retrieved passages"),
            Assumption(name="월 일수" if ko else "days per month", value="30일" if ko else "30 days", reason="달력 기준" if ko else "calendar month"),
            Assumption(name="GPU 가격" if ko else "GPU price", value="GPU 시간당 2.0 USD" if ko else "2.0 USD per GPU-hour",
                       reason="참고 임대 가격" if ko else "reference rental price"),
        ],
    )


def add_planning(run_dir: Path, language: str) -> dict[str, Any]:
    """Put the sample brief and figures into a run's manifest.json where the runner did not (yet) write them."""
    path = run_dir / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest["brief"] = manifest.get("brief") or sample_brief(language).model_dump(mode="json")
    manifest["figures"] = manifest.get("figures") or sample_figures(language).model_dump(mode="json")
    path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    return manifest


def labelled_scenarios() -> list[tuple[str, dict[str, Any]]]:
    """Every labelled brief (tests/data/briefs, all splits) as a scenario, then every shipped scenario: (id, scenario)."""
    root = Path(__file__).resolve().parents[1]
    cases = []
    for path in sorted((root / "tests" / "data" / "briefs").glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]:
            scenario = {"name": case["id"], "language": case.get("language", "en"), "use_case": case["use_case"], **(case.get("scenario") or {})}
            cases.append((case["id"], scenario))
    for path in sorted((root / "scenarios").glob("*.yaml")):
        cases.append((path.stem, yaml.safe_load(path.read_text(encoding="utf-8"))))
    return cases
