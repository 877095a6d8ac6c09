"""Task shape, evaluation statistics and rollout: decisions that follow the kind of work and its scale.

Rules and wording live in `data/shape.yaml`; this module applies them.

- **Task shape** (`task_shape_fact`, `compute_task_shape`): the archetype (drafting from one
  record, question answering over a corpus, classification, extraction, text-to-SQL ...) and
  the mode (batch or interactive). Retrieval, caching and waiting follow them: summarising one
  patient's stay fetches that record, not the top 5 passages of a corpus; a batch job has no
  per-user cache and nobody to "tell the expected wait".
- **Evaluation statistics** (`compute_evaluation`): the test-set size from the margin wanted
  (and the supply of real items), and the margin that size actually gives; the rule of three
  for the zero-failure gate; a paired test for regression gates; weighted kappa for ordinal
  ratings; a judge at least as strong as the judged model, or a human check of the judge.
- **Rollout** (`compute_rollout`): stages sized to the number of users (a 10% canary of 14
  people is one person, so small teams pilot with one named group).
"""

from __future__ import annotations

import math
import re
from typing import Any

from genai_planner.planning.archetype import ArchetypeReading
from genai_planner.planning.brief import Brief, TaskShapeFact, default, inferred
from genai_planner.planning.figures import Evaluation, Rollout, Score, Target, TaskShape
from genai_planner.planning.headcounts import count_once
from genai_planner.planning.io_phrases import inputs_phrase, one_of
from genai_planner.planning.lexicon import lexicon
from genai_planner.planning.phrases import HANGUL_RE
from genai_planner.planning.roles import is_end_customer, users_are_public


def _cfg() -> dict[str, Any]:
    return lexicon("shape")


def _lang(language: str) -> str:
    return "ko" if language == "ko" else "en"


# ----------------------------------------------------------------------------- task shape


def task_shape_fact(brief: Brief, language: str, reading: ArchetypeReading | None = None) -> TaskShapeFact:
    """The archetype and mode the brief implies: the prose's reading of what is produced (`planning/archetype.py`) where
    there is one, else text-to-SQL first, else the first task type; the stated latency, else the archetype's usual mode.
    """
    cfg = _cfg()
    tasks = list(brief.task_types) or ["question_answering"]
    first = next((t for t in cfg["first"] if t in tasks), None)
    task = first or next((t for t in tasks if t in cfg["archetype_of_task"]), "question_answering")
    archetype = reading.archetype if reading is not None else cfg["archetype_of_task"][task]
    latency = brief.constraints.latency
    lang = _lang(language)
    names = cfg["names"][lang]
    if latency.value in ("batch", "interactive"):
        mode = latency.value
        source = latency.evidence.source
    else:
        mode = cfg["mode_of_archetype"][archetype]
        source = "inferred"
    reason = cfg["reason"][lang].format(
        archetype=names[archetype],
        mode=cfg["modes"][lang][mode],
        tasks=", ".join(str(lexicon("text")[lang]["tasks"].get(t, t)) for t in tasks),
        mode_source=cfg["mode_source"][lang][source],
    )
    if reading is not None:
        reason += cfg["read_from"][lang]
    evidence = default(reason) if not brief.task_types else inferred(reason)
    step = reading.step if reading is not None else None
    history = bool(reading is not None and reading.history_quote)
    period = (reading.period or None) if reading is not None else None
    group = (reading.group or None) if reading is not None else None
    audience = reading.audience if reading is not None and reading.audience else None
    cadence = (reading.cadence or None) if reading is not None else None
    on_demand = bool(reading is not None and reading.on_demand)
    if audience is None:
        # Unsaid: drafting-like outputs are approved by staff; answers the public asks for go to them directly; look-ups serve staff.
        public = users_are_public([u.value for u in brief.users])
        approve = archetype in (lexicon("archetypes").get("approve_by_default") or [])
        audience = "staff_approve" if approve else ("customer_direct" if public else "staff_use")
    return TaskShapeFact(
        archetype=archetype, mode=mode, input_step=step, audience=audience, period=period, group=group, history_stated=history,  # type: ignore[arg-type]
        cadence=cadence, on_demand=on_demand,
        evidence=evidence,
    )


