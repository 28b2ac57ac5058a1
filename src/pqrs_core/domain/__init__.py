"""Domain model: pure objects with no I/O."""
