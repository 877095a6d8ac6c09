"""One-off build costs set against a stated one-off build budget.

A client that approves a build budget apart from its running budget ('구축비는 1억 2천만 원, 운영비는
월 300만 원') needs to know whether the build fits it. The running cost is compared with the monthly
budget elsewhere; this module estimates what building costs, each line with its basis so the client
can replace an assumption with its own figure (`data/build.yaml`):

- labelling: the test set's reference outputs and the collected fine-tuning pairs, in expert hours;
- translated pairs for a language with no past records (see `shape.fine_tune_data`);
- fine-tuning compute: GPU-hours from the pairs, tokens, epochs and runs, at the owned GPUs' power
  or the rented GPU's price;
- integration engineering: weeks of engineering, more when self-hosted or fine-tuned;
- evaluation: people reviewing sampled outputs in each evaluation run;
- a privacy impact assessment where the data holds personal information;
- training every user before the rollout reaches them, and the trainer's preparation;
- contingency: a stated share of the items above (estimates this early run over).

The total is converted with the one rate table (`fx.yaml`) and judged in the budget's currency.
"""

from __future__ import annotations

import math
from typing import Any

from genai_planner.planning.brief import Brief
from genai_planner.planning.figures import BuildEstimate, BuildItem, FineTuning


def _data() -> dict[str, Any]:
    from genai_planner.planning.compute import load_data

    return load_data("build")


