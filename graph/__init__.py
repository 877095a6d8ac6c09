"""The planning graph: state, context, wiring and entry points."""
