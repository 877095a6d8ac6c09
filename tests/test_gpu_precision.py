"""Precision choice respects what each GPU supports natively: FP8 needs Hopper or Ada Lovelace (H100, H200,
L40S, L4, RTX 4090), BF16 Ampere or later; an A100 serves BF16, INT8 or INT4, a T4 or V100 FP16, INT8 or INT4.
"""

from __future__ import annotations

from genai_planner.planning.compute import compute_figures, gpu_precisions, load_data
from genai_planner.planning.extract import extract_brief
from genai_planner.tools.catalog import load_catalog

CATALOG = list(load_catalog())
ORDER = ["BF16", "FP8", "INT4"]


def brief_on(hardware: str):
    text = (
        "Our insurer drafts about 300 claim letters a day and handlers check each one. Data must never leave our data "
        f"centre; we run a server with {hardware}."
    )
    return extract_brief({"name": "c", "use_case": text}, "en")


def test_the_gpu_table_lists_native_precisions_for_every_gpu():
    for gpu in load_data("hardware")["gpus"]:
        assert gpu.get("native"), gpu["name"]
    assert gpu_precisions("NVIDIA A100 80GB", ORDER) == ["BF16", "INT8", "INT4"]  # Ampere: no FP8
    assert gpu_precisions("Tesla V100 32GB", ORDER) == ["FP16", "INT8", "INT4"]  # Volta: no BF16, no FP8
    assert gpu_precisions("T4", ORDER) == ["FP16", "INT8", "INT4"]
    for ada_or_hopper in ("H100 80GB", "H200", "L40S", "L4", "RTX 4090"):
        assert gpu_precisions(ada_or_hopper, ORDER) == ORDER, ada_or_hopper
    assert gpu_precisions("Some Future GPU", ORDER) == ORDER  # unknown: no claim either way


def test_an_a100_plan_is_never_fp8_and_says_why():
    figures = compute_figures(brief_on("4 NVIDIA A100 80GB GPUs"), CATALOG, "en")
    assert figures.gpu_fit and not any(g.precision == "FP8" for g in figures.gpu_fit)
    # Llama 3.3 70B: BF16 needs 70 x 2 = 140 GB of weights; INT8 halves it to 70 GB (2 x 80 GB at 85% headroom).
    llama = {g.precision: g for g in figures.gpu_fit if g.model == "Llama 3.3 70B Instruct"}
    assert set(llama) == {"BF16", "INT8", "INT4"}
    assert llama["INT8"].weights_gb == 70.0 and llama["BF16"].weights_gb == 140.0
    note = next(a for a in figures.assumptions if a.name == "Precisions the GPU supports")
    assert "no native FP8" in note.reason and "FP8 -> INT8" in note.reason


def test_a_t4_plan_uses_fp16_not_bf16():
    figures = compute_figures(brief_on("2 NVIDIA T4 16GB GPUs"), CATALOG, "en")
    assert {g.precision for g in figures.gpu_fit} <= {"FP16", "INT8", "INT4"}
    # INT4 keeps its quality penalty; INT8 and FP16 carry none.
    assert all(g.quality_penalty == 0 for g in figures.gpu_fit if g.precision != "INT4")


def test_an_h100_keeps_fp8():
    figures = compute_figures(brief_on("4 NVIDIA H100 80GB GPUs"), CATALOG, "en")
    assert "FP8" in {g.precision for g in figures.gpu_fit}
    assert not any(a.name == "Precisions the GPU supports" for a in figures.assumptions)
