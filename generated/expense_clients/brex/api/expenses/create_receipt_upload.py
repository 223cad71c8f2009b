from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.receipt_upload_request import ReceiptUploadRequest
from ...models.receipt_upload_response import ReceiptUploadResponse
from ...types import UNSET, Response, Unset


def _get_kwargs(
    expense_id: str,
    *,
    body: ReceiptUploadRequest,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/expenses/card/{expense_id}/receipt_upload".format(
            expense_id=quote(str(expense_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | ReceiptUploadResponse | None:
    if response.status_code == 200:
        response_200 = ReceiptUploadResponse.from_dict(response.json())

        return response_200

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

    if response.status_code == 429:
        response_429 = Error.from_dict(response.json())

        return response_429

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Error | ReceiptUploadResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    expense_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: ReceiptUploadRequest,
    idempotency_key: str | Unset = UNSET,
) -> Response[Error | ReceiptUploadResponse]:
    """Upload a receipt to an expense

     Attach a receipt to one card expense. The `uri` will be a pre-signed S3 URL
    allowing you to upload the receipt securely. This URL can only be used for a
    PUT operation and expires 30 minutes after its creation. The PUT must carry no
    Authorization header and must send a Content-Length; files up to 50 MB.

    Args:
        expense_id (str):
        idempotency_key (str | Unset):
        body (ReceiptUploadRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | ReceiptUploadResponse]
    """

    kwargs = _get_kwargs(
        expense_id=expense_id,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    expense_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: ReceiptUploadRequest,
    idempotency_key: str | Unset = UNSET,
) -> Error | ReceiptUploadResponse | None:
    """Upload a receipt to an expense

     Attach a receipt to one card expense. The `uri` will be a pre-signed S3 URL
    allowing you to upload the receipt securely. This URL can only be used for a
    PUT operation and expires 30 minutes after its creation. The PUT must carry no
    Authorization header and must send a Content-Length; files up to 50 MB.

    Args:
        expense_id (str):
        idempotency_key (str | Unset):
        body (ReceiptUploadRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | ReceiptUploadResponse
    """

    return sync_detailed(
        expense_id=expense_id,
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    expense_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: ReceiptUploadRequest,
    idempotency_key: str | Unset = UNSET,
) -> Response[Error | ReceiptUploadResponse]:
    """Upload a receipt to an expense

     Attach a receipt to one card expense. The `uri` will be a pre-signed S3 URL
    allowing you to upload the receipt securely. This URL can only be used for a
    PUT operation and expires 30 minutes after its creation. The PUT must carry no
    Authorization header and must send a Content-Length; files up to 50 MB.

    Args:
        expense_id (str):
        idempotency_key (str | Unset):
        body (ReceiptUploadRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | ReceiptUploadResponse]
    """

    kwargs = _get_kwargs(
        expense_id=expense_id,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    expense_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: ReceiptUploadRequest,
    idempotency_key: str | Unset = UNSET,
) -> Error | ReceiptUploadResponse | None:
    """Upload a receipt to an expense

     Attach a receipt to one card expense. The `uri` will be a pre-signed S3 URL
    allowing you to upload the receipt securely. This URL can only be used for a
    PUT operation and expires 30 minutes after its creation. The PUT must carry no
    Authorization header and must send a Content-Length; files up to 50 MB.

    Args:
        expense_id (str):
        idempotency_key (str | Unset):
        body (ReceiptUploadRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | ReceiptUploadResponse
    """

    return (
        await asyncio_detailed(
            expense_id=expense_id,
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
