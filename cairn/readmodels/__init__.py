"""Read models filled from the event log, and the runner that keeps them current."""
