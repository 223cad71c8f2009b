"""``ExpenseClient``: the public client every vendor adapter subclasses. It holds what is
the same for all vendors (the five operations with their checks, the HTTP session, page
parsing, fan-out), so an adapter is a mapping table plus its calls; the contract is in
docs/adapter_guide.md.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import ipaddress
from collections.abc import (
    Callable,
    Collection,
    Hashable,
    Iterable,
    Iterator,
    Mapping,
    Sequence,
)
from types import TracebackType
from typing import Any, ClassVar, Self, TypeVar

import attrs
import httpx

from expense_facade._http.concurrency import (
    DEFAULT_CONCURRENCY,
    DEFAULT_FAN_OUT,
    check_concurrency,
    check_read_ahead,
    ordered_map,
)
from expense_facade._http.concurrency import read_ahead as read_ahead_of
from expense_facade._http.downloads import (
    DEFAULT_MAX_RECEIPT_BYTES,
    DownloadDestination,
    DownloadedFile,
    DownloadTarget,
)
from expense_facade._http.error_mapping import (
    ErrorFormat,
    VendorFailure,
    attempts_of,
    decode_json,
    malformed_response,
)
from expense_facade._http.limits import DEFAULT_DEADLINE, DEFAULT_MAX_RESPONSE_BYTES
from expense_facade._http.pacing import TokenBucket
from expense_facade._http.redaction import (
    excerpt,
    get_logger,
    is_secret_name,
    redact,
    register_secret,
)
from expense_facade._http.retry import (
    DEFAULT_READ_TIMEOUT,
    RetryPolicy,
    as_timeout,
    check_max_retries,
    default_timeout,
)
from expense_facade._http.session import (
    HttpSession,
    RateLimit,
    Timeout,
    check_extra_headers,
    recording_request_ids,
)
from expense_facade._http.uploads import (
    DEFAULT_MAX_UPLOAD_BYTES,
    PresignedClient,
    UploadFile,
    read_upload_file,
)
from expense_facade.clock import Clock, SystemClock
from expense_facade.credentials import Credential, Credentials, specs_from
from expense_facade.errors import ConfigurationError, UnsupportedOperation, ValidationError
from expense_facade.listing import (
    AnyPage,
    ItemsPage,
    KnownArgument,
    KnownRecords,
    Listing,
    RawPage,
    as_known,
    read_pages,
    without_known,
)
from expense_facade.mapping.shapes import UnexpectedShape
from expense_facade.operations import Operation
from expense_facade.records import (
    CardTransaction,
    CardTransactionResult,
    Expense,
    MarkExportedResult,
    ReceiptDownload,
    ReceiptRef,
    ReceiptUpload,
)
from expense_facade.steps import (
    Call,
    Concurrently,
    Download,
    Effect,
    PresignedGet,
    PresignedPut,
    Send,
    Step,
    confirming,
    done,
    result_of,
    run_sync,
    until_first_page,
)

log = get_logger(__name__)

_T = TypeVar("_T")
_R = TypeVar("_R")

_OP_KWARGS = frozenset({"method", "url", "params", "json", "content", "data", "files", "headers"})


OPERATION_HOOKS: Mapping[Operation, tuple[str, str]] = {
    Operation.LIST_APPROVED: ("_approved_steps", "_approved_pages"),
    Operation.GET_EXPENSE: ("_get_expense_steps", "_get_expense"),
    Operation.MARK_EXPORTED: ("_mark_exported_steps", "_mark_exported"),
    Operation.UPLOAD_RECEIPT: ("_upload_receipt_steps", "_upload_receipt"),
    Operation.POST_CARD_TRANSACTION: ("_post_card_transaction_steps", "_post_card_transaction"),
    Operation.DOWNLOAD_RECEIPT: ("_download_receipt_steps", "_download_receipt"),
}
"""Per operation, the adapter's hook as steps (run by both clients) and its blocking form
(derived from the steps; overridden only by an adapter written without steps, which then
serves the sync client alone). An adapter defines one of the two."""


@attrs.frozen(slots=True)
class ConnectionSettings:
    """Everything ``connect`` resolved for one session (the adapter's constructor input)."""

    base_url: str
    credentials: Mapping[str, Any] = attrs.field(repr=False)
    timeout: httpx.Timeout = attrs.field(factory=default_timeout)
    retry_policy: RetryPolicy = attrs.field(factory=RetryPolicy)
    rate_limiter: TokenBucket | None = None
    clock: Clock = attrs.field(factory=SystemClock)
    transport: httpx.BaseTransport | None = None
    concurrency: int = DEFAULT_FAN_OUT
    """Requests in flight at once where a listing fans out (details, sub-resources)."""
    read_ahead: int = 0
    """Pages a listing fetches ahead of its consumer by default (0: none)."""
    account: str | None = None
    """The account's name in the config (``[brex.acme]`` -> ``"acme"``); ``None``: unnamed."""
    shared_client: httpx.Client | None = attrs.field(default=None, repr=False, eq=False)
    """The httpx client of the client this one was derived from (``with_options``): the
    connection pool is shared, and closed by its owner only."""
    max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES
    """Largest response body accepted, after decompression."""
    deadline: float = DEFAULT_DEADLINE
    """Seconds one attempt may take, from connect to last byte."""
    extra_headers: Mapping[str, str] = attrs.field(factory=dict)
    """The caller's own headers on every request (``with_options(extra_headers=)``)."""
    sync_http: bool = True
    """False: the adapter as logic only, its steps driven by ``AsyncExpenseClient`` (no
    blocking HTTP session is made)."""
    async_transport: httpx.AsyncBaseTransport | None = None
    """``transport`` for ``AsyncExpenseClient`` (``aconnect(transport=...)``)."""
    shared_async_client: httpx.AsyncClient | None = attrs.field(default=None, repr=False, eq=False)
    """``shared_client`` for ``AsyncExpenseClient`` (``with_options``)."""


class ExpenseClient:
    """A session with one vendor account: the five common operations.

    Use ``expense_facade.connect(...)`` to build one; use it as a context manager or call
    ``close()``. ``capabilities`` lists the operations the vendor supports natively; the
    others raise ``UnsupportedOperation``.
    """

    # ---- declared by each adapter ------------------------------------------------------
    vendor: ClassVar[str] = ""
    """The vendor key (``"brex"``)."""
    capabilities: ClassVar[frozenset[Operation]] = frozenset()
    """Operations the vendor supports natively."""
    default_base_url: ClassVar[str] = ""
    """The vendor's production server URL (paths in the spec are relative to it)."""
    credential_specs: ClassVar[tuple[Credential, ...]] = ()
    """The ``connect`` keywords: name, type, required or not, default. The one source for
    ``required_credentials``, ``optional_credentials``, the environment variables and the
    config file keys (``expense_facade.config``)."""
    credential_alternatives: ClassVar[tuple[tuple[str, ...], ...]] = ()
    """For a vendor none of whose credentials is required on its own: the sets, one of
    which must be given (Revolut: a token, or the four refresh settings). Shown by
    ``expense-facade vendors``."""
    required_credentials: ClassVar[tuple[str, ...]] = ()
    """``connect`` kwargs that must be given (``("token",)``); derived from
    ``credential_specs`` when the adapter declares those."""
    optional_credentials: ClassVar[Mapping[str, Any]] = {}
    """``connect`` kwargs that may be given, with their defaults (``{"version": "beta"}``);
    derived from ``credential_specs`` when the adapter declares those."""
    error_format: ClassVar[ErrorFormat] = ErrorFormat()
    """How the vendor words errors (code/message extraction, request-id headers)."""
    read_timeout: ClassVar[float] = DEFAULT_READ_TIMEOUT
    """Default read timeout when the user gives none (Capture: 120 s)."""
    max_page_size: ClassVar[int] = 100
    """Largest page the vendor serves; ``list_approved`` uses it when no size is given."""
    max_upload_bytes: ClassVar[int] = DEFAULT_MAX_UPLOAD_BYTES
    """Largest receipt the vendor accepts (checked before any request)."""
    max_receipt_bytes: ClassVar[int] = DEFAULT_MAX_RECEIPT_BYTES
    """Largest receipt file ``download_receipt`` accepts unless told otherwise."""
    rate_limit: ClassVar[RateLimit | None] = None
    """Documented request budget; ``connect`` paces to it unless told otherwise."""
    filters_by_update_time: ClassVar[bool] = False
    """True when ``list_approved(since=)`` is a server-side filter on the vendor's update
    time (Brex, ProSpend): an export can then resume from a position (docs/command.md)."""
    ids_unique_across_accounts: ClassVar[bool] = False
    """True when the vendor's expense ids are unique across all of its customers, so the
    export ledger dedupes a record by its id whatever account it came through
    (docs/export.md, "Account identity", says why for each vendor)."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "credential_specs" in cls.__dict__:
            specs = cls.credential_specs
            cls.required_credentials = tuple(s.name for s in specs if s.required)
            cls.optional_credentials = {s.name: s.default for s in specs if not s.required}
        elif "required_credentials" in cls.__dict__ or "optional_credentials" in cls.__dict__:
            cls.credential_specs = specs_from(
                tuple(cls.required_credentials), dict(cls.optional_credentials)
            )

    def __init__(self, settings: ConnectionSettings) -> None:
        self._settings = settings
        given = {**self.optional_credentials, **settings.credentials}
        declared = {s.name for s in self.credential_specs if s.secret}
        secret = frozenset(name for name in given if name in declared or is_secret_name(name))
        # Held where repr, str and vars() show a placeholder (vars(client) shows no secret).
        self._credentials = Credentials(given, secret)
        for name in secret:
            register_secret(given[name])
        self.base_url = settings.base_url
        self.concurrency: int = settings.concurrency
        """Requests in flight at once where a listing fans out (``connect(concurrency=)``,
        default 1)."""
        if settings.sync_http:
            self._http = self._new_session(settings)
        self._plain_http: HttpSession | None = None  # Send(auth=False): no vendor auth
        self._presigned: PresignedClient | None = None
        self.account: str = settings.account or self._account()
        """The account's stable identity: its name in the config, else derived from the
        vendor's coordinates (host, and company where one host serves many; never the port
        of a loopback server). The export ledger keys its state by (vendor, account), and
        every record carries it (``Expense.account``). docs/command.md, "Accounts"."""

    def _new_session(self, settings: ConnectionSettings, *, auth: bool = True) -> HttpSession:
        return HttpSession(
            self.vendor,
            base_url=settings.base_url,
            auth_headers=self._auth_headers if auth else None,
            refresh_auth=self._refresh_auth if auth else None,
            error_format=self.error_format,
            timeout=settings.timeout,
            retry_policy=settings.retry_policy,
            rate_limiter=settings.rate_limiter,
            clock=settings.clock,
            transport=settings.transport,
            shared_client=settings.shared_client,
            max_response_bytes=settings.max_response_bytes,
            deadline=settings.deadline,
            extra_headers=settings.extra_headers,
        )

    @property
    def vendor_time(self) -> dt.datetime | None:
        """The vendor's own clock: the latest ``Date`` it answered with (None before any
        answer, or when it sends none)."""
        return self._http.vendor_date

    def credential_fingerprint(self, key: bytes) -> str:
        """HMAC-SHA256 under ``key`` of the settings that select the account (every secret
        and every required setting; a number written with leading zeros is the same
        number): the export's account identity (docs/export.md, "Account identity").
        Never the values themselves."""
        mac = hmac.new(key, digestmod=hashlib.sha256)
        for spec in sorted(self.credential_specs, key=lambda s: s.name):
            value = self._credentials.get(spec.name)
            if value is None or not (spec.secret or spec.required):
                continue
            text = str(value).strip()
            if text.isascii() and text.isdigit():
                text = str(int(text))
            mac.update(f"{spec.name}\0{len(text)}\0{text}\0".encode("utf-8", "surrogatepass"))
        return mac.hexdigest()

    # ---- hooks for the adapter -----------------------------------------------------------
    def _auth_headers(self) -> Mapping[str, str]:
        """Headers carrying the credential; called before every attempt (tokens may change)."""
        return {}

    def _refresh_auth(self) -> bool:
        """Called once after a 401: refresh the credential and return True to retry once.
        Blocking requests are not made here but in ``_auth_steps``."""
        return False

    def _auth_steps(self) -> Step[None] | None:
        """The requests the credential needs before the next request, when it needs any
        (Revolut's token refresh when due: it then sends ``Send(..., auth=False)``);
        ``None`` when it is ready. Asked before every request and after a 401 that
        ``_refresh_auth`` answered True; the clients run it under one lock, and ask again
        under it (a thread or task that waited finds the credential ready)."""
        return None

    def _account(self) -> str:
        """The account identity derived from the vendor's coordinates: by default the base
        URL's host, with its port unless it is a loopback address (a sandbox served on a
        new port each run is still the same account)."""
        url = httpx.URL(self.base_url)
        return f"{url.host}:{url.port}" if url.port and not _is_loopback(url.host) else url.host

    # The operations as steps (expense_facade.steps): written once, run by this client
    # and by AsyncExpenseClient. docs/adapter_guide.md, "One logic, two drivers".
    def _approved_steps(
        self, since: dt.datetime | None, page_size: int, known: KnownRecords
    ) -> Step[None]:
        """Emit ``(expenses, malformed)`` per vendor page (``yield Emit(page)``).

        Ask ``known`` before per-record requests (``known.among(ids)``); known records
        left in a page are dropped by the base class."""
        raise UnsupportedOperation(self.vendor, Operation.LIST_APPROVED)

    def _get_expense_steps(self, expense_id: str) -> Step[Expense]:
        raise UnsupportedOperation(self.vendor, Operation.GET_EXPENSE)

    def _mark_exported_steps(self, items: tuple[Expense | str, ...]) -> Step[MarkExportedResult]:
        raise UnsupportedOperation(self.vendor, Operation.MARK_EXPORTED)

    def _upload_receipt_steps(
        self, upload: UploadFile, expense_id: str | None
    ) -> Step[ReceiptUpload]:
        raise UnsupportedOperation(self.vendor, Operation.UPLOAD_RECEIPT)

    def _post_card_transaction_steps(self, tx: CardTransaction) -> Step[CardTransactionResult]:
        raise UnsupportedOperation(self.vendor, Operation.POST_CARD_TRANSACTION)

    def _download_receipt_steps(
        self, expense_id: str, receipt_id: str, target: DownloadTarget
    ) -> Step[int]:
        """Stream the receipt's file into ``target`` (``Download`` or ``PresignedGet``);
        returns how many expired URLs were asked for again."""
        raise UnsupportedOperation(self.vendor, Operation.DOWNLOAD_RECEIPT)

    def _check_access_steps(self) -> Step[None]:
        """The cheapest authenticated request: by default the first listing page of one
        record. An adapter whose listing fans out overrides it with its list call alone."""
        return until_first_page(self._approved_steps(None, 1, KnownRecords()))

    # The blocking forms of the operations: the steps above, run by this client. An
    # adapter written before steps overrides these instead (sync client only).
    def _approved_pages(
        self, since: dt.datetime | None, page_size: int, known: KnownRecords
    ) -> Iterator[AnyPage]:
        """Per vendor page an ``ItemsPage`` or ``(expenses, malformed)``; a generator (lazy)."""
        return run_sync(self._approved_steps(since, page_size, known), self._perform)

    def _get_expense(self, expense_id: str) -> Expense:
        return self._run(self._get_expense_steps(expense_id))

    def _mark_exported(self, items: tuple[Expense | str, ...]) -> MarkExportedResult:
        return self._run(confirming(self._mark_exported_steps(items), None))

    def _upload_receipt(self, upload: UploadFile, expense_id: str | None) -> ReceiptUpload:
        return self._run(self._upload_receipt_steps(upload, expense_id))

    def _post_card_transaction(self, tx: CardTransaction) -> CardTransactionResult:
        return self._run(self._post_card_transaction_steps(tx))

    def _download_receipt(self, expense_id: str, receipt_id: str, target: DownloadTarget) -> int:
        return self._run(self._download_receipt_steps(expense_id, receipt_id, target))

    def _check_access(self) -> None:
        try:
            step = self._check_access_steps()
        except UnsupportedOperation:
            pass  # an adapter written without steps: its first listing page
        else:
            self._run(step)
            return
        pages = self.list_approved(page_size=1).pages()
        try:
            next(pages, None)
        finally:
            close = getattr(pages, "close", None)
            if close is not None:
                close()  # no request for a second page

    # ---- the public operations -------------------------------------------------------------
    def check_access(self) -> None:
        """One cheap authenticated request, to check the credentials and the base URL;
        raises the typed error (``AuthenticationError``, ``APIConnectionError``...)
        otherwise. ``expense-facade check`` runs it for every configured account."""
        self._check_access()

    def list_approved(
        self,
        *,
        since: dt.datetime | str | None = None,
        page_size: int | None = None,
        strict: bool = False,
        read_ahead: int | None = None,
        known: KnownArgument = None,
    ) -> Listing:
        """Approved expenses, lazily, across all pages (max page size by default).

        ``since`` (a timezone-aware datetime, or ISO 8601 text as the command's
        ``--since`` takes it: a date or datetime, UTC without an offset) asks only for
        expenses updated since then, where the vendor can filter so. ``strict=True``
        raises ``MalformedRecordError`` on the first record that cannot be read instead of
        reporting it in ``listing.malformed``.
        ``read_ahead=1`` fetches the next page on a background thread while the caller
        works on the current one (an export writing to disk runs at the vendor's rate
        limit instead of below it); default: ``connect(read_ahead=...)``, else 0 (a page
        is fetched only when the previous one has been consumed). ``known`` (a collection
        of ids, a predicate ``id -> bool`` or a ``KnownRecords``) names records the caller
        already has: they are left out, and the requests a vendor needs per record (Pazy's
        details, ProSpend's claim expenses and splits) are not sent for them.
        """
        args = self._listing_arguments(since, page_size, strict, read_ahead, known)
        request_ids: list[str] = []
        pages = _recorded(
            without_known(self._approved_pages(args.since, args.page_size, args.known), args.known),
            request_ids,
        )
        if args.read_ahead:  # each page read on the producer's thread (ItemsPage)
            pages = read_ahead_of(
                read_pages(pages), depth=args.read_ahead, thread_name=f"{self.vendor}-pages"
            )
        return Listing(self.vendor, pages, strict=strict, request_ids=request_ids)

    def _listing_arguments(
        self,
        since: dt.datetime | str | None,
        page_size: int | None,
        strict: bool,
        read_ahead: int | None,
        known: KnownArgument,
    ) -> ListingArguments:
        """``list_approved``'s arguments checked (for this client and the async one)."""
        self._require(Operation.LIST_APPROVED)
        if isinstance(since, str):
            # Here, not at import: the client class loads without the mapping kit.
            from expense_facade.mapping.timeparse import since_from_text

            text = since
            try:
                since = since_from_text(text)
            except ValueError:
                raise ValidationError(
                    f"since {text[:40]!r} is not an ISO 8601 date or datetime", field="since"
                ) from None
        if since is not None and (not isinstance(since, dt.datetime) or since.tzinfo is None):
            raise ValidationError("since must be a timezone-aware datetime", field="since")
        if not isinstance(strict, bool):
            raise ValidationError(f"strict must be True or False, not {strict!r}", field="strict")
        size = self.max_page_size if page_size is None else page_size
        if (
            isinstance(size, bool)
            or not isinstance(size, int)
            or not 1 <= size <= self.max_page_size
        ):
            raise ValidationError(
                f"page_size must be an integer within 1..{self.max_page_size}", field="page_size"
            )
        depth = self._settings.read_ahead if read_ahead is None else read_ahead
        try:
            check_read_ahead(depth)
        except ValueError as exc:
            raise ValidationError(str(exc), field="read_ahead") from None
        try:
            seen = as_known(known)
        except TypeError as exc:
            raise ValidationError(str(exc), field="known") from None
        return ListingArguments(since, size, depth, seen)

    def get_expense(self, expense_id: str) -> Expense:
        """One expense by its id (as in ``Expense.id``)."""
        self._require(Operation.GET_EXPENSE)
        return self._get_expense(_require_id(expense_id, "expense_id"))

    def get_expenses(
        self, ids: Iterable[str], *, concurrency: int = DEFAULT_CONCURRENCY
    ) -> Iterator[Expense]:
        """Expenses by id, in the order given, with up to ``concurrency`` requests at once.

        Lazy: ids are read and requested as the result is iterated, never more than
        ``concurrency`` ahead of it (an id list of any length is fine). The first error
        (an id not found, say) is raised when its turn comes, after the expenses before it;
        requests not yet sent are then not sent. ``concurrency=1`` reads one at a time.
        """
        ids = self._ids_arguments(ids, concurrency)

        def one(expense_id: str) -> Expense:
            return self._get_expense(_require_id(expense_id, "ids"))

        return ordered_map(one, ids, concurrency=concurrency, thread_name=f"{self.vendor}-get")

    def _ids_arguments(self, ids: Iterable[str], concurrency: int) -> Iterable[str]:
        """``get_expenses``' arguments checked; the ids (each is checked when its turn comes)."""
        self._require(Operation.GET_EXPENSE)
        try:
            check_concurrency(concurrency)
        except ValueError as exc:
            raise ValidationError(str(exc), field="concurrency") from None
        if isinstance(ids, str):
            return [ids]
        if isinstance(ids, bytes | Mapping) or not isinstance(ids, Iterable):
            raise ValidationError(
                f"ids must be an iterable of id strings, not {type(ids).__name__}", field="ids"
            )
        return ids

    def mark_exported(
        self,
        expenses_or_ids: Iterable[Expense | str],
        *,
        on_confirmed: Callable[[MarkExportedResult], object] | None = None,
    ) -> MarkExportedResult:
        """Tell the vendor these expenses were exported; the result is per item.

        ``on_confirmed`` is called with the per-item outcomes of each status update as
        soon as the vendor confirmed it (a vendor marks in batches), so what is marked is
        known even when the call is then interrupted or cancelled (docs/library.md,
        "Cancelling a write"). An exception from it stops the call (nothing more sent)."""
        items = self._mark_arguments(expenses_or_ids)
        if not items:
            return MarkExportedResult(outcomes=())
        if on_confirmed is None:
            return self._mark_exported(items)
        if type(self)._mark_exported is not ExpenseClient._mark_exported:
            result = self._mark_exported(items)  # an adapter without steps: once, whole
            on_confirmed(result)
            return result
        return self._run(confirming(self._mark_exported_steps(items), on_confirmed))

    def _mark_arguments(
        self, expenses_or_ids: Iterable[Expense | str]
    ) -> tuple[Expense | str, ...]:
        """``mark_exported``'s argument checked: the items to mark."""
        self._require(Operation.MARK_EXPORTED)
        if isinstance(expenses_or_ids, str | Expense):
            expenses_or_ids = [expenses_or_ids]
        elif isinstance(expenses_or_ids, bytes | Mapping) or not isinstance(
            expenses_or_ids, Iterable
        ):
            raise ValidationError(
                "expenses_or_ids must be an Expense, an id, or an iterable of them, not "
                f"{type(expenses_or_ids).__name__}",
                field="expenses_or_ids",
            )
        items: list[Expense | str] = []
        for item in expenses_or_ids:
            if isinstance(item, Expense):
                if item.vendor != self.vendor:
                    raise ValidationError(
                        f"expense {item.id} belongs to {item.vendor}, not {self.vendor}",
                        field="expenses_or_ids",
                    )
                items.append(item)
            else:
                items.append(_require_id(item, "expenses_or_ids"))
        return tuple(items)

    def upload_receipt(
        self,
        file: Any,
        expense_id: str | None = None,
        filename: str | None = None,
        content_type: str | None = None,
    ) -> ReceiptUpload:
        """Upload a receipt (bytes, a path or a binary file object), onto ``expense_id``
        or, without one, for the vendor to match. The size is checked before any request."""
        return self._upload_receipt(
            *self._upload_arguments(file, expense_id, filename, content_type)
        )

    def _upload_arguments(
        self, file: Any, expense_id: str | None, filename: str | None, content_type: str | None
    ) -> tuple[UploadFile, str | None]:
        """``upload_receipt``'s arguments checked: the file read (bounded) and the id."""
        self._require(Operation.UPLOAD_RECEIPT)
        if expense_id is not None:
            expense_id = _require_id(expense_id, "expense_id")
        for name, value in (("filename", filename), ("content_type", content_type)):
            if value is not None and (not isinstance(value, str) or not value.strip()):
                raise ValidationError(f"{name} must be a non-empty string or None", field=name)
        upload = read_upload_file(
            file, filename=filename, content_type=content_type, max_bytes=self.max_upload_bytes
        )
        return upload, expense_id

    def download_receipt(
        self,
        expense: Expense | str,
        receipt: ReceiptRef | str,
        dest: DownloadDestination,
        *,
        max_bytes: int | None = None,
    ) -> ReceiptDownload:
        """Download one receipt file of ``expense`` (an ``Expense`` or its id) into
        ``dest`` (a path, written whole or not at all, or a binary file object), streamed.

        ``receipt`` is one of ``expense.receipts`` (or its id). The file must be a PDF or
        an image and at most ``max_bytes`` (default ``max_receipt_bytes``, 50 MB): anything
        else raises ``MalformedResponseError`` / ``ResponseTooLargeError`` and nothing
        reaches ``dest``. Returns its size and SHA-256 (docs/library.md, "Receipts")."""
        expense_id, receipt_id, target = self._download_arguments(expense, receipt, dest, max_bytes)
        try:
            refreshes = self._download_receipt(expense_id, receipt_id, target)
            written = target.commit()
        except BaseException:
            target.discard()
            raise
        return _downloaded(expense_id, receipt_id, written, refreshes)

    def _download_arguments(
        self,
        expense: Expense | str,
        receipt: ReceiptRef | str,
        dest: DownloadDestination,
        max_bytes: int | None,
    ) -> tuple[str, str, DownloadTarget]:
        """``download_receipt``'s arguments checked: the ids and the target to write."""
        self._require(Operation.DOWNLOAD_RECEIPT)
        if isinstance(expense, Expense):
            if expense.vendor != self.vendor:
                raise ValidationError(
                    f"expense {expense.id} belongs to {expense.vendor}, not {self.vendor}",
                    field="expense",
                )
            expense_id = expense.id
        else:
            expense_id = _require_id(expense, "expense")
        receipt_id = _require_id(
            receipt.id if isinstance(receipt, ReceiptRef) else receipt, "receipt"
        )
        limit = self.max_receipt_bytes if max_bytes is None else max_bytes
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            raise ValidationError("max_bytes must be a positive integer", field="max_bytes")
        return expense_id, receipt_id, DownloadTarget(dest, max_bytes=limit)

    def post_card_transaction(self, tx: CardTransaction) -> CardTransactionResult:
        """Post one card transaction; retried safely (the vendor de-duplicates on its id)."""
        return self._post_card_transaction(self._card_transaction_argument(tx))

    def _card_transaction_argument(self, tx: CardTransaction) -> CardTransaction:
        """``post_card_transaction``'s argument checked (every problem: ValidationError)."""
        self._require(Operation.POST_CARD_TRANSACTION)
        if not isinstance(tx, CardTransaction):
            raise ValidationError("tx must be a CardTransaction", field="tx")
        from expense_facade.mapping.card_transactions import validate_card_transaction

        validate_card_transaction(tx)
        return tx

    def card_transaction_problems(self, tx: CardTransaction) -> list[ValidationError]:
        """Every problem ``post_card_transaction(tx)`` would refuse ``tx`` for before
        sending it (each a ``ValidationError`` naming its field); empty when there is none.
        Sends nothing: check a whole batch with it before posting any of it."""
        self._require(Operation.POST_CARD_TRANSACTION)
        if not isinstance(tx, CardTransaction):
            return [ValidationError("tx must be a CardTransaction", field="tx")]
        # Imported here, as in post_card_transaction: one vendor posts card transactions.
        from expense_facade.mapping.card_transactions import card_transaction_problems

        return card_transaction_problems(tx)

    # ---- per-call options ------------------------------------------------------------------
    def with_options(
        self,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> Self:
        """This client with other per-request options; ``None`` keeps this client's.

        The new client shares this one's connection (the same httpx client and pool), its
        account, credentials and rate-limit budget, so it is cheap to make per call:
        ``client.with_options(timeout=5, max_retries=0).get_expense(id)``. ``timeout`` and
        ``max_retries`` mean what they mean for ``connect``; ``extra_headers`` are sent
        with every request, added to this client's own (a tracing header, say; not a
        credential header). Closing the new client leaves the connection open; closing
        this one closes it for both.
        """
        settings = self._optioned_settings(timeout, max_retries, extra_headers)
        return type(self)(attrs.evolve(settings, shared_client=self._http.client))

    def _optioned_settings(
        self,
        timeout: float | httpx.Timeout | None,
        max_retries: int | None,
        extra_headers: Mapping[str, str] | None,
    ) -> ConnectionSettings:
        """``with_options``' settings (for this client and the async one)."""
        settings = self._settings
        try:
            if timeout is not None:
                settings = attrs.evolve(
                    settings, timeout=as_timeout(timeout, read=self.read_timeout)
                )
            if max_retries is not None:
                policy = attrs.evolve(
                    settings.retry_policy, max_retries=check_max_retries(max_retries)
                )
                settings = attrs.evolve(settings, retry_policy=policy)
            if extra_headers is not None:
                merged = {**settings.extra_headers, **check_extra_headers(extra_headers)}
                settings = attrs.evolve(settings, extra_headers=merged)
        except ValueError as exc:
            raise ConfigurationError(str(exc)) from None
        return settings

    # ---- lifecycle -------------------------------------------------------------------------
    def close(self) -> None:
        """Close the HTTP connections (the client cannot be used afterwards); a client
        made by ``with_options`` leaves the shared connection to the client it came from."""
        if self._settings.sync_http:
            self._http.close()
        if self._plain_http is not None:
            self._plain_http.close()
        if self._presigned is not None:
            self._presigned.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} vendor={self.vendor!r} account={self.account!r}>"

    # ---- helpers for the adapter ------------------------------------------------------------
    def _require(self, operation: Operation) -> None:
        if operation not in self.capabilities:
            raise UnsupportedOperation(self.vendor, operation)

    def _credential(self, name: str) -> Any:
        """A credential given to ``connect`` (or its default)."""
        return self._credentials.get(name)

    # ---- the sync driver of steps ----------------------------------------------------------
    def _run(self, step: Step[_R]) -> _R:
        """Run an operation's step with blocking IO; its value."""
        return result_of(step, self._perform)

    def _perform(self, effect: Effect) -> Any:
        """Do what a step asked for, blocking; the answer sent back into it."""
        if isinstance(effect, Send):  # a Call too
            session = self._http if effect.auth else self._plain_session()
            response = session.send(
                **request_arguments(effect.op_kwargs),
                retry_safe=effect.retry_safe,
                timeout=effect.timeout,
                accept=effect.accept,
            )
            return self._decoded(response, effect.unwrap) if isinstance(effect, Call) else response
        if isinstance(effect, Concurrently):
            limit = self.concurrency if effect.limit is None else effect.limit
            results = ordered_map(
                self._run, effect.steps, concurrency=limit, thread_name=self.vendor
            )
            return map(done, results) if effect.streamed else results
        if isinstance(effect, Download):
            return self._download(effect.op_kwargs, effect.target)
        if isinstance(effect, PresignedPut):
            return self._presigned_put(effect.url, effect.upload)
        if isinstance(effect, PresignedGet):
            return self._presigned_get(effect.url, effect.target)
        raise TypeError(f"not an effect a step may yield here: {effect!r}")

    def _send(
        self,
        op_kwargs: Mapping[str, Any],
        *,
        retry_safe: bool = False,
        timeout: Timeout | None = None,
        accept: Collection[int] = (),
    ) -> httpx.Response:
        """Send the request described by a generated ``_get_kwargs(...)`` dict.

        Returns the response (body read) or raises the typed error; see ``HttpSession.send``.
        """
        return self._http.send(
            **request_arguments(op_kwargs), retry_safe=retry_safe, timeout=timeout, accept=accept
        )

    def _call(
        self,
        op_kwargs: Mapping[str, Any],
        *,
        retry_safe: bool = False,
        timeout: Timeout | None = None,
        accept: Collection[int] = (),
        unwrap: Callable[[Any], Any] | None = None,
    ) -> Any:
        """Send, parse the JSON body once, and check it; returns the parsed (unwrapped) body.

        ``unwrap(body)`` is the adapter's envelope check: it returns the useful part and
        raises ``VendorFailure`` for a body that says it failed (-> ``BadRequestError`` or
        the class it names) or ``UnexpectedShape`` (-> ``MalformedResponseError``).
        ``retry_safe=True`` for writes the vendor de-duplicates.
        """
        response = self._send(op_kwargs, retry_safe=retry_safe, timeout=timeout, accept=accept)
        return self._decoded(response, unwrap)

    def _decoded(self, response: httpx.Response, unwrap: Callable[[Any], Any] | None) -> Any:
        """The body of ``response`` decoded once, checked by ``unwrap`` when given."""
        body = self._decode(response)
        if unwrap is None:
            return body
        return self._unwrap(response, body, unwrap)

    def _decode(self, response: httpx.Response) -> Any:
        """The response body as JSON (once), or ``MalformedResponseError``."""
        return decode_json(response, vendor=self.vendor, error_format=self.error_format)

    def _unwrap(self, response: httpx.Response, body: Any, unwrap: Callable[[Any], Any]) -> Any:
        try:
            return unwrap(body)
        except VendorFailure as failure:
            raise failure.error_class(
                redact(failure.message or failure.code or "the vendor reported a failure"),
                vendor=self.vendor,
                status=response.status_code,
                code=failure.code,
                request_id=self.error_format.request_id(response.headers),
                body=excerpt(response.content),
                attempts=attempts_of(response),
            ) from None
        except (UnexpectedShape, KeyError, TypeError, IndexError, AttributeError) as exc:
            raise malformed_response(
                response,
                f"unexpected response shape ({type(exc).__name__}: {exc})",
                vendor=self.vendor,
                error_format=self.error_format,
                attempts=attempts_of(response),
            ) from None

    def _ignore_since(self, since: dt.datetime | None, reason: str) -> None:
        """Say (WARNING) that a listing reads everything although ``since`` was given, and
        ``reason`` why: for a vendor without an update-time filter (docs/field_mapping.md,
        "since")."""
        if since is not None:
            log.warning("%s: since=%s ignored: %s", self.vendor, since.isoformat(), reason)

    def _map_concurrently(self, fn: Callable[[_T], _R], items: Iterable[_T]) -> Iterator[_R]:
        """``fn`` over ``items`` with up to ``self.concurrency`` calls at once, results in
        input order (see ``expense_facade._http.concurrency.ordered_map``): for an adapter's
        fan-out, where each call sends its own requests through ``_call``."""
        return ordered_map(fn, items, concurrency=self.concurrency, thread_name=self.vendor)

    def _page(
        self,
        items: Sequence[_T],
        parse_one: Callable[[_T], Expense],
        *,
        id_of: Callable[[_T], Hashable | None] | None = None,
        note: Callable[[Expense], Any] | None = None,
    ) -> ItemsPage[_T]:
        """One vendor page to ``Emit``, mapped record by record with ``parse_one`` as the
        listing hands the records out (``listing.ItemsPage``); ``items`` are typically the
        page's wire-shape views (docs/adapter_guide.md, "Parsing records")."""
        if id_of is None:
            # Imported here: the mapping kit loads with the first page, not with the client
            # class (docs/benchmarks.md, first use).
            from expense_facade.mapping.paging import raw_id

            id_of = raw_id
        return ItemsPage(items, parse_one, vendor=self.vendor, id_of=id_of, note=note)

    def _parse_page(
        self,
        items: Iterable[_T],
        parse_one: Callable[[_T], Expense],
        *,
        id_of: Callable[[_T], Hashable | None] | None = None,
    ) -> RawPage:
        """``_page`` read whole: ``(expenses, malformed)``, for an adapter that needs the
        records before it emits them."""
        return self._page(list(items), parse_one, id_of=id_of).read()

    def _download(self, op_kwargs: Mapping[str, Any], target: DownloadTarget) -> None:
        """Stream the file a generated ``_get_kwargs(...)`` request answers into ``target``
        (with the vendor's credentials)."""
        self._http.send(
            op_kwargs["method"],
            op_kwargs["url"],
            params=op_kwargs.get("params"),
            consume=target.consume,
            max_body_bytes=target.max_bytes,
        )

    def _presigned_put(self, url: str, upload: UploadFile) -> httpx.Response:
        """PUT ``upload`` to a pre-signed URL with no vendor credentials (403 = expired)."""
        return self._presigned_client().put(url, upload)

    def _presigned_get(self, url: str, target: DownloadTarget) -> None:
        """GET a pre-signed URL into ``target`` with no vendor credentials (403 = expired)."""
        self._presigned_client().get(url, target)

    def _plain_session(self) -> HttpSession:
        if self._plain_http is None:
            self._plain_http = self._new_session(self._settings, auth=False)
        return self._plain_http

    def _presigned_client(self) -> PresignedClient:
        if self._presigned is None:
            self._presigned = PresignedClient(
                self.vendor, transport=self._settings.transport, **self._presigned_options()
            )
        return self._presigned

    def _presigned_options(self) -> dict[str, Any]:
        """The settings of a pre-signed URL client (no vendor auth), but its transport."""
        settings = self._settings
        return {
            "timeout": settings.timeout,
            "retry_policy": settings.retry_policy,
            "clock": settings.clock,
            "max_response_bytes": settings.max_response_bytes,
            "deadline": settings.deadline,
        }


def blocking_only(cls: type[ExpenseClient]) -> tuple[Operation, ...]:
    """The operations ``cls`` supports through the blocking hook alone (an adapter written
    before steps, ``OPERATION_HOOKS``): the sync client runs them, the async one cannot."""
    return tuple(
        operation
        for operation, (steps, _) in OPERATION_HOOKS.items()
        if operation in cls.capabilities and getattr(cls, steps) is getattr(ExpenseClient, steps)
    )


def _recorded(pages: Iterable[AnyPage], request_ids: list[str]) -> Iterator[AnyPage]:
    """``pages``, each produced while ``request_ids`` records the vendor's request ids."""
    source = iter(pages)
    try:
        while True:
            with recording_request_ids(request_ids):
                page = next(source, None)
            if page is None:
                return
            yield page
    finally:
        close = getattr(source, "close", None)
        if close is not None:
            close()  # an abandoned listing stops its adapter's generator now


@attrs.frozen(slots=True)
class ListingArguments:
    """``list_approved``'s arguments, checked."""

    since: dt.datetime | None
    page_size: int
    read_ahead: int
    known: KnownRecords


def _downloaded(
    expense_id: str, receipt_id: str, written: DownloadedFile, refreshes: int
) -> ReceiptDownload:
    return ReceiptDownload(
        expense_id=expense_id,
        receipt_id=receipt_id,
        size=written.size,
        sha256=written.sha256,
        content_type=written.content_type,
        path=written.path,
        url_refreshes=refreshes,
    )


def request_arguments(op_kwargs: Mapping[str, Any]) -> dict[str, Any]:
    """A generated ``_get_kwargs(...)`` dict as the keywords of ``HttpSession.send`` (and
    ``AsyncHttpSession.send``): method, url and the body/query/header parts present."""
    unknown = set(op_kwargs) - _OP_KWARGS
    if unknown:
        raise TypeError(f"unsupported request keys: {sorted(unknown)}")
    arguments: dict[str, Any] = {"method": op_kwargs["method"], "url": op_kwargs["url"]}
    for name in _OP_KWARGS - {"method", "url"}:
        arguments[name] = op_kwargs.get(name)
    return arguments


def _require_id(value: object, field: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(f"{field}: an id must be a non-empty string", field=field)
    return value.strip()


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
