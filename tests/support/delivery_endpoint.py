"""The delivery example's stand-in API (examples/deliver_to_http.py, ``StandInApi``: it
keeps each record once by its key) served on loopback for the delivery tests, noting what
it was sent and asked, and able to misbehave on purpose."""

from __future__ import annotations

import io
import json
import runpy
import threading
from collections import Counter, defaultdict
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

EXAMPLE_PATH = Path(__file__).resolve().parents[2] / "examples" / "deliver_to_http.py"
EXAMPLE = runpy.run_path(str(EXAMPLE_PATH), run_name="example")
"""The example's module namespace (``HttpDestination``, ``StandInApi``)."""


class Endpoint:
    """The example's API on loopback. ``received`` counts every delivery of every key,
    ``ids_by_key`` the record ids each key came with, ``asked`` every ``held_keys``
    question. ``fail_after_storing``: the next batch is kept but answered 500 (the
    acknowledgement lost on the way back). ``stall_batch`` (1-based): that batch is kept
    and never answered; ``stalled`` is set and the handler waits for ``release``."""

    def __init__(self) -> None:
        self.received: Counter[str] = Counter()
        self.ids_by_key: defaultdict[str, set[str]] = defaultdict(set)
        self.asked: list[list[str]] = []
        self.batches = 0
        self.fail_after_storing = False
        self.stall_batch: int | None = None
        self.stalled = threading.Event()
        self.release = threading.Event()
        endpoint = self
        stand_in: Any = EXAMPLE["StandInApi"]

        class Api(stand_in):  # type: ignore[misc]
            held: dict[str, dict[str, object]] = {}

            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers["Content-Length"]))
                body = json.loads(raw)
                delivery = self.path == "/records"
                if delivery:
                    endpoint.batches += 1
                    for item in body["records"]:
                        endpoint.received[item["key"]] += 1
                        endpoint.ids_by_key[item["key"]].add(str(item["record"]["id"]))
                        self.held.setdefault(item["key"], item["record"])
                else:
                    endpoint.asked.append(list(body["keys"]))
                if delivery and endpoint.batches == endpoint.stall_batch:
                    endpoint.stalled.set()
                    endpoint.release.wait(60)
                    return  # kept, never answered: the sender is gone
                if delivery and endpoint.fail_after_storing:
                    endpoint.fail_after_storing = False
                    self.send_error(500)
                    return
                self.rfile: Any = io.BytesIO(raw)  # the example's own handler reads it again
                super().do_POST()

        self.api = Api
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Api)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_port}"

    def ids(self) -> list[str]:
        """The record ids the endpoint holds, sorted."""
        return sorted(str(record["id"]) for record in self.api.held.values())

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()


__all__ = ["EXAMPLE", "EXAMPLE_PATH", "Endpoint"]
