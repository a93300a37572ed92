"""Small helpers every layer above the model may use: display text, regular-file reads
and the crash-isolating process pool."""
