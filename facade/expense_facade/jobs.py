"""Per-account exports as Celery tasks (the ``celery`` extra): one task exports one
(vendor, account), a beat schedule is derived from the config file's accounts, and the
task's result is the account's summary as JSON (docs/scale.md).

``celery -A expense_facade.jobs worker`` and ``celery -A expense_facade.jobs beat`` use
``app``: its broker is ``$EXPENSE_FACADE_BROKER`` (Redis or RabbitMQ URL), its result
backend ``$EXPENSE_FACADE_RESULT_BACKEND``. ``make_app`` builds another for code that
wants its own.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

from expense_facade.config import ENV_PREFIX, Config
from expense_facade.connect import connect
from expense_facade.errors import (
    APIConnectionError,
    AuthenticationError,
    ConfigurationError,
    ExpenseFacadeError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
)
from expense_facade.export.pipeline import ExportOptions, ExportSummary
from expense_facade.export.postgres.connection import is_postgres_url, keep_connections
from expense_facade.export.run import export_approved
from expense_facade.registry import normalise_vendor

try:
    import celery
    import celery.signals
except ImportError as exc:  # pragma: no cover - the message is the point
    raise ImportError(
        "expense_facade.jobs needs the celery extra: pip install 'expense-facade[celery]'"
    ) from exc

TASK_NAME: Final = "expense_facade.export_account"
"""The task's registered name (what beat entries and ``send_task`` use)."""
BROKER_ENV: Final = f"{ENV_PREFIX}_BROKER"
RESULT_BACKEND_ENV: Final = f"{ENV_PREFIX}_RESULT_BACKEND"
DEFAULT_EVERY: Final = dt.timedelta(minutes=15)
"""How often beat exports each account unless ``[jobs] every`` says otherwise."""
MAX_RETRIES: Final = 5
RETRY_BACKOFF_S: Final = 30.0
"""First wait before retrying a connection or server error (doubled per retry)."""
MAX_RETRY_WAIT_S: Final = 3600.0
"""A vendor asking for a longer wait than this is retried after this long."""

_log = logging.getLogger(__name__)
_TRANSIENT = (RateLimitError, APIConnectionError, ServerError)
_NEVER_RETRIED = (AuthenticationError, PermissionDeniedError, ConfigurationError)


class AccountExportFailed(ExpenseFacadeError):
    """An account's export stopped on an error that retrying does not cure (a credential
    the vendor refuses, a configuration mistake), or retries ran out."""


# -- what one task does ------------------------------------------------------------------


def export_settings(config: Config) -> Mapping[str, Any]:
    """The config file's ``[export]`` table (``ledger``, ``out``, ``receipts`` and the
    durations)."""
    table = config.data.get("export", {})
    if not isinstance(table, dict):
        raise ConfigurationError(f"config file {config.path}: [export] must be a table")
    return table


def export_account(
    vendor: str,
    account: str | None = None,
    *,
    config: Config | None = None,
    out: str | None = None,
    ledger: str | None = None,
    options: ExportOptions | None = None,
    **connect_kwargs: Any,
) -> ExportSummary:
    """Export one configured account's approved expenses, as ``expense-facade export
    --vendor VENDOR --account ACCOUNT`` would: ``out`` and ``ledger`` default to the
    config's ``[export] out`` and ``[export] ledger``, and receipt files are downloaded
    into ``[export] receipts`` when it is set. An output folder gets one file per account
    (``<vendor>[.<account>].jsonl``)."""
    the_config = config if config is not None else Config.load()
    table = export_settings(the_config)
    target = out if out is not None else table.get("out")
    book = ledger if ledger is not None else table.get("ledger")
    if not isinstance(target, str) or not target:
        raise ConfigurationError("no output: set out in [export] of the config file")
    if not isinstance(book, str) or not book:
        raise ConfigurationError("no ledger: set ledger in [export] of the config file")
    receipts = table.get("receipts")
    if receipts is not None and (not isinstance(receipts, str) or not receipts.strip()):
        raise ConfigurationError("receipts in [export] of the config file must be a folder")
    settings = the_config.account(vendor, account)
    label = settings.label
    with connect(
        normalise_vendor(settings.vendor),
        account=settings.name,
        config=the_config,
        **connect_kwargs,
    ) as client:
        return export_approved(
            {label: client}, target, ledger=book, options=options, receipts=receipts
        )


