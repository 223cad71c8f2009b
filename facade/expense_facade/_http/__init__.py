"""The one HTTP layer users never import: session, retries, pacing, error mapping,
redaction, request bodies, pre-signed uploads and bounded concurrency (docs/http.md).
"""
