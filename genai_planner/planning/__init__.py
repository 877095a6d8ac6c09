"""Planning layer: the brief (what the use case says) and the figures computed from it, shared by every engine."""
