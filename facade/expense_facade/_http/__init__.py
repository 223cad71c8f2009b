"""The one HTTP layer users never import: session, retries, pacing, error mapping,
redaction, pre-signed uploads and bounded concurrency. See docs/adapter_guide.md."""
