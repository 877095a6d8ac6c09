"""Tools the agents call: one registry, built-ins and plugins through one entry-point group."""
