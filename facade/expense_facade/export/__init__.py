"""The export pipeline: read, write the sink durably, then mark (ledger and vendor).
The ledger, the sinks and the progress display live beside it. See docs/command.md."""