def compute_task_shape(brief: Brief, language: str, context_tokens: int, concurrency: int) -> TaskShape:
    """Retrieval, caching and waiting for the brief's task shape, in the run's language."""
    cfg = _cfg()
    lang = _lang(language)
    fact = brief.task_shape or task_shape_fact(brief, language)
    personal = brief.data_sensitivity.personal_data or brief.data_sensitivity.value == "high"
    values = {
        "input": one_of(brief.inputs[0].value, lang) if brief.inputs else "",
        "inputs": inputs_phrase([t.value for t in brief.inputs], lang),
        "output": one_of(brief.outputs[0].value, lang) if brief.outputs else "",
        "context": f"{context_tokens:,}",
        "concurrency": concurrency,
        # A digest reads every entry of its period, grouped by what each digest covers ('per train').
        "period": fact.period or cfg["digest_defaults"][lang]["period"],
        "group": fact.group or cfg["digest_defaults"][lang]["group"],
    }
    caching_key = "batch" if fact.mode == "batch" else ("interactive_personal" if personal else "interactive")
    digest = fact.archetype == "digest" and fact.mode == "batch"  # many entries of a period into one summary per group
    from genai_planner.planning.refresh import refresh_cadence

    refresh = refresh_cadence(fact.update_frequency, fact.update_quote or "", language)
    return TaskShape(
        archetype=fact.archetype,
        archetype_name=cfg["names"][lang][fact.archetype],
        mode=fact.mode,
        single_item=fact.archetype in cfg["single_item"],
        retrieval=(cfg["input_step"][lang][fact.input_step] if fact.input_step else "") + cfg["retrieval"][lang][fact.archetype].format(**values),
        caching=cfg["caching"][lang]["digest" if digest else caching_key].format(**values),
        waiting=cfg["waiting"][lang]["digest" if digest else fact.mode].format(**values),
        reason=fact.evidence.reason or "",
        input_step=fact.input_step,
        refresh_index=refresh.index,
        refresh_examples=refresh.examples,
        refresh_reason=refresh.reason,
    )


# ----------------------------------------------------------------------------- evaluation statistics


def margin_points(n: int, z: float = 1.96, rate: float = 0.5) -> float:
    """The 95% margin on a rate near `rate` with n items, in points, to one decimal (p = 0.5: 300 -> 5.7; p = 0.95: 250 -> 2.7)."""
    return round(100 * z * math.sqrt(rate * (1 - rate) / n), 1)


def items_for_margin(points: float, z: float = 1.96, round_to: int = 50, rate: float = 0.5) -> int:
    """Items a rate near `rate` needs for a ±`points` margin at 95% (p = 0.5: 3 -> 1,068 -> 1,100; p = 0.95: 3 -> 203 -> 250)."""
    raw = math.ceil(z * z * rate * (1 - rate) / (points / 100) ** 2)
    return int(math.ceil(raw / round_to) * round_to)


def expected_rate(targets: list[Target]) -> tuple[float, str | None]:
    """The rate the test set is expected to show, and the metric it comes from: the test-set target nearest 50%.

    The worst case p = 0.5 (p(1-p) = 0.25) is only right when nothing is known; a metric whose
    target is 95% varies as 0.95 x 0.05 = 0.0475, five times less, so it needs about a fifth of
    the items for the same margin. The target nearest 50% is the widest, so the size holds for all.
    """
    best: tuple[float, str | None] = (0.5, None)
    for t in targets:
        if t.measured != "test_set":
            continue
        m = re.search(r"(\d+(?:\.\d+)?)\s*%", t.target)
        if m is None:
            continue
        p = float(m.group(1)) / 100
        if 0 < p < 1 and (best[1] is None or p * (1 - p) > best[0] * (1 - best[0])):
            best = (p, t.metric)
    return best


