"""A whole season rehearsed against the real server, as its users would: `make rehearsal`."""
