"""The fake Shopify's fulfillment side: `fulfillment(id:)` with its events, and `fulfillmentEventCreate` (the
FulfillmentEventStatus enum and DateTime coercion as top-level errors, as Shopify gives them; an unknown
fulfillment as `userErrors`)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

FULFILLMENT_EVENT_STATUSES = (
    "ATTEMPTED_DELIVERY", "CARRIER_PICKED_UP", "CONFIRMED", "DELAYED", "DELIVERED", "FAILURE", "IN_TRANSIT",
    "LABEL_PRINTED", "LABEL_PURCHASED", "OUT_FOR_DELIVERY", "READY_FOR_PICKUP",
)  # fmt: skip  (FulfillmentEventStatus in 2026-10)
GID = re.compile(r"gid://shopify/Fulfillment/(\d+)")


def fulfillment_operation(
    operation: str, variables: dict[str, Any], *, fulfillments: set[str], events: list[dict[str, Any]]
) -> tuple[Any, list[Any]]:
    """(data, top-level errors) of `fulfillment` or `fulfillmentEventCreate`; a created event is appended to
    `events`."""
    run = _fulfillment if operation == "fulfillment" else _event_create
    return run(variables, fulfillments, events)


def _fulfillment(
    variables: dict[str, Any], fulfillments: set[str], events: list[dict[str, Any]]
) -> tuple[Any, list[Any]]:
    match = GID.fullmatch(str(variables.get("id")))
    if match is None or match[1] not in fulfillments:
        return {"fulfillment": None}, []
    nodes = [{key: event[key] for key in ("id", "status", "happenedAt", "message")}
             for event in events if event["fulfillmentId"] == match[0]]  # fmt: skip
    return {"fulfillment": {"id": match[0], "events": {"nodes": nodes}}}, []


def _event_create(
    variables: dict[str, Any], fulfillments: set[str], events: list[dict[str, Any]]
) -> tuple[Any, list[Any]]:
    given = variables.get("fulfillmentEvent")
    if not isinstance(given, dict):
        return None, [_invalid_variable(given, [{"path": [], "explanation": "Expected value to not be null"}])]
    problems = []
    if given.get("status") not in FULFILLMENT_EVENT_STATUSES:
        problems.append({"path": ["status"], "explanation": f"Expected \"{given.get('status')}\" to be one of: "
                         + ", ".join(FULFILLMENT_EVENT_STATUSES)})  # fmt: skip
    if not given.get("fulfillmentId"):
        problems.append({"path": ["fulfillmentId"], "explanation": "Expected value to not be null"})
    for name in ("happenedAt", "estimatedDeliveryAt"):
        if given.get(name) is not None and _datetime(given[name]) is None:
            problems.append({"path": [name], "explanation": f"invalid DateTime {given[name]!r}"})
    if problems:
        return None, [_invalid_variable(given, problems)]
    fulfillment_id = str(given["fulfillmentId"])
    match = GID.fullmatch(fulfillment_id)
    if match is None:
        return None, [{"message": f"Invalid global id '{fulfillment_id}'",
                       "extensions": {"code": "argumentLiteralsIncompatible"}}]  # fmt: skip
    if match[1] not in fulfillments:
        return {"fulfillmentEventCreate": {"fulfillmentEvent": None, "userErrors": [
            {"field": ["fulfillmentEvent", "fulfillmentId"], "message": "Fulfillment does not exist."}]}}, []
    event = {key: given.get(key) for key in ("status", "happenedAt", "estimatedDeliveryAt", "message", "city",
                                             "province", "country", "zip", "address1")}  # fmt: skip
    event.update(id=f"gid://shopify/FulfillmentEvent/{len(events) + 1000}", fulfillmentId=fulfillment_id,
                 createdAt=datetime.now(UTC).isoformat())  # fmt: skip
    event["happenedAt"] = event["happenedAt"] or event["createdAt"]
    events.append(event)
    created = {key: event[key] for key in ("id", "status", "happenedAt", "message")}
    return {"fulfillmentEventCreate": {"fulfillmentEvent": created, "userErrors": []}}, []


def _invalid_variable(value: Any, problems: list[dict[str, Any]]) -> dict[str, Any]:
    where = ", ".join(".".join(problem["path"]) or "(value)" for problem in problems)
    message = f"Variable $fulfillmentEvent of type FulfillmentEventInput! was provided invalid value for {where}"
    return {"message": message, "extensions": {"code": "INVALID_VARIABLE", "value": value, "problems": problems}}


def _datetime(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
