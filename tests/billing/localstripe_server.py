"""localstripe for the test suite, run as `python localstripe_server.py PORT` (a subprocess of the tests).

localstripe fakes Stripe's customers, legacy plans, subscriptions, invoices and signed webhooks, speaking an
older API version. What it lacks is added here at the HTTP level, no deeper than the tests need:
- every request is recorded (GET /_test/requests), so tests assert what the gateway sent;
- Prices: POST/GET /v1/prices by lookup_key. Like in Stripe, where a recurring Price is also a Plan, each price
  is backed by a localstripe Plan with the same id, so subscriptions can use it;
- Checkout Sessions and Customer Portal sessions are answered and stored; POST /_test/checkout/<id>/complete
  does what a paying customer would: it starts the subscription (with the session's trial);
- the modern `items[][price]` parameter is translated to localstripe's `items[][plan]`, and
  `proration_behavior` is accepted (recorded, then dropped: localstripe prorates its own way);
- a webhook sink (POST /_test/webhook-sink, GET /_test/deliveries) keeps every signed delivery, so tests can
  replay them, in any order, to the app.
Nothing is saved to disk (localstripe's default writes /tmp/localstripe.pickle, shared by every process).
"""

import copy
import re
import secrets
import sys
import time

from aiohttp import web
from localstripe import resources, server
from localstripe.errors import UserError

resources.Store.dump_to_disk = lambda self: None

requests_seen: list[dict] = []
deliveries: list[dict] = []
prices: dict[str, dict] = {}
checkout_sessions: dict[str, dict] = {}


def _form(data) -> dict:
    return server.unflatten_data(data) if data else {}


@web.middleware
async def record_and_translate(request, handler):
    if request.path.startswith("/_test/"):
        if CHECKOUT_COMPLETE.match(request.path):
            return await checkout_complete(request)
        return await TEST_ROUTES[(request.method, request.path)](request)
    body = await request.post() if request.method == "POST" else None
    form = _form(body)
    requests_seen.append(
        {
            "method": request.method,
            "path": request.path,
            "form": copy.deepcopy(form),
            "query": _form(request.query),
        }
    )
    if request.path in LOCAL_ROUTES.get(request.method, {}):
        return await LOCAL_ROUTES[request.method][request.path](request, form)
    for prefix, route in LOCAL_PREFIX_ROUTES.get(request.method, {}).items():
        if request.path.startswith(prefix):
            return await route(request, form, request.path[len(prefix) :])
    if request.method == "POST" and request.path.startswith("/v1/subscriptions/") and form:
        form.pop("proration_behavior", None)
        for item in form.get("items", []):
            if "price" in item:
                item["plan"] = item.pop("price")
        try:
            subscription = resources.Subscription._api_update(request.path.rsplit("/", 1)[1], **form)
        except UserError as error:
            return error.to_response()
        return server.json_response(subscription._export())
    return await handler(request)


# --- Prices (backed by legacy plans) -------------------------------------------------------------------------


def _price_object(plan, lookup_key, metadata):
    return {
        "id": plan.id,
        "object": "price",
        "active": plan.active,
        "currency": plan.currency,
        "unit_amount": plan.amount,
        "product": plan.product,
        "lookup_key": lookup_key,
        "recurring": {"interval": plan.interval, "interval_count": 1, "usage_type": "licensed"},
        "metadata": metadata,
        "type": "recurring",
        "livemode": False,
        "created": plan.created,
    }


async def price_create(request, form):
    lookup_key = form.get("lookup_key")
    taken = any(p["lookup_key"] == lookup_key for p in prices.values())
    if lookup_key and taken and form.get("transfer_lookup_key") not in ("true", True):
        return server.json_response({"error": {"message": "lookup_key in use"}}, status=400)
    for price in prices.values():
        if price["lookup_key"] == lookup_key:
            price["lookup_key"] = None
    metadata = form.get("metadata") or {}
    plan = resources.Plan(
        id="price_" + secrets.token_hex(7),
        product=form["product"],
        currency=form["currency"],
        amount=int(form["unit_amount"]),
        interval=form["recurring"]["interval"],
        metadata={**metadata, **({"lookup_key": lookup_key} if lookup_key else {})},
    )
    prices[plan.id] = _price_object(plan, lookup_key, metadata)
    return server.json_response(prices[plan.id])


