"""Business rules as composable Specification objects."""
