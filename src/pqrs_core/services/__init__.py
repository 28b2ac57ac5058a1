"""The application layer: use cases called by the CLI, the HTTP API and library users."""
