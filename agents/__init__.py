"""The four agents: planner, researcher, writer and reviewer, one module each, prompts beside them."""
