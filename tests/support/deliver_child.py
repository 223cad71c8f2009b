"""A separate export process delivering through the example's HTTP destination
(examples/deliver_to_http.py), for ``tests/export/test_delivery_killed.py``:
``python -m support.deliver_child`` with its settings as JSON in ``DELIVER_CHILD``
(``endpoint``, ``ledger`` (a file or a ``postgresql://`` URL), ``base_url`` and
``credentials`` of a Pazy sandbox, ``point`` and ``marker``).

With a ``point`` (``"before-intent"``, ``"after-written"``...), the process stops there the
second time it is reached (the second batch): it writes the point to ``marker`` and waits
for the SIGKILL the test sends it. Without one it runs to the end and prints its summary
as JSON.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import expense_facade as ef
from expense_facade.export.ledger import Ledger
from expense_facade.export.ledger_store import LedgerStore, SqliteStore
from expense_facade.export.postgres.connection import is_postgres_url

from support.delivery_endpoint import EXAMPLE
from support.ledger_steps import Hook, SteppedStore

PAGE_SIZE = 7


def waiting_at(point: str, marker: Path) -> Hook:
    """A protocol-step hook that, the second time ``point`` is reached, says so in
    ``marker`` and waits to be killed."""
    reached = [0]

    def hook(step: str, when: str) -> None:
        if f"{when}-{step}" != point:
            return
        reached[0] += 1
        if reached[0] == 2:
            marker.write_text(point)
            time.sleep(600)  # the test's SIGKILL ends it here

    return hook


def main() -> int:
    settings = json.loads(os.environ["DELIVER_CHILD"])
    destination = EXAMPLE["HttpDestination"](settings["endpoint"])
    ledger: str = settings["ledger"]
    store: LedgerStore
    if is_postgres_url(ledger):
        from expense_facade.export.postgres.store import PostgresStore

        store = PostgresStore(ledger)
    else:
        store = SqliteStore(ledger)
    if settings.get("point"):
        store = SteppedStore(store, waiting_at(settings["point"], Path(settings["marker"])))
    with (
        Ledger(store=store) as book,
        ef.connect(
            "pazy", base_url=settings["base_url"], rate_limit=False, **settings["credentials"]
        ) as client,
    ):
        summary = ef.export_approved(
            client, destination, ledger=book, options=ef.ExportOptions(page_size=PAGE_SIZE)
        )
    print(json.dumps({"ok": summary.ok, "exported": summary.exported}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
