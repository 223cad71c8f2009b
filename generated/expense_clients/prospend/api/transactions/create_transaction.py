from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.transaction import Transaction
from ...models.transaction_request import TransactionRequest
from ...types import Response


def _get_kwargs(
    version: str,
    company_id: str,
    *,
    body: TransactionRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/{version}/company/{company_id}/transaction".format(
            version=quote(str(version), safe=""),
            company_id=quote(str(company_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | Transaction | None:
    if response.status_code == 200:
        response_200 = Transaction.from_dict(response.json())

        return response_200

    if response.status_code == 201:
        response_201 = Transaction.from_dict(response.json())

        return response_201

    if response.status_code == 400:
        response_400 = Error.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Error.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Error.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = Error.from_dict(response.json())

        return response_404

    if response.status_code == 405:
        response_405 = Error.from_dict(response.json())

        return response_405

    if response.status_code == 409:
        response_409 = Error.from_dict(response.json())

        return response_409

    if response.status_code == 500:
        response_500 = Error.from_dict(response.json())

        return response_500

    if response.status_code == 503:
        response_503 = Error.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Error | Transaction]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    version: str,
    company_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: TransactionRequest,
) -> Response[Error | Transaction]:
    """Import a card transaction

     Create one card transaction: a single card spend made by an employee with a
    company card (one purchase or charge, with its date, amount, currency, merchant
    and cardholder). Each transaction needs a valid card program code.

    ProSpend de-duplicates on `transactionId` within a card program, so a retry with
    the same `transactionId` is safe. A duplicate is answered with 409
    `RESOURCE_CONFLICT`: for the caller that means the transaction is already there
    (success).

    Args:
        version (str):
        company_id (str):
        body (TransactionRequest): A card transaction to import. `foreignCurrencyAmount` and
            `foreignCurrencyCode`
            come together or not at all: each is required when the other is present.
             Example: {'transactionId': 'txn_1775706370771', 'transactionDate': '2026-01-31',
            'postingDate': '2026-02-02', 'merchantName': 'Telstra', 'mcc': '5943',
            'transactionAmount': 700.0, 'currencyCode': 'AUD', 'foreignCurrencyAmount': 500.0,
            'foreignCurrencyCode': 'USD', 'cardHolderName': 'Kylie Magenta', 'cardId': '28676',
            'cardSuffix': '1111', 'externalCardId': '123123', 'transactionStatus': 'COMPLETED',
            'cardProgramCode': 'AR_AU', 'cardProgramType': 'AR'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | Transaction]
    """

    kwargs = _get_kwargs(
        version=version,
        company_id=company_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    version: str,
    company_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: TransactionRequest,
) -> Error | Transaction | None:
    """Import a card transaction

     Create one card transaction: a single card spend made by an employee with a
    company card (one purchase or charge, with its date, amount, currency, merchant
    and cardholder). Each transaction needs a valid card program code.

    ProSpend de-duplicates on `transactionId` within a card program, so a retry with
    the same `transactionId` is safe. A duplicate is answered with 409
    `RESOURCE_CONFLICT`: for the caller that means the transaction is already there
    (success).

    Args:
        version (str):
        company_id (str):
        body (TransactionRequest): A card transaction to import. `foreignCurrencyAmount` and
            `foreignCurrencyCode`
            come together or not at all: each is required when the other is present.
             Example: {'transactionId': 'txn_1775706370771', 'transactionDate': '2026-01-31',
            'postingDate': '2026-02-02', 'merchantName': 'Telstra', 'mcc': '5943',
            'transactionAmount': 700.0, 'currencyCode': 'AUD', 'foreignCurrencyAmount': 500.0,
            'foreignCurrencyCode': 'USD', 'cardHolderName': 'Kylie Magenta', 'cardId': '28676',
            'cardSuffix': '1111', 'externalCardId': '123123', 'transactionStatus': 'COMPLETED',
            'cardProgramCode': 'AR_AU', 'cardProgramType': 'AR'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | Transaction
    """

    return sync_detailed(
        version=version,
        company_id=company_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    version: str,
    company_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: TransactionRequest,
) -> Response[Error | Transaction]:
    """Import a card transaction

     Create one card transaction: a single card spend made by an employee with a
    company card (one purchase or charge, with its date, amount, currency, merchant
    and cardholder). Each transaction needs a valid card program code.

    ProSpend de-duplicates on `transactionId` within a card program, so a retry with
    the same `transactionId` is safe. A duplicate is answered with 409
    `RESOURCE_CONFLICT`: for the caller that means the transaction is already there
    (success).

    Args:
        version (str):
        company_id (str):
        body (TransactionRequest): A card transaction to import. `foreignCurrencyAmount` and
            `foreignCurrencyCode`
            come together or not at all: each is required when the other is present.
             Example: {'transactionId': 'txn_1775706370771', 'transactionDate': '2026-01-31',
            'postingDate': '2026-02-02', 'merchantName': 'Telstra', 'mcc': '5943',
            'transactionAmount': 700.0, 'currencyCode': 'AUD', 'foreignCurrencyAmount': 500.0,
            'foreignCurrencyCode': 'USD', 'cardHolderName': 'Kylie Magenta', 'cardId': '28676',
            'cardSuffix': '1111', 'externalCardId': '123123', 'transactionStatus': 'COMPLETED',
            'cardProgramCode': 'AR_AU', 'cardProgramType': 'AR'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | Transaction]
    """

    kwargs = _get_kwargs(
        version=version,
        company_id=company_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    version: str,
    company_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: TransactionRequest,
) -> Error | Transaction | None:
    """Import a card transaction

     Create one card transaction: a single card spend made by an employee with a
    company card (one purchase or charge, with its date, amount, currency, merchant
    and cardholder). Each transaction needs a valid card program code.

    ProSpend de-duplicates on `transactionId` within a card program, so a retry with
    the same `transactionId` is safe. A duplicate is answered with 409
    `RESOURCE_CONFLICT`: for the caller that means the transaction is already there
    (success).

    Args:
        version (str):
        company_id (str):
        body (TransactionRequest): A card transaction to import. `foreignCurrencyAmount` and
            `foreignCurrencyCode`
            come together or not at all: each is required when the other is present.
             Example: {'transactionId': 'txn_1775706370771', 'transactionDate': '2026-01-31',
            'postingDate': '2026-02-02', 'merchantName': 'Telstra', 'mcc': '5943',
            'transactionAmount': 700.0, 'currencyCode': 'AUD', 'foreignCurrencyAmount': 500.0,
            'foreignCurrencyCode': 'USD', 'cardHolderName': 'Kylie Magenta', 'cardId': '28676',
            'cardSuffix': '1111', 'externalCardId': '123123', 'transactionStatus': 'COMPLETED',
            'cardProgramCode': 'AR_AU', 'cardProgramType': 'AR'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | Transaction
    """

    return (
        await asyncio_detailed(
            version=version,
            company_id=company_id,
            client=client,
            body=body,
        )
    ).parsed