def compute_build(
    brief: Brief,
    language: str,
    *,
    test_items: int,
    pairs_collected: int,
    pairs_translated: int,
    fine_tuning: FineTuning | None,
    model: dict[str, Any] | None,
    self_hosted: bool,
    owned: bool,
) -> BuildEstimate | None:
    """The build estimate and its verdict, or None when the use case states no one-off build budget.

    Worked example (rates USD 60 / 45 / 100 an hour): 250 test items x 15 min + 1,000 pairs x 3 min
    = 112.5 expert hours = USD 6,750; 400 translated pairs x 30 min = 200 h = USD 9,000; 11 weeks of
    engineering = 440 h = USD 44,000; 3 runs x 25 sampled outputs x 2 raters x 5 min = 12.5 h = USD 750.
    """
    from genai_planner.planning import capacity as capacity_rules
    from genai_planner.planning.compute import gpu_spec, load_data, money, usd

    budget = brief.constraints.build_budget
    if budget is None:
        return None
    cfg = _data()
    lang = "ko" if language == "ko" else "en"
    text = cfg["text"][lang]
    rates = cfg["rates_usd_per_hour"]
    expert, translator, engineer = float(rates["expert"]), float(rates["translator"]), float(rates["engineer"])
    items: list[BuildItem] = []

    lab = cfg["labelling"]
    hours = (test_items * lab["minutes_per_test_item"] + pairs_collected * lab["minutes_per_pair_check"]) / 60
    items.append(BuildItem(name="labelling", hours=round(hours, 1), usd=round(hours * expert, 2), rate_usd=expert, basis=text["labelling"].format(
        test=test_items, m_test=lab["minutes_per_test_item"], pairs=pairs_collected, m_pair=lab["minutes_per_pair_check"], expert=usd(expert))))
    if pairs_translated:
        hours = pairs_translated * lab["minutes_per_translated_pair"] / 60
        basis = text["translation"].format(pairs=pairs_translated, minutes=lab["minutes_per_translated_pair"], translator=usd(translator))
        items.append(BuildItem(name="translation", hours=round(hours, 1), usd=round(hours * translator, 2), rate_usd=translator, basis=basis))

    if fine_tuning is not None and model is not None:
        hw = load_data("hardware")
        ft = cfg["fine_tuning_compute"]
        active = float(model.get("active_parameters_b") or model["parameters_b"])
        precision = "BF16" if fine_tuning.method == "LoRA" else "INT4"
        _, prefill = capacity_rules.tokens_per_second(hw, active, precision, fine_tuning.gpu)
        rate = max(1.0, prefill / float(ft["training_factor"]))
        pairs = pairs_collected + pairs_translated
        tokens = pairs * fine_tuning.sequence_tokens * int(ft["epochs"]) * int(ft["runs"])
        gpu_hours = round(tokens / rate / 3600, 1)  # GPU-seconds: each GPU of the job trains at `rate`
        spec = gpu_spec(fine_tuning.gpu) or {}
        if owned or not spec.get("usd_per_hour"):
            c = hw["owned_costs"]
            kw = capacity_rules.board_kw(hw, spec.get("name", fine_tuning.gpu)) * (1 + float(c["server_share"])) * float(c["pue"])
            per_hour = kw * float(c["usd_per_kwh"])
            basis = text["basis_owned"]
        else:
            per_hour, basis = float(spec["usd_per_hour"]), text["basis_rented"]
        per_hour = round(per_hour, 2)
        items.append(BuildItem(name="fine_tuning_compute", hours=gpu_hours, usd=round(gpu_hours * per_hour, 2), rate_usd=per_hour, basis=text["compute"].format(
            pairs=pairs, tokens=fine_tuning.sequence_tokens, epochs=ft["epochs"], runs=ft["runs"], rate=round(rate), gpus=fine_tuning.gpus,
            gpu=fine_tuning.gpu, gpu_hours=gpu_hours, per_hour=usd(per_hour), basis=basis)))

    weeks_cfg = cfg["integration_weeks"]
    weeks = int(weeks_cfg["base"]) + (int(weeks_cfg["self_hosted"]) if self_hosted else 0) + (int(weeks_cfg["fine_tuning"]) if fine_tuning else 0)
    hours = weeks * float(weeks_cfg["hours_per_week"])
    items.append(BuildItem(name="integration", hours=hours, usd=round(hours * engineer, 2), rate_usd=engineer, basis=text["integration"].format(
        weeks=weeks, hours=int(weeks_cfg["hours_per_week"]), engineer=usd(engineer))))

    ev = cfg["evaluation"]
    sample = max(20, min(100, test_items // 10))  # the sample document 4 reviews by hand
    hours = int(ev["runs"]) * sample * int(ev["raters"]) * float(ev["minutes_per_reviewed_item"]) / 60
    items.append(BuildItem(name="evaluation", hours=round(hours, 1), usd=round(hours * expert, 2), rate_usd=expert, basis=text["evaluation"].format(
        runs=ev["runs"], sample=sample, raters=ev["raters"], minutes=ev["minutes_per_reviewed_item"], expert=usd(expert))))

    if brief.data_sensitivity.personal_data:
        pia = cfg["privacy_assessment"]
        privacy = float(rates["privacy"])
        hours = float(pia["hours"])
        items.append(BuildItem(name="privacy_assessment", hours=hours, usd=round(hours * privacy, 2), rate_usd=privacy, basis=text["privacy"].format(
            hours=int(hours), privacy=usd(privacy), source=pia["source"][lang])))

    from genai_planner.planning.shape import user_count

    tr = cfg["training"]
    stated = user_count(brief)
    users = stated or int(tr["default_users"])
    hours = users * float(tr["hours_per_user"]) + float(tr["preparation_hours"])
    cost = users * float(tr["hours_per_user"]) * expert + float(tr["preparation_hours"]) * engineer
    items.append(BuildItem(name="training", hours=hours, usd=round(cost, 2), rate_usd=expert, basis=text["training"].format(
        users=users, assumed="" if stated else text["assumed_users"], per_user=tr["hours_per_user"], expert=usd(expert),
        prep=tr["preparation_hours"], engineer=usd(engineer))))

    subtotal = round(sum(i.usd for i in items), 2)
    pct = float(cfg["contingency_pct"])
    items.append(BuildItem(name="contingency", hours=0.0, usd=round(subtotal * pct / 100, 2), rate_usd=0.0, basis=text["contingency"].format(
        pct=f"{pct:g}", subtotal=usd(subtotal), source=cfg["contingency_source"][lang])))

    total = round(sum(i.usd for i in items), 2)
    currency = budget.value.currency.upper()
    rate_ = load_data("fx")["per_usd"].get(currency)
    local = round(total * float(rate_), 0) if rate_ is not None else None
    within = None if local is None else local <= budget.value.amount
    parts = "; ".join(f"{i.basis} = {usd(i.usd)}" for i in items)
    values = {
        "total": usd(total), "local": money(local, currency) if local is not None else "-", "budget": money(budget.value.amount, currency), "parts": parts,
    }
    if within is None:
        verdict = text["within"].format(share="-", **values)
    elif within:
        verdict = text["within"].format(share=math.ceil(local / budget.value.amount * 100) if budget.value.amount else 0, **values)
    else:
        verdict = text["over"].format(over=money(local - budget.value.amount, currency), **values)
    return BuildEstimate(items=items, total_usd=total, currency=currency, total_local=local, budget_local=budget.value.amount, within=within, verdict=verdict)
