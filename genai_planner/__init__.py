"""genai-planner: an agentic LangGraph orchestrator for generative-AI adoption planning."""
