"""Capacity rules a serving plan must meet: throughput, availability, running cost, fine-tuning memory.

These are the judgements an experienced architect makes after the memory fit: how many
replicas the peak's tokens need, whether the work needs failover, what owned GPUs cost to
run (they are never free), and how much memory a LoRA/QLoRA job needs on its own. Each function
is pure and reads its numbers from `hardware.yaml` (passed in as `hw`), so `compute.py` stays
the only place that strings the rules together and the tests can pin each one.
"""

from __future__ import annotations

import math
from typing import Any


def _band(hw: dict[str, Any], active_b: float) -> dict[str, Any]:
    bands = hw["throughput"]["bands"]
    return next((b for b in bands if active_b <= float(b["max_b"])), bands[-1])


def gpu_speed(hw: dict[str, Any], gpu: str) -> float:
    """Relative speed of `gpu` against an H100 80GB (memory bandwidth ratio; a default when unknown)."""
    table = hw["gpu_speed"]
    for name, speed in table.items():
        if name.lower() == gpu.lower() or name.split()[0].lower() in gpu.lower().split():
            return float(speed)
    return float(hw["default_gpu_speed"])


def tokens_per_second(hw: dict[str, Any], active_b: float, precision: str, gpu: str) -> tuple[float, float]:
    """(decode, prefill) tokens per second one GPU sustains under continuous batching (indicative)."""
    band = _band(hw, active_b)
    factor = float(hw["throughput"]["precision_factor"][precision]) * gpu_speed(hw, gpu)
    return float(band["decode"]) * factor, float(band["prefill"]) * factor


def throughput_replicas(hw: dict[str, Any], active_b: float, precision: str, gpu: str, gpus_per_replica: int, decode_need: float, prefill_need: float) -> int:
    """Replicas the peak's tokens need: the share of one replica's time they take, at the target utilisation, rounded up.

    A replica's time goes to reading prompts (prefill) and writing answers (decode); the two
    shares add. Planning at 70% of the estimate keeps queues short when requests bunch.
    """
    decode, prefill = tokens_per_second(hw, active_b, precision, gpu)
    load = decode_need / (decode * gpus_per_replica) + prefill_need / (prefill * gpus_per_replica)
    return max(1, math.ceil(round(load / float(hw["throughput"]["target_utilisation"]), 9)))


def needs_failover(hw: dict[str, Any], latency: str, sector: str) -> bool:
    """Interactive work keeps a second replica for failover; so does clinical or operational work unless it is a batch.

    The task mode decides before the sector: a nightly batch whose outputs a person signs the
    next morning loses a rerun, not a patient's answer, when its one replica fails, so a hot
    second replica would only idle GPUs the co-located models can use (the figures then state
    the single point of failure and the rerun that recovers it).
    """
    rule = hw["availability"]
    if latency in rule["failover_latency"]:
        return True
    return latency not in rule["single_latency"] and sector in rule["failover_sectors"]


def batch_minutes(requests: float, seconds_per_request: float, in_flight: int) -> float:
    """Minutes one batch of `requests` takes when a replica runs `in_flight` of them at once (continuous batching).

    95 items x 2 requests = 190 requests, 32 at a time: 6 waves x 22.2 s = 2.2 minutes.
    """
    if requests <= 0:
        return 0.0
    return math.ceil(round(requests / max(1, in_flight), 9)) * seconds_per_request / 60


def batch_rental_hours(hw: dict[str, Any], runs_per_month: float, minutes_per_run: float) -> tuple[float, float]:
    """(hours a month, hours a run) a rented GPU bills for a batch: start-up plus the run, at least the minimum a run.

    A nightly run of 51 minutes on 21 working days: max(1, 0.5 + 0.85) = 1.35 h a run, 28.4 h a
    month, not the 730 h of a GPU rented all month. A run past `always_on_hours_per_day` keeps
    the instance up all month (730 h).
    """
    rule = hw["batch_rental"]
    all_month = float(hw["hours_per_month"])
    per_run = max(float(rule["min_hours_per_run"]), float(rule["startup_hours"]) + minutes_per_run / 60)
    if per_run > float(rule["always_on_hours_per_day"]):
        return all_month, round(per_run, 2)
    return min(all_month, round(runs_per_month * per_run, 1)), round(per_run, 2)


def board_kw(hw: dict[str, Any], gpu: str) -> float:
    """Maximum board power of one GPU in kW (datasheet), a default when the GPU is not in the table."""
    table = hw["owned_costs"]["board_kw"]
    for name, kw in table.items():
        if name.lower() == gpu.lower() or name.split()[0].lower() in gpu.lower().split():
            return float(kw)
    return float(hw["owned_costs"]["default_board_kw"])