async def price_list(request, form):
    query = _form(request.query)
    found = [
        p for p in prices.values() if not query.get("lookup_keys") or p["lookup_key"] in query["lookup_keys"]
    ]
    if query.get("active") == "true":
        found = [p for p in found if p["active"]]
    return server.json_response({"object": "list", "data": found, "has_more": False, "url": "/v1/prices"})


async def price_update(request, form, price_id):
    price = prices[price_id]
    if "active" in form:
        price["active"] = form["active"] in ("true", True)
        resources.Plan._api_retrieve(price_id).active = price["active"]
    return server.json_response(price)


# --- Checkout and the portal ---------------------------------------------------------------------------------


async def checkout_create(request, form):
    session_id = "cs_test_" + secrets.token_hex(12)
    checkout_sessions[session_id] = {
        "id": session_id,
        "object": "checkout.session",
        "mode": form.get("mode"),
        "status": "open",
        "customer": form.get("customer"),
        "client_reference_id": form.get("client_reference_id"),
        "url": f"https://checkout.stripe.test/c/pay/{session_id}",
        "subscription": None,
        "success_url": form.get("success_url"),
        "cancel_url": form.get("cancel_url"),
        "metadata": form.get("metadata") or {},
        "_line_items": form.get("line_items"),
        "_subscription_data": form.get("subscription_data") or {},
    }
    return server.json_response(_public(checkout_sessions[session_id]))


async def checkout_retrieve(request, form, session_id):
    if session_id not in checkout_sessions:
        return server.json_response({"error": {"message": "No such checkout session"}}, status=404)
    return server.json_response(_public(checkout_sessions[session_id]))


async def portal_create(request, form):
    session_id = "bps_" + secrets.token_hex(12)
    return server.json_response(
        {
            "id": session_id,
            "object": "billing_portal.session",
            "customer": form.get("customer"),
            "return_url": form.get("return_url"),
            "url": f"https://billing.stripe.test/p/session/{session_id}",
        }
    )


def _public(session):
    return {k: v for k, v in session.items() if not k.startswith("_")}


# --- Test controls -------------------------------------------------------------------------------------------


async def checkout_complete(request):
    session = checkout_sessions[request.path.split("/")[3]]
    trial_days = session["_subscription_data"].get("trial_period_days")
    subscription = resources.Subscription(
        customer=session["customer"],
        items=[{"plan": session["_line_items"][0]["price"]}],
        metadata=session["metadata"],
        trial_end=int(time.time()) + int(trial_days) * 86400 if trial_days else None,
    )
    if trial_days:  # localstripe leaves a subscription with a trial "incomplete"; Stripe starts it trialing
        subscription.status, subscription.trial_start = "trialing", subscription.start_date
    session.update(status="complete", subscription=subscription.id)
    return server.json_response(_public(session))


async def webhook_sink(request):
    deliveries.append(
        {"body": (await request.read()).decode(), "signature": request.headers["Stripe-Signature"]}
    )
    return web.Response()


async def list_deliveries(request):
    return server.json_response(deliveries)


async def list_requests(request):
    return server.json_response(requests_seen)


async def forget(request):
    requests_seen.clear()
    deliveries.clear()
    return web.Response()


LOCAL_ROUTES = {
    "POST": {
        "/v1/prices": price_create,
        "/v1/checkout/sessions": checkout_create,
        "/v1/billing_portal/sessions": portal_create,
    },
    "GET": {"/v1/prices": price_list},
}
LOCAL_PREFIX_ROUTES = {
    "POST": {"/v1/prices/": price_update},
    "GET": {"/v1/checkout/sessions/": checkout_retrieve},
}
CHECKOUT_COMPLETE = re.compile(r"^/_test/checkout/cs_test_[0-9a-f]+/complete$")
TEST_ROUTES = {
    ("POST", "/_test/webhook-sink"): webhook_sink,
    ("GET", "/_test/deliveries"): list_deliveries,
    ("GET", "/_test/requests"): list_requests,
    ("DELETE", "/_test/requests"): forget,
}

if __name__ == "__main__":
    server.app.middlewares.insert(0, record_and_translate)
    web.run_app(server.app, host="127.0.0.1", port=int(sys.argv[1]), print=None, access_log=None)
