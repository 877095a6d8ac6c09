"""A sub-task's writer prompt carries only its own sections of the contract (issue 29: plans over 150k tokens).

Each document is drafted in four or five sub-tasks, then compiled. The whole contract in
every sub-task call was about a fifth of a plan's input; the compile call still gets it
whole, since it assembles every section.
"""

from __future__ import annotations

from langchain_core.messages import ToolMessage

from genai_planner.models.factory import register_engine, unregister_engine
from genai_planner.models.offline import OfflineChatModel
from genai_planner.models.offline.protocol import json_block
from tests.conftest import ROOT, run_offline


class _Recorder(OfflineChatModel):
    """The offline engine, keeping every prompt it is given."""

    prompts: list[str] = []

    def _generate(self, messages, stop=None, run_manager=None, **kwargs):
        _Recorder.prompts.append("\n\n".join(str(m.content) for m in messages if not isinstance(m, ToolMessage)))
        return super()._generate(messages, stop, run_manager, **kwargs)


def test_subtask_prompts_carry_only_their_sections(tmp_path) -> None:
    _Recorder.prompts = []
    register_engine("recording-writer", lambda role, ctx, settings: _Recorder())
    try:
        result = run_offline(ROOT / "scenarios" / "hospital_discharge_ko.yaml", tmp_path / "runs", documents=["1"], use_memory=False, engine="recording-writer")
    finally:
        unregister_engine("recording-writer")
    assert result.status == "completed"
    writer = [(json_block(p, "task"), json_block(p, "contract")) for p in _Recorder.prompts if "<contract>" in p and "<task>" in p]
    subtasks = [(task, contract) for task, contract in writer if task["kind"] == "subtask"]
    compiles = [(task, contract) for task, contract in writer if task["kind"] == "compile"]
    assert len(subtasks) >= 3 and compiles
    every_section = [s["id"] for s in compiles[0][1]["sections"]]
    for task, contract in subtasks:
        assert [s["id"] for s in contract["sections"]] == task["sections"], task
        assert contract["markers"] == compiles[0][1]["markers"]  # the document's own fields stay
    assert {sid for task, _ in subtasks for sid in task["sections"]} < set(every_section)  # the compile call writes the rest
