"""A grpcio InventoryService for the interop tests: our client calls it.

Usage: /usr/bin/python3 python_server.py
Prints the port it listens on (127.0.0.1, port chosen by the OS), then serves until stdin closes.
  CheckAvailability: every SKU known, 100 available at 9.99.
  Deduct: FAILED_PRECONDITION with a message and an x-failed-sku trailer.
  Release: answers only when the call ends (deadline or cancel), so the client's deadline decides.
  ListProducts: echoes x-* metadata, traceparent, baggage and the time remaining before the deadline as trailers.
"""
import sys
import threading
from concurrent import futures

import grpc

import inventory_pb2 as inventory

SERVICE = "ordersystem.inventory.v1.InventoryService"


def check_availability(request, context):
    return inventory.CheckAvailabilityResponse(
        all_available=True,
        items=[
            inventory.ItemAvailability(sku=line.sku, known=True, requested=line.quantity, available=100, unit_price="9.99", name="py-" + line.sku)
            for line in request.items
        ],
    )


def deduct(request, context):
    sku = request.items[0].sku if request.items else ""
    context.set_trailing_metadata([("x-failed-sku", sku)])
    context.abort(grpc.StatusCode.FAILED_PRECONDITION, "insufficient stock for " + sku)


def release(request, context):
    ended = threading.Event()
    context.add_callback(ended.set)
    ended.wait(30)
    return inventory.StockChangeResponse(order_id=request.order_id)


def list_products(request, context):
    received = context.invocation_metadata()
    trailers = [(key, value) for key, value in received if key.startswith("x-")]
    by_key = dict(received)
    trailers.append(("echo-traceparent", by_key.get("traceparent", "")))
    trailers.append(("echo-baggage", by_key.get("baggage", "")))
    remaining = context.time_remaining()
    trailers.append(("echo-time-remaining-ms", "none" if remaining is None else str(int(remaining * 1000))))
    context.set_trailing_metadata(trailers)
    return inventory.ListProductsResponse(
        products=[inventory.Product(sku="SKU-PY", name="Python product", category="interop", unit_price="1.25", available=7)]
    )


def handler(function, request_type, response_type):
    return grpc.unary_unary_rpc_method_handler(
        function, request_deserializer=request_type.FromString, response_serializer=response_type.SerializeToString
    )


def main():
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=8))
    server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler(SERVICE, {
        "CheckAvailability": handler(check_availability, inventory.CheckAvailabilityRequest, inventory.CheckAvailabilityResponse),
        "Deduct": handler(deduct, inventory.StockChangeRequest, inventory.StockChangeResponse),
        "Release": handler(release, inventory.StockChangeRequest, inventory.StockChangeResponse),
        "ListProducts": handler(list_products, inventory.ListProductsRequest, inventory.ListProductsResponse),
    }),))
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    print(port, flush=True)
    sys.stdin.read()
    server.stop(grace=None).wait()


if __name__ == "__main__":
    main()
