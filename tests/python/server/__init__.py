"""headrace-server as installed, the CLI's helpers and the address rules."""
