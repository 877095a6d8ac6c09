"""The offline engine builds each bound tool's JSON schema once (models/offline/model.py)."""

from __future__ import annotations

from pydantic import BaseModel

from genai_planner.models.offline import model as offline


class Pick(BaseModel):
    """Pick one model."""

    name: str
    reason: str = ""


def test_a_tool_bound_again_gets_the_same_schema_built_once(monkeypatch) -> None:
    built: list[object] = []
    real = offline.convert_to_openai_tool
    monkeypatch.setattr(offline, "convert_to_openai_tool", lambda t: built.append(t) or real(t))
    offline._FORMATTED.clear()
    engine = offline.OfflineChatModel()
    first = engine.bind_tools([Pick], tool_choice="Pick").kwargs["tools"]
    second = engine.bind_tools([Pick], tool_choice="Pick").kwargs["tools"]
    assert first == second == [real(Pick)]
    assert built == [Pick]
    first[0]["function"]["name"] = "changed"  # each binding owns its copy
    assert engine.bind_tools([Pick]).kwargs["tools"][0]["function"]["name"] == "Pick"
