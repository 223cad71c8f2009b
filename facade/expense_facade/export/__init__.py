"""The export pipeline: read, write the sink durably, then mark (ledger and vendor); the
ledger, the sinks and the progress display live beside it (docs/export.md).
"""
