"""Chat-model engines: the offline engine and wrappers, all handed out by `factory`."""
