"""The `zavuch` command: one entry point that wires the subcommands of every layer."""
