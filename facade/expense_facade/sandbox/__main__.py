"""``python -m expense_facade.sandbox --port N [--seed S] [--size N]``: serve the sandbox on
loopback, print each vendor's base URL and credentials, and run until Ctrl-C
(docs/sandbox.md).
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading

from expense_facade.sandbox.app import Sandbox


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    """Run the sandbox server until interrupted."""
    parser = argparse.ArgumentParser(prog="python -m expense_facade.sandbox")
    parser.add_argument("--port", type=int, default=8765, help="0 picks a free port")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--size", type=int, default=500, help="expenses per vendor")
    parser.add_argument("--rate-limits", action="store_true", help="enforce published limits")
    args = parser.parse_args(argv)
    # SIGTERM (and SIGINT where a parent shell ignores it) stop the server cleanly too.
    signal.signal(signal.SIGTERM, _interrupt)
    signal.signal(signal.SIGINT, _interrupt)

    sandbox = Sandbox(seed=args.seed, size=args.size)
    if args.rate_limits:
        sandbox.enable_rate_limits()
    with sandbox.serve(port=args.port, host=args.host) as server:
        print(f"expense-facade sandbox on {server.url} (seed {args.seed}, size {args.size})")
        for vendor in sandbox.vendors:
            creds = " ".join(f"{k}={v}" for k, v in sandbox.credentials(vendor).items())
            print(f"  {vendor:9} {server.base_url(vendor)}  {creds}")
        print("Ctrl-C to stop.", flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            print("stopping", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
