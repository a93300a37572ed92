"""Rules about the interpreter and the environment as a whole (``FTE``)."""
