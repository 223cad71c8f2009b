"""Client cost over loopback: the facade against a plain ``httpx`` + ``json.loads`` loop,
both reading the sandbox served from a process of its own (``bench_vendor.py``).

Each contender runs in a fresh interpreter of its own (so each has its own peak RSS), one
after the other in a rotating order, several times; what is compared is the *client's*
process CPU time (``time.process_time`` around the listing, imports excluded): the
server, on the same machine, is the bottleneck of the wall time, for every contender alike.

* ``facade``: ``connect(vendor, base_url=...).list_approved()`` iterated to the end;
* ``plain``: the very requests the facade made (method, URL, headers: recorded once,
  untimed, by a run through a recording transport), sent in order by one ``httpx.Client``,
  each body parsed by ``json.loads``.

Used by ``scripts/bench.py`` (the ``loopback`` section and ``--compare``); run as a
script it is one contender's child:

    python scripts/bench_loopback.py facade --vendor brex --served '{"base_url": ...}'
    python scripts/bench_loopback.py plain --requests requests.json

Each prints one JSON line: ``cpu``, ``wall`` (seconds), ``peak_rss_mb``, ``count`` (and
the facade the folder its package was imported from).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from expense_facade.registry import normalise_vendor

SCRIPT = Path(__file__).resolve()
REPO = SCRIPT.parent.parent

SKIPPED_HEADERS = frozenset({"host", "content-length"})
"""Request headers the plain loop does not copy (httpx sets them itself)."""

PATIENCE = 600.0
"""Seconds either contender waits for an answer: a sandbox page of thousands of records,
generated on a machine shared by many, can take longer than a real vendor would."""


# -- children -----------------------------------------------------------------------------


def peak_rss_mb() -> float:
    """This process's peak resident set size in MB (Linux reports ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_facade(
    vendor: str, served: Mapping[str, Any], options: Mapping[str, Any], record: str | None
) -> dict[str, Any]:
    """(Child) list every approved expense through the facade; with ``record``, through a
    transport that writes the requests made to that file (the plain loop's script)."""
    import expense_facade as ef
    import httpx
    from expense_facade.registry import adapter_class

    adapter_class(vendor)  # the adapter's imports are first use, not per-expense cost
    sent: list[tuple[str, str, list[tuple[str, str]]]] = []
    transport: httpx.BaseTransport | None = None
    if record is not None:

        class Recorder(httpx.HTTPTransport):
            def handle_request(self, request: httpx.Request) -> httpx.Response:
                kept = [(k, v) for k, v in request.headers.items() if k not in SKIPPED_HEADERS]
                sent.append((request.method, str(request.url), kept))
                return super().handle_request(request)

        transport = Recorder()
    wall, cpu = time.perf_counter(), time.process_time()
    with ef.connect(
        normalise_vendor(vendor),
        base_url=served["base_url"],
        rate_limit=False,
        transport=transport,
        timeout=PATIENCE,
        deadline=PATIENCE,
        **served["credentials"],
        **options,
    ) as client:
        count = sum(1 for _ in client.list_approved())
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    if record is not None:
        Path(record).write_text(json.dumps(sent))
    figures = {"cpu": cpu, "wall": wall, "peak_rss_mb": peak_rss_mb(), "count": count}
    return {**figures, "package": str(Path(ef.__file__).resolve().parent)}


def run_plain(requests_file: str) -> dict[str, Any]:
    """(Child) the recorded requests, in order, through one ``httpx.Client``; every body
    parsed with ``json.loads``. ``count`` is the requests sent."""
    import httpx

    requests = json.loads(Path(requests_file).read_text())
    wall, cpu = time.perf_counter(), time.process_time()
    count = 0
    with httpx.Client(timeout=PATIENCE) as client:
        for method, url, headers in requests:
            response = client.request(method, url, headers=headers)
            response.raise_for_status()
            json.loads(response.content)
            count += 1
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    return {"cpu": cpu, "wall": wall, "peak_rss_mb": peak_rss_mb(), "count": count}


# -- the parent side ------------------------------------------------------------------------


def checkout_env(checkout: Path | None) -> dict[str, str] | None:
    """The environment that makes a child import the package from ``checkout`` (its
    ``facade`` and ``generated`` folders ahead of the editable install); ``None``: this
    checkout's own."""
    if checkout is None:
        return None
    env = dict(os.environ)
    paths = [str(checkout / "facade"), str(checkout / "generated")]
    env["PYTHONPATH"] = os.pathsep.join([*paths, env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    return env


def contender(args: Sequence[str], env: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Run one contender child and return its figures."""
    done = subprocess.run(
        [sys.executable, str(SCRIPT), *args],
        capture_output=True, text=True, cwd=REPO, env=env, timeout=1800, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"{args[0]} child failed: {done.stderr.strip()[-2000:]}")
    figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def measure(
    vendor: str,
    size: int,
    reps: int,
    options: Mapping[str, Any],
    folder: Path,
    checkouts: Mapping[str, Path | None],
) -> dict[str, Any]:
    """Serve ``vendor`` (``size`` expenses), record the facade's requests once, then run
    ``plain`` and the facade of every checkout (name -> folder, ``None`` for this one) in
    a rotating order ``reps`` times. Returns each contender's list of figures, and
    ``requests`` and ``listed``."""
    from bench_vendor import served_vendor

    script = folder / f"{vendor}-{len(options)}-requests.json"
    with served_vendor(vendor, size) as served:
        given = json.dumps({"base_url": served.base_url, "credentials": served.credentials})
        common = ["--vendor", vendor, "--served", given, "--options", json.dumps(options)]
        first = contender(["facade", *common, "--record", str(script)])
        runs: dict[str, list[dict[str, Any]]] = {"plain": []}
        runs.update({name: [] for name in checkouts})
        names = list(runs)
        for rep in range(reps):
            for name in names[rep % len(names) :] + names[: rep % len(names)]:
                if name == "plain":
                    figures = contender(["plain", "--requests", str(script)])
                else:
                    figures = contender(["facade", *common], checkout_env(checkouts[name]))
                    check_package(figures["package"], checkouts[name])
                    if figures["count"] != first["count"]:
                        raise RuntimeError(
                            f"{name} listed {figures['count']}, first run {first['count']}"
                        )
                runs[name].append(figures)
    return {"listed": first["count"], "requests": len(json.loads(script.read_text())), **runs}


def check_package(package: str, checkout: Path | None) -> None:
    """The child imported the package from ``checkout`` (or this one): a comparison of a
    checkout with itself would say nothing."""
    expected = (checkout or REPO).resolve() / "facade" / "expense_facade"
    if Path(package) != expected:
        raise RuntimeError(f"the child imported {package}, not {expected}")


def main(argv: Sequence[str] | None = None) -> int:
    """One contender child (see the module docstring)."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("contender", choices=("facade", "plain"))
    parser.add_argument("--vendor")
    parser.add_argument("--served", help="JSON: base_url and credentials")
    parser.add_argument("--options", default="{}", help="JSON: more connect() options")
    parser.add_argument("--record", help="facade: write the requests made to this file")
    parser.add_argument("--requests", help="plain: the recorded requests")
    args = parser.parse_args(argv)
    if args.contender == "facade":
        figures = run_facade(
            args.vendor, json.loads(args.served), json.loads(args.options), args.record
        )
    else:
        figures = run_plain(args.requests)
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
