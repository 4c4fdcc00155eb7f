"""The business model of prometeo: pure Python, standard library only, no I/O."""
