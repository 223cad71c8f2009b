"""Deliver approved expenses to your own system's HTTP API instead of a file: at least
once, each record under a stable idempotency key, and the ledger records a record only
once the endpoint has acknowledged it. After a crash the export asks the endpoint which
keys it holds (held_keys), and delivers the others again under the same keys.

The endpoint below is a stand-in served on loopback (it keeps each key once); point
HttpDestination at your API instead."""

import json
import threading
from collections.abc import Collection, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import expense_facade as ef
import httpx
from expense_facade.export.delivery import Delivery


class HttpDestination:
    """POST /records {"records": [{"key", "record"}, ...]}: a 2xx answer acknowledges
    the batch. POST /records/held {"keys": [...]} answers {"held": [...]}."""

    def __init__(self, base_url: str) -> None:
        self.name = base_url  # the ledger binds what it delivered to this name
        self._http = httpx.Client(base_url=base_url, timeout=30.0)

    def deliver(self, deliveries: Sequence[Delivery]) -> None:
        body = {"records": [{"key": d.key, "record": d.record} for d in deliveries]}
        self._http.post("/records", json=body).raise_for_status()

    def held_keys(self, keys: Sequence[str]) -> Collection[str]:
        answer = self._http.post("/records/held", json={"keys": list(keys)})
        answer.raise_for_status()
        return set(answer.json()["held"])


class StandInApi(BaseHTTPRequestHandler):
    """Your API's part: keep each record once, by its idempotency key."""

    held: dict[str, dict[str, object]] = {}

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        if self.path == "/records":
            for item in body["records"]:
                self.held.setdefault(item["key"], item["record"])  # a repeat is a no-op
            answer: dict[str, object] = {"ok": True}
        else:
            answer = {"held": [key for key in body["keys"] if key in self.held]}
        data = json.dumps(answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        pass


if __name__ == "__main__":
    api = ThreadingHTTPServer(("127.0.0.1", 0), StandInApi)
    threading.Thread(target=api.serve_forever, daemon=True).start()
    destination = HttpDestination(f"http://127.0.0.1:{api.server_port}")
    with ef.connect("brex", sandbox=True) as client:
        first = ef.export_approved(client, destination, ledger="ledger.sqlite3")
        again = ef.export_approved(client, destination, ledger="ledger.sqlite3")
    print(f"delivered {first.exported}, then {again.exported} on the second run")
    print(f"the endpoint holds {len(StandInApi.held)} records, one per key")
    api.shutdown()
