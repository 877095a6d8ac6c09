"""The graph's wiring, as a snapshot of its Mermaid drawing: a wiring change is a visible diff."""

from genai_planner.graph.builder import build_graph


def test_graph_shape(snapshot):
    assert build_graph().compile().get_graph().draw_mermaid() == snapshot
