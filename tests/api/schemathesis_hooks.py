"""Loaded by Schemathesis (SCHEMATHESIS_HOOKS): tus chunks are raw bytes, sent as such."""

import schemathesis

schemathesis.serializer.alias("application/offset+octet-stream", "application/octet-stream")