def purchase_usd(hw: dict[str, Any], gpu: str) -> float | None:
    """Indicative purchase price of one GPU, or None when the table has none."""
    for name, usd in hw["owned_costs"]["purchase_usd"].items():
        if name.lower() == gpu.lower() or name.split()[0].lower() in gpu.lower().split():
            return float(usd)
    return None


def busy_share(hw: dict[str, Any], active_b: float, precision: str, gpu: str, gpus: int, decode_avg: float, prefill_avg: float) -> float:
    """Share of the month `gpus` GPUs spend working on the average load (0 to 1), at the per-GPU estimate.

    A 70B model at FP8 on 2 H100s: 900 output and 7,000 prompt tokens/s; an average 1.2 output and
    9.8 prompt tokens/s keep them busy 1.2/900 + 9.8/7,000 = 0.27% of the time.
    """
    decode, prefill = tokens_per_second(hw, active_b, precision, gpu)
    return min(1.0, decode_avg / (decode * gpus) + prefill_avg / (prefill * gpus))


def draw_share(hw: dict[str, Any], busy: float) -> float:
    """Average share of board power drawn: the idle draw of a GPU holding a loaded model, plus the rest in proportion to the busy time."""
    idle = float(hw["owned_costs"]["idle_share"])
    return idle + (1 - idle) * min(1.0, max(0.0, busy))


def power_usd(hw: dict[str, Any], gpu: str, gpus: int, busy: float = 1.0) -> float:
    """Monthly electricity for `gpus` GPUs all month: board kW x average draw x (1 + server share) x PUE x hours x price."""
    c = hw["owned_costs"]
    kwh = board_kw(hw, gpu) * draw_share(hw, busy) * (1 + float(c["server_share"])) * float(c["pue"]) * float(hw["hours_per_month"])
    return gpus * kwh * float(c["usd_per_kwh"])


def running_parts(hw: dict[str, Any], gpu: str, gpus: int, bought: bool, busy: float = 1.0) -> dict[str, float]:
    """Monthly USD parts of running `gpus` GPUs the organisation operates: power and operations, plus amortised purchase when bought for this plan.

    Power follows the work: `busy` is the share of the month the plan's load keeps the GPUs working.
    """
    c = hw["owned_costs"]
    parts: dict[str, float] = {}
    if bought:
        price = purchase_usd(hw, gpu)
        if price is not None:
            parts["hardware"] = round(gpus * price / float(c["amortisation_months"]), 2)
    parts["power"] = round(power_usd(hw, gpu, gpus, busy), 2)
    parts["operations"] = round(gpus * float(c["operations_usd_per_gpu_month"]), 2)
    return parts


def hidden_size(model: dict[str, Any]) -> float:
    """The model's hidden size: the catalog's, else sqrt(parameters / (12 x layers)) (dense-transformer count)."""
    arch = model.get("architecture") or {}
    if arch.get("hidden_size"):
        return float(arch["hidden_size"])
    layers = float(arch.get("layers") or 0) or max(24.0, 10 * math.sqrt(float(model["parameters_b"])))
    return math.sqrt(float(model["parameters_b"]) * 1e9 / (12 * layers))


def fine_tune_sequence(hw: dict[str, Any], context_tokens: int) -> int:
    """Tokens per training example: the requests the model serves (an 11,800-token chart trains at 11,800), at least the table's 4,096."""
    return max(int(hw["fine_tuning"]["sequence_tokens"]), int(context_tokens))


def fine_tune_gb(hw: dict[str, Any], model: dict[str, Any], method: str, sequence: int | None = None) -> tuple[float, float, float, float, float]:
    """(weights, adapters, activations, overhead, total) in GB for one LoRA or QLoRA job (`hardware.yaml` fine_tuning).

    Not the serving figure: training holds no KV cache but keeps activations for the whole
    sequence and the adapters' gradients and optimiser state.
    """
    ft = hw["fine_tuning"]
    params = float(model["parameters_b"])
    weights = params * float(hw["precisions"]["BF16" if method == "LoRA" else "INT4"])
    adapters = params * float(ft["adapter_share"]) * float(ft["adapter_bytes"])
    arch = model.get("architecture") or {}
    layers = float(arch.get("layers") or max(24.0, 10 * math.sqrt(params)))
    hidden = hidden_size(model)
    tokens = float(sequence or ft["sequence_tokens"]) * float(ft["micro_batch"])
    activations = tokens * hidden * (layers * float(ft["checkpoint_bytes"]) + float(ft["activation_bytes"])) / 1e9
    overhead = weights * float(hw["overhead_share"])
    return weights, adapters, activations, overhead, weights + adapters + activations + overhead