def summary_json(summary: ExportSummary, label: str) -> dict[str, Any]:
    """The account's summary as JSON-ready data (the task's result)."""
    return {
        "account": label,
        "vendors": list(summary.vendors),
        "ok": summary.ok,
        "exported": summary.exported,
        "skipped": summary.skipped,
        "marked": summary.marked,
        "recovered": summary.recovered,
        "failed": [{"id": f.expense_id, "reason": f.reason} for f in summary.failed],
        "malformed": [{"id": m.record_id, "reason": m.reason} for m in summary.malformed],
        "errors": [e.reason for e in summary.errors],
        "listings": [listing.describe() for listing in summary.listings],
        # Another worker was exporting this account (a shared PostgreSQL ledger): skipped.
        "held_elsewhere": list(summary.held_elsewhere),
        "elapsed": round(summary.elapsed, 3),
        # Receipt files ([export] receipts); None when they were not asked for.
        "receipts": None
        if summary.receipts is None
        else {
            "downloaded": summary.receipts.downloaded,
            "skipped": summary.receipts.skipped,
            "failed": [
                {"id": f.expense_id, "receipt_id": f.receipt_id, "reason": f.reason}
                for f in summary.receipts.failed
            ],
        },
    }


def stopping_error(summary: ExportSummary) -> ExpenseFacadeError | None:
    """The typed error that stopped the account's listing, if one did."""
    for failure in summary.errors:
        if failure.error is not None:
            return failure.error
    return None


def retry_wait(error: ExpenseFacadeError, retries: int) -> float | None:
    """Seconds to wait before retrying after ``error`` (the ``retries``-th retry so far),
    or None when it is not retried: a ``RateLimitError`` waits its ``retry_after``, a
    connection or server error backs off exponentially, an ``AuthenticationError`` (and
    any other error) is never retried."""
    if isinstance(error, _NEVER_RETRIED) or not isinstance(error, _TRANSIENT):
        return None
    if isinstance(error, RateLimitError) and error.retry_after is not None:
        return min(max(error.retry_after, 0.0), MAX_RETRY_WAIT_S)
    return min(RETRY_BACKOFF_S * 2.0**retries, MAX_RETRY_WAIT_S)


# -- the schedule --------------------------------------------------------------------------


def beat_schedule(config: Config, every: dt.timedelta | None = None) -> dict[str, Any]:
    """One beat entry per configured account of every configured vendor, each running
    the export task every ``every`` (default ``[jobs] every`` in seconds, else 15 minutes)."""
    period = every
    if period is None:
        jobs = config.data.get("jobs", {})
        seconds = jobs.get("every") if isinstance(jobs, dict) else None
        period = DEFAULT_EVERY if seconds is None else dt.timedelta(seconds=float(seconds))
    if period <= dt.timedelta(0):
        raise ConfigurationError("[jobs] every must be a positive number of seconds")
    schedule: dict[str, Any] = {}
    for vendor in config.configured_vendors():
        for name in config.account_names(vendor):
            label = vendor if name is None else f"{vendor}.{name}"
            schedule[f"export {label}"] = {
                "task": TASK_NAME,
                "schedule": period.total_seconds(),
                "args": (vendor, name),
                # A run still queued when the next is due is replaced, not doubled.
                "options": {"expires": period.total_seconds()},
            }
    return schedule


# -- the Celery app -------------------------------------------------------------------------


def _file_state(path: Path | None) -> tuple[int, ...] | None:
    """What tells a config file changed (None: no file, read every time)."""
    if path is None:
        return None
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return (stat.st_ino, stat.st_size, stat.st_mtime_ns)


_loaded: dict[str | None, tuple[tuple[int, ...], Config]] = {}
"""The config file each app's tasks read, by its ``expense_facade_config``: read again
only once the file changed (a worker runs thousands of tasks; a config may hold thousands
of accounts, each checked when read)."""


def _config_of(app: Any) -> Config:
    where = app.conf.get("expense_facade_config")
    known = _loaded.get(where)
    if known is not None and known[0] == _file_state(known[1].path):
        return known[1]
    config = Config.load(None if where is None else Path(where))
    state = _file_state(config.path)
    if state is not None:
        _loaded[where] = (state, config)
    return config


