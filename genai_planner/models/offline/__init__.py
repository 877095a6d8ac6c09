"""The offline engine: deterministic planning answers from the prompt, no key, no network."""

from genai_planner.models.offline.model import OFFLINE_MODEL_NAME, OfflineChatModel

__all__ = ["OFFLINE_MODEL_NAME", "OfflineChatModel"]