def zero_failure_window(rate_pct: float) -> int:
    """Rule of three: outputs that must all be free of critical errors for the 95% upper bound to be `rate_pct`% (1% -> 300)."""
    return int(math.ceil(300 / rate_pct))


def stated_tolerance(targets: list[Target]) -> float | None:
    """The critical-error rate the client tolerates, in %, from a release gate it bounds ('critical errors below 0.5%').

    The zero-failure window follows from it by the rule of three (0.5% -> 600 outputs); without one the
    plan's own tolerance applies (`critical_rate_pct`).
    """
    rates = []
    for t in targets:
        m = re.search(r"(\d+(?:\.\d+)?)\s*%", t.target)
        if t.origin == "client" and t.release_gate and t.direction == "at_most" and m and 0 < float(m.group(1)) < 100:
            rates.append(float(m.group(1)))
    return min(rates) if rates else None


def _per_output_control(targets: list[Target], lang: str) -> str:
    """For must-never rules: the window only bounds the rate (0 in 300 still allows up to 1%), so every output is checked too."""
    if not any(t.release_gate and t.direction == "zero" for t in targets):
        return ""
    return str(_cfg()["evaluation"]["text"][lang]["gate_control"])


def _judge(scores: list[Score], recommended: str | None) -> tuple[Score | None, Score | None]:
    """(judged, judge): the best-ranked other candidate with a higher quality score, else the strongest other one,
    among those at least as strong in the use case's languages as the judged model when there are any.

    A model no stronger than the one it judges (the runner-up that lost to it, or an equal) can
    share its blind spots, so such a judge always comes with a person's check (see `compute_evaluation`).
    """
    judged = next((s for s in scores if s.model == recommended), scores[0] if scores else None)
    others = [s for s in scores if judged is None or s.model != judged.model]
    if judged is None or not others:
        return judged, None
    # A judge must read the outputs' languages at least as well as the judged model: a model scored 2 for
    # Korean cannot grade Korean summaries, however strong it is otherwise.
    fluent = [s for s in others if s.scores.get("language", 0) >= judged.scores.get("language", 0)]
    others = fluent or others
    q = judged.scores.get("quality", 0)
    stronger = [s for s in others if s.scores.get("quality", 0) > q]
    if stronger:
        return judged, stronger[0]
    best = max(s.scores.get("quality", 0) for s in others)
    return judged, next(s for s in others if s.scores.get("quality", 0) == best)