def warm_up(app: Any) -> None:
    """Do in a worker process, before its first task, what every task would otherwise do
    first: import each configured vendor's adapter (a client made and closed), and open
    the PostgreSQL ledger and its reader once (its layout checked, their connections kept
    for the tasks: ``keep_connections``). A failure is left to the tasks to report."""
    keep_connections()
    try:
        config = _config_of(app)
        for vendor in config.configured_vendors():
            name = config.account_names(vendor)[0]
            connect(normalise_vendor(vendor), account=name, config=config).close()
        book = export_settings(config).get("ledger")
        if is_postgres_url(book):
            from expense_facade.export.ledger import Ledger
            from expense_facade.export.postgres.store import PostgresStore

            ledger = Ledger(store=PostgresStore(str(book)))
            try:
                ledger.reader().close()  # every task opens a reader too: its connection
            finally:
                ledger.close()
    except Exception:  # each task says what is wrong, with its account
        _log.debug("warming up the worker failed; the tasks will say why", exc_info=True)


def _export_task(task: Any, vendor: str, account: str | None = None) -> dict[str, Any]:
    """The task: export one account; retry or fail on the typed error that stopped it."""
    keep_connections()  # a worker process: reuse its PostgreSQL connections (idempotent)
    config = _config_of(task.app)
    label = config.account(vendor, account).label
    summary = export_account(vendor, account, config=config)
    error = stopping_error(summary)
    if error is None:
        return summary_json(summary, label)
    reason = summary.errors[0].reason  # "<vendor>: ..." already
    if not reason.startswith(f"{label}:"):
        reason = f"{label}: {reason}"
    wait = retry_wait(error, task.request.retries)
    if wait is None or task.request.retries >= task.max_retries:
        raise AccountExportFailed(reason)
    raise task.retry(countdown=wait, exc=AccountExportFailed(reason))


def _schedule(sender: Any, **_: Any) -> None:
    sender.conf.beat_schedule = beat_schedule(_config_of(sender))


def make_app(
    broker: str | None = None,
    backend: str | None = None,
    *,
    config_path: str | os.PathLike[str] | None = None,
    queue: str | None = None,
    transport_options: Mapping[str, Any] | None = None,
) -> Any:
    """A Celery app with the export task registered: ``broker`` (default
    ``$EXPENSE_FACADE_BROKER``, else Redis on localhost), ``backend`` for results
    (default ``$EXPENSE_FACADE_RESULT_BACKEND``, else Redis for a Redis broker and
    ``rpc://`` for RabbitMQ), ``config_path`` the config file the tasks read (default as
    ``connect``), ``queue`` the queue the task goes to."""
    broker_url = broker or os.environ.get(BROKER_ENV) or "redis://127.0.0.1:6379/0"
    backend_url = backend or os.environ.get(RESULT_BACKEND_ENV)
    if backend_url is None:
        backend_url = broker_url if broker_url.startswith("redis") else "rpc://"
    app = celery.Celery("expense_facade", broker=broker_url, backend=backend_url)
    app.conf.update(
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        # A worker killed mid-export leaves its message unacknowledged: the broker hands
        # it to another worker, which resumes the account from the ledger.
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        broker_connection_retry_on_startup=True,
        result_extended=True,
    )
    if queue is not None:
        app.conf.task_default_queue = queue
    if transport_options:
        app.conf.broker_transport_options = dict(transport_options)
        app.conf.result_backend_transport_options = dict(transport_options)
    app.conf.expense_facade_config = None if config_path is None else os.fspath(config_path)
    app.task(name=TASK_NAME, bind=True, acks_late=True, max_retries=MAX_RETRIES)(_export_task)
    app.on_after_configure.connect(_schedule, weak=False)

    def warm_worker(sender: Any = None, **_: Any) -> None:
        # worker_init: the worker's main process (which runs the tasks with the solo or
        # threads pool); worker_process_init: each child of the prefork pool.
        worker_app = getattr(sender, "app", None) or celery.current_app._get_current_object()
        if worker_app is app:
            warm_up(app)

    celery.signals.worker_init.connect(warm_worker, weak=False)
    celery.signals.worker_process_init.connect(warm_worker, weak=False)
    return app


app = make_app()
"""The app ``celery -A expense_facade.jobs`` runs (see the module docstring)."""

__all__ = [
    "BROKER_ENV",
    "DEFAULT_EVERY",
    "RESULT_BACKEND_ENV",
    "TASK_NAME",
    "AccountExportFailed",
    "app",
    "beat_schedule",
    "export_account",
    "export_settings",
    "make_app",
    "retry_wait",
    "stopping_error",
    "summary_json",
    "warm_up",
]
