"""The people's screens: server-rendered pages over the application services."""