def compute_evaluation(brief: Brief, targets: list[Target], scores: list[Score], recommended: str | None, items_per_month: float, language: str) -> Evaluation:
    """Test-set size and margin, the zero-failure gate, the regression test, agreement and the judge (see `data/shape.yaml`)."""
    cfg = _cfg()["evaluation"]
    lang = _lang(language)
    text = cfg["text"][lang]
    gated = any(t.release_gate for t in targets) or brief.data_sensitivity.value == "high"
    level = "gated" if gated else "other"
    wanted = float(cfg["margin_points"][level])
    expected, rate_metric = expected_rate(targets)
    needed = items_for_margin(wanted, cfg["z"], cfg["round_to"], expected)
    available = int(items_per_month * cfg["history_months"])
    supply = ""
    n = needed
    if available < needed:
        n = max(min(available, int(cfg["min_items"])), int(available // cfg["round_to"] * cfg["round_to"]))
        n = max(n, 1)
        supply = text["supply_capped"].format(months=cfg["history_months"], available=f"{available:,}", n=f"{n:,}")
    margin = margin_points(n, cfg["z"], expected)
    pq = f"{expected:g} × {1 - expected:.4g}" if rate_metric else "0.25"
    around = text["around"].format(rate=f"{100 * expected:g}", metric=rate_metric) if rate_metric else text["worst_case"]
    around_short = text["around_short"].format(rate=f"{100 * expected:g}") if rate_metric else text["worst_case"]
    # The formula's own result beside the rounded size: '203 items (... = 202.7), rounded up to 250', never '250 (formula)'
    # where the formula gives 203.
    exact = cfg["z"] ** 2 * expected * (1 - expected) / (wanted / 100) ** 2
    size_reason = text["size_reason"].format(
        wanted=f"{wanted:g}", needed=f"{needed:,}", raw=f"{math.ceil(exact):,}", exact=f"{exact:,.1f}", wanted_frac=f"{wanted / 100:g}",
        supply=supply, pq=pq, around=around, round_to=cfg["round_to"],
    )
    # The client's own tolerance tightens the window, never loosens it: 'errors from 9% to under 3%' is an
    # overall error rate, not the rate of critical errors a release may carry.
    rate = min(stated_tolerance(targets) or 100.0, float(cfg["critical_rate_pct"][level]))
    ideal = zero_failure_window(rate)
    # The gate reviews consecutive real outputs (test set, shadow run, pilot), so it is capped by the
    # supply of real items, not by the test-set size: 13 a month give 39 in three months, 95 a day give 300.
    window = min(ideal, max(n, available))
    judged, judge = _judge(scores, recommended)
    check = max(int(cfg["judge_check_min"]), math.ceil(n * float(cfg["judge_check_share"])))
    if judge is None or judged is None:
        judge_text, judge_strong, judge_name = text["judge_none"].format(check=check), False, None
    else:
        jq, dq = judge.scores.get("quality", 0), judged.scores.get("quality", 0)
        judge_strong = jq >= dq
        key = "judge_strong" if jq > dq else ("judge_equal" if jq == dq else "judge_weak")
        judge_text = text[key].format(judge=judge.model, judge_q=jq, judged_q=dq, model=judged.model, check=check)
        judge_name = judge.model
    return Evaluation(
        test_set_size=n,
        margin_points=margin,
        margin_wanted=wanted,
        size_reason=size_reason,
        margin_text=text["margin"].format(margin=f"{margin:g}", around_short=around_short),
        expected_rate_pct=round(100 * expected, 2),
        gate_window=window,
        gate_bound_pct=round(300 / window, 2),
        gate_text=(
            text["gate"].format(window=window, bound=f"{300 / window:g}")
            if window == ideal
            else text["gate_small"].format(window=window, bound=f"{round(300 / window, 1):g}", ideal=ideal, wanted=f"{rate:g}")
        )
        + _per_output_control(targets, lang),
        regression_text=text["regression"].format(n=f"{n:,}"),
        agreement_text=text["agreement"],
        judge=judge_name,
        judge_at_least_as_strong=judge_strong,
        judge_text=judge_text,
        automated=[t.metric for t in targets if t.measured == "test_set"],
        pilot_only=[t.metric for t in targets if t.measured != "test_set"],
    )


# ----------------------------------------------------------------------------- rollout


def _people_stocks(brief: Brief) -> list[tuple[str, int, bool]]:
    """(what, count, counts the users) for each stock volume that counts people."""
    from genai_planner.planning.terms import normalise_name

    roles = lexicon("cues")["roles"]
    units = set(_cfg()["people_units"]) | {normalise_name(r) for key in ("staff_en", "staff_ko") for r in roles[key]}
    users = [normalise_name(u.value) for u in brief.users]
    out = []
    for v in brief.volumes:
        if v.per is not None or v.peak:
            continue
        what, unit = v.what.lower(), v.unit.lower()
        key = normalise_name(what)
        # A Korean compound ends with its head noun, with no space: '특수교사 210명' counts the '교사' who use it.
        is_user = any(
            u and (u == key or key.endswith(" " + u) or u.endswith(" " + key) or (" " not in u and u in key.split())
                   or (HANGUL_RE.search(u) is not None and key.endswith(u)))
            for u in users
        )
        if not is_user and is_end_customer(v.what):
            continue  # the people the service is for (students, patients, callers) are never the rollout population
        if is_user or units & ({normalise_name(w) for w in what.split()} | {normalise_name(unit), key}):
            out.append((v.what, int(v.quantity), is_user))
    return out


def user_count(brief: Brief) -> int | None:
    """How many people will use the tool; None when unsaid.

    The rollout population is the assistant's primary users (the role that uses or signs its
    output), not every head-count in the prose: '62 vets and 140 veterinary nurses' with the vets
    signing each draft is 62. Only when no head-count names the users do the generic people counts
    ('300 staff', '45명') stand for them.
    """
    # A count the prose says uses the tool ('32 attorneys and paralegals will use it', '사용자는 32명') is the
    # users' number as stated: it wins over the role counts (9 partners who sign are among the 32, not beside them).
    stated = [int(v.quantity) for v in brief.volumes if v.unit == "users" and v.per is None and not v.peak]
    if stated:
        return max(stated)
    stocks = _people_stocks(brief)
    named = [n for _, n, is_user in stocks if is_user]
    total = sum(count_once(named)) if named else sum(count_once([n for _, n, _ in stocks]))  # a total and its parts count once
    return total or None


def others_counted(brief: Brief) -> list[str]:
    """Head-counts of people who are not the users (reviewers, other staff): named so the reader sees they were left out."""
    stocks = _people_stocks(brief)
    if not any(is_user for *_, is_user in stocks):
        return []
    return [f"{n:,} {what}" for what, n, is_user in stocks if not is_user]


def _stated_pilot(brief: Brief, text: dict[str, str], lang: str, n: int | None, users: str, cfg: dict[str, Any]) -> Rollout:
    """The client's own pilot (group, size, site, duration) and its next step replace shadow and canary: the client decided them."""
    pilot = brief.pilot
    assert pilot is not None
    if lang == "en":
        size = f"the {pilot.size} " if pilot.size else "the "
    else:
        size = f" {pilot.size}명" if pilot.size else ""
    site = text["pilot_site"].format(site=pilot.site) if pilot.site else ""
    duration = (pilot.duration + ("간" if lang == "ko" else "")) if pilot.duration else text["pilot_no_duration"]
    stages = [text["pilot"].format(size=size, group=pilot.group, site=site, duration=duration)]
    if pilot.next_step:
        stages.append(text["pilot_next"].format(next_step=pilot.next_step))
    elif n is not None:
        stages.append(text["all"].format(n=n, users=users))
    else:
        stages.append(text["all_unknown"].format(users=users))
    return Rollout(users=n, first_stage_people=pilot.size, rule="stated_pilot", stages=stages, not_users=others_counted(brief))


def compute_rollout(brief: Brief, language: str) -> Rollout:
    """Stages sized to the number of users (`data/shape.yaml` rollout)."""
    cfg = _cfg()["rollout"]
    lang = _lang(language)
    text = cfg["text"][lang]
    users = ", ".join(u.value for u in brief.users) or ("users" if lang == "en" else "사용자")
    n = user_count(brief)
    if len(brief.users) > 1 and n is not None:
        # One count over several groups ('17 site managers' and '6 veterinarians' are 23 users): the number is the
        # users', never the first group's ('6 of the 23 site managers, veterinarians' restates 17 as 23).
        users = f"users ({users})" if lang == "en" else f"사용자({users})"
    if brief.pilot is not None:
        return _stated_pilot(brief, text, lang, n, users, cfg)
    stages = [text["shadow"]]
    if brief.task_shape is not None and brief.task_shape.audience == "customer_direct":
        # Answers reach customers unchecked: staff first send them themselves, then a share of conversations goes direct.
        pct = int(cfg["customer_pct"])
        stages += [text["assist"], text["customer_share"].format(pct=pct), text["customer_all"]]
        return Rollout(users=n, first_stage_people=None, rule="customer_direct", stages=stages)
    pct = int(cfg["canary_pct"])
    if n is None:
        stages += [text["unknown"].format(users=users, min_group=cfg["min_group"]), text["all_unknown"].format(users=users)]
        reason = "unknown"
        first = None
    elif n < int(cfg["small_team"]):
        k = min(n, max(int(cfg["min_group"]), math.ceil(n / 4)))
        canary = max(1, round(n * pct / 100))
        people = ("person" if canary == 1 else "people") if lang == "en" else ""
        stages += [text["group"].format(k=k, n=n, users=users, pct=pct, canary=canary, people=people), text["all"].format(n=n, users=users)]
        reason, first = "small_team", k
    else:
        k = max(int(cfg["min_canary"]), math.ceil(n * pct / 100))
        stages += [
            text["canary"].format(k=k, n=n, users=users, pct=pct, min_canary=cfg["min_canary"]),
            text["half"].format(users=users, half=n // 2),
            text["all"].format(n=n, users=users),
        ]
        reason, first = "canary", k
    return Rollout(users=n, first_stage_people=first, rule=reason, stages=stages, not_users=others_counted(brief))


# ----------------------------------------------------------------------------- fine-tuning data


def fine_tune_data(
    items_per_month: float,
    held_out: int,
    organisation: str,
    language: str,
    history: list[str] | None = None,
    new: list[str] | None = None,
    history_stated: bool = False,
) -> tuple[int, bool, str]:
    """(examples, enough, sentence): the labelled pairs fine-tuning asks for, whether the client has them, and why.

    The pairs are estimated from the volume, never reported by the client: the sentence says so
    and sends the count to discovery; where the use case never mentions kept past outputs
    (`history_stated` false) it says what they would give *if* they are kept.

    Wanted: a tenth of a month's items, 1,000 to 5,000, never more than the approved pairs the last
    `history_months` hold besides the held-out set. Below `minimum` there is nothing to tune on
    yet: the plan asks for the minimum and says when it will exist (13 a month: 13 x 12 - 39 = 117
    pairs now, 83 short, about 7 more months).

    Pairs come only from languages with history (`history`, ISO codes). A language the assistant must
    now serve with no past records (`new`) gets `per_new_language` pairs translated from the history
    pairs by bilingual staff and checked (1,000 Korean + 2 x 200 = 1,400), or, where the history is
    short, waits with the rest.
    """
    from genai_planner.core.languages import name as language_name

    cfg = _cfg()["fine_tuning_data"]
    lang = _lang(language)
    per_month = max(items_per_month, 0.0)
    available = max(0, int(per_month * cfg["history_months"]) - held_out)
    wanted = int(min(cfg["wanted_max"], max(cfg["wanted_min"], math.ceil(per_month * cfg["share_of_month"] / 100) * 100)))
    minimum = int(cfg["minimum"])
    new = [c for c in (new or []) if c not in (history or [])]
    join = " and " if lang == "en" else "와 "
    names = {
        "history_langs": join.join(language_name(c, lang) for c in (history or [])) or ("the current language" if lang == "en" else "현재 언어"),
        "new_langs": join.join(language_name(c, lang) for c in new),
        "have": "has" if len(new) == 1 else "have",
    }
    values = {
        "org": organisation, "history": cfg["history_months"], "available": f"{available:,}", "held_out": f"{held_out:,}",
        "minimum": f"{minimum:,}", "per_month": f"{round(per_month):,}" if per_month >= 100 else f"{per_month:.3g}",  # never 8.691e+04
    }
    if available >= minimum:
        examples = min(wanted, available // 50 * 50 if available >= 100 else available)
        key = "enough" if history_stated else "enough_unstated"
        sentence = cfg["text"][lang][key].format(examples=f"{examples:,}", **values)
        if new:
            per_new = int(cfg["per_new_language"])
            total = examples + per_new * len(new)
            sentence += cfg["text"][lang]["new_enough"].format(per_new=f"{per_new:,}", new_total=f"{per_new * len(new):,}", total=f"{total:,}", **names)
            return total, True, sentence
        return examples, True, sentence
    more = math.ceil((minimum - available) / per_month) if per_month > 0 else 0
    sentence = cfg["text"][lang]["short" if history_stated else "short_unstated"].format(more=more, **values)
    if new:
        sentence += cfg["text"][lang]["new_short"].format(**names)
    return minimum, False, sentence
