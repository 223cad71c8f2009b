from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.expense import Expense
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    from_: str | Unset = UNSET,
    to: str | Unset = UNSET,
    count: int | Unset = 100,
    state: str | Unset = UNSET,
    transaction_type: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["from"] = from_

    params["to"] = to

    params["count"] = count

    params["state"] = state

    params["transaction_type"] = transaction_type

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/expenses",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | list[Expense] | None:
    if response.status_code == 200:
        response_200 = []
        _response_200 = response.json()
        for response_200_item_data in _response_200:
            response_200_item = Expense.from_dict(response_200_item_data)

            response_200.append(response_200_item)

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

    if response.status_code == 422:
        response_422 = Error.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = Error.from_dict(response.json())

        return response_429

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Error | list[Expense]]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    from_: str | Unset = UNSET,
    to: str | Unset = UNSET,
    count: int | Unset = 100,
    state: str | Unset = UNSET,
    transaction_type: str | Unset = UNSET,
) -> Response[Error | list[Expense]]:
    """Retrieve a list of expenses

     Get all your expenses, or use the query parameters to filter the results.

    The expenses are sorted by `expense_date` in reverse chronological order and are
    paginated: the maximum number per page is `count` (at most 500). To get the next
    page, make a new request with the `expense_date` of the last item of the previous
    page as `to`. (`to` is exclusive, so items sharing that boundary timestamp are
    skipped by this rule: overlap and de-duplicate by `id`.)

    The data enriched by the user, for example VAT and cost centre, is returned under
    `splits[].tax_rate` and `labels` respectively.

    This feature is not available in Sandbox.

    Args:
        from_ (str | Unset):
        to (str | Unset):
        count (int | Unset):  Default: 100.
        state (str | Unset): The state of the expense:
            - `missing_info`: missing some required information; the initial state.
            - `awaiting_review`: awaiting approval before it can be completed.
            - `rejected`: rejected by the approver; the submitter should fix and resubmit.
            - `pending_reimbursement`: the reimbursement request was approved and awaits
              reimbursement (transaction type `external`).
            - `refund_requested`: rejected, and repayment to the business was requested
              (card transactions).
            - `refunded`: an admin marked the expense as repaid.
            - `approved`: approved and now completed.
            - `reverted`: the related transaction was reverted (for example by the merchant);
              the expense is completed.

            An admin who approved, marked repaid/completed or requested repayment can revert
            the decision; the expense then goes back to `missing_info`.
        transaction_type (str | Unset): The type of the transaction related to the expense.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | list[Expense]]
    """

    kwargs = _get_kwargs(
        from_=from_,
        to=to,
        count=count,
        state=state,
        transaction_type=transaction_type,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    from_: str | Unset = UNSET,
    to: str | Unset = UNSET,
    count: int | Unset = 100,
    state: str | Unset = UNSET,
    transaction_type: str | Unset = UNSET,
) -> Error | list[Expense] | None:
    """Retrieve a list of expenses

     Get all your expenses, or use the query parameters to filter the results.

    The expenses are sorted by `expense_date` in reverse chronological order and are
    paginated: the maximum number per page is `count` (at most 500). To get the next
    page, make a new request with the `expense_date` of the last item of the previous
    page as `to`. (`to` is exclusive, so items sharing that boundary timestamp are
    skipped by this rule: overlap and de-duplicate by `id`.)

    The data enriched by the user, for example VAT and cost centre, is returned under
    `splits[].tax_rate` and `labels` respectively.

    This feature is not available in Sandbox.

    Args:
        from_ (str | Unset):
        to (str | Unset):
        count (int | Unset):  Default: 100.
        state (str | Unset): The state of the expense:
            - `missing_info`: missing some required information; the initial state.
            - `awaiting_review`: awaiting approval before it can be completed.
            - `rejected`: rejected by the approver; the submitter should fix and resubmit.
            - `pending_reimbursement`: the reimbursement request was approved and awaits
              reimbursement (transaction type `external`).
            - `refund_requested`: rejected, and repayment to the business was requested
              (card transactions).
            - `refunded`: an admin marked the expense as repaid.
            - `approved`: approved and now completed.
            - `reverted`: the related transaction was reverted (for example by the merchant);
              the expense is completed.

            An admin who approved, marked repaid/completed or requested repayment can revert
            the decision; the expense then goes back to `missing_info`.
        transaction_type (str | Unset): The type of the transaction related to the expense.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | list[Expense]
    """

    return sync_detailed(
        client=client,
        from_=from_,
        to=to,
        count=count,
        state=state,
        transaction_type=transaction_type,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    from_: str | Unset = UNSET,
    to: str | Unset = UNSET,
    count: int | Unset = 100,
    state: str | Unset = UNSET,
    transaction_type: str | Unset = UNSET,
) -> Response[Error | list[Expense]]:
    """Retrieve a list of expenses

     Get all your expenses, or use the query parameters to filter the results.

    The expenses are sorted by `expense_date` in reverse chronological order and are
    paginated: the maximum number per page is `count` (at most 500). To get the next
    page, make a new request with the `expense_date` of the last item of the previous
    page as `to`. (`to` is exclusive, so items sharing that boundary timestamp are
    skipped by this rule: overlap and de-duplicate by `id`.)

    The data enriched by the user, for example VAT and cost centre, is returned under
    `splits[].tax_rate` and `labels` respectively.

    This feature is not available in Sandbox.

    Args:
        from_ (str | Unset):
        to (str | Unset):
        count (int | Unset):  Default: 100.
        state (str | Unset): The state of the expense:
            - `missing_info`: missing some required information; the initial state.
            - `awaiting_review`: awaiting approval before it can be completed.
            - `rejected`: rejected by the approver; the submitter should fix and resubmit.
            - `pending_reimbursement`: the reimbursement request was approved and awaits
              reimbursement (transaction type `external`).
            - `refund_requested`: rejected, and repayment to the business was requested
              (card transactions).
            - `refunded`: an admin marked the expense as repaid.
            - `approved`: approved and now completed.
            - `reverted`: the related transaction was reverted (for example by the merchant);
              the expense is completed.

            An admin who approved, marked repaid/completed or requested repayment can revert
            the decision; the expense then goes back to `missing_info`.
        transaction_type (str | Unset): The type of the transaction related to the expense.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | list[Expense]]
    """

    kwargs = _get_kwargs(
        from_=from_,
        to=to,
        count=count,
        state=state,
        transaction_type=transaction_type,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    from_: str | Unset = UNSET,
    to: str | Unset = UNSET,
    count: int | Unset = 100,
    state: str | Unset = UNSET,
    transaction_type: str | Unset = UNSET,
) -> Error | list[Expense] | None:
    """Retrieve a list of expenses

     Get all your expenses, or use the query parameters to filter the results.

    The expenses are sorted by `expense_date` in reverse chronological order and are
    paginated: the maximum number per page is `count` (at most 500). To get the next
    page, make a new request with the `expense_date` of the last item of the previous
    page as `to`. (`to` is exclusive, so items sharing that boundary timestamp are
    skipped by this rule: overlap and de-duplicate by `id`.)

    The data enriched by the user, for example VAT and cost centre, is returned under
    `splits[].tax_rate` and `labels` respectively.

    This feature is not available in Sandbox.

    Args:
        from_ (str | Unset):
        to (str | Unset):
        count (int | Unset):  Default: 100.
        state (str | Unset): The state of the expense:
            - `missing_info`: missing some required information; the initial state.
            - `awaiting_review`: awaiting approval before it can be completed.
            - `rejected`: rejected by the approver; the submitter should fix and resubmit.
            - `pending_reimbursement`: the reimbursement request was approved and awaits
              reimbursement (transaction type `external`).
            - `refund_requested`: rejected, and repayment to the business was requested
              (card transactions).
            - `refunded`: an admin marked the expense as repaid.
            - `approved`: approved and now completed.
            - `reverted`: the related transaction was reverted (for example by the merchant);
              the expense is completed.

            An admin who approved, marked repaid/completed or requested repayment can revert
            the decision; the expense then goes back to `missing_info`.
        transaction_type (str | Unset): The type of the transaction related to the expense.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | list[Expense]
    """

    return (
        await asyncio_detailed(
            client=client,
            from_=from_,
            to=to,
            count=count,
            state=state,
            transaction_type=transaction_type,
        )
    ).parsed
