"""Memory: run decisions and cross-run lessons on LangGraph's store interface."""
