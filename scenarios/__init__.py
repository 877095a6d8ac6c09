"""The example scenarios, installed as the data package `genai_planner.examples` (`genai-planner examples`)."""
