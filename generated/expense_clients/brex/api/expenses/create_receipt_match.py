from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.receipt_match_request import ReceiptMatchRequest
from ...models.receipt_upload_response import ReceiptUploadResponse
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: ReceiptMatchRequest,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/expenses/card/receipt_match",
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
    *,
    client: AuthenticatedClient | Client,
    body: ReceiptMatchRequest,
    idempotency_key: str | Unset = UNSET,
) -> Response[Error | ReceiptUploadResponse]:
    """Create a new receipt match

     The `uri` will be a pre-signed S3 URL allowing you to upload the receipt
    securely. This URL can only be used for a PUT operation and expires 30 minutes
    after its creation. Once your upload is complete, we will try to match the
    receipt with existing expenses. The PUT must carry no Authorization header and
    must send a Content-Length; files up to 50 MB.

    Args:
        idempotency_key (str | Unset):
        body (ReceiptMatchRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | ReceiptUploadResponse]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: ReceiptMatchRequest,
    idempotency_key: str | Unset = UNSET,
) -> Error | ReceiptUploadResponse | None:
    """Create a new receipt match

     The `uri` will be a pre-signed S3 URL allowing you to upload the receipt
    securely. This URL can only be used for a PUT operation and expires 30 minutes
    after its creation. Once your upload is complete, we will try to match the
    receipt with existing expenses. The PUT must carry no Authorization header and
    must send a Content-Length; files up to 50 MB.

    Args:
        idempotency_key (str | Unset):
        body (ReceiptMatchRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | ReceiptUploadResponse
    """

    return sync_detailed(
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: ReceiptMatchRequest,
    idempotency_key: str | Unset = UNSET,
) -> Response[Error | ReceiptUploadResponse]:
    """Create a new receipt match

     The `uri` will be a pre-signed S3 URL allowing you to upload the receipt
    securely. This URL can only be used for a PUT operation and expires 30 minutes
    after its creation. Once your upload is complete, we will try to match the
    receipt with existing expenses. The PUT must carry no Authorization header and
    must send a Content-Length; files up to 50 MB.

    Args:
        idempotency_key (str | Unset):
        body (ReceiptMatchRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | ReceiptUploadResponse]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: ReceiptMatchRequest,
    idempotency_key: str | Unset = UNSET,
) -> Error | ReceiptUploadResponse | None:
    """Create a new receipt match

     The `uri` will be a pre-signed S3 URL allowing you to upload the receipt
    securely. This URL can only be used for a PUT operation and expires 30 minutes
    after its creation. Once your upload is complete, we will try to match the
    receipt with existing expenses. The PUT must carry no Authorization header and
    must send a Content-Length; files up to 50 MB.

    Args:
        idempotency_key (str | Unset):
        body (ReceiptMatchRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | ReceiptUploadResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
