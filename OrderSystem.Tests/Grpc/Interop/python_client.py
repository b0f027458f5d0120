"""A grpcio client for the interop tests: calls one scenario against our server and prints the outcome as JSON.

Usage: /usr/bin/python3 python_client.py HOST:PORT SCENARIO [ARGUMENT]
Scenarios: success, error, deadline (ARGUMENT: the order id, which the test server records under),
metadata (ARGUMENT: the traceparent to send). inventory_pb2 comes from protoc (the test puts it on PYTHONPATH).
"""
import json
import sys

import grpc

import inventory_pb2 as inventory

SERVICE = "/ordersystem.inventory.v1.InventoryService/"


def method(channel, name, request_type, response_type):
    return channel.unary_unary(
        SERVICE + name,
        request_serializer=request_type.SerializeToString,
        response_deserializer=response_type.FromString,
    )


def metadata_to_json(metadata):
    return {key: value.hex() if isinstance(value, bytes) else value for key, value in (metadata or ())}


def run(channel, scenario, argument):
    if scenario == "success":
        check = method(channel, "CheckAvailability", inventory.CheckAvailabilityRequest, inventory.CheckAvailabilityResponse)
        response = check(
            inventory.CheckAvailabilityRequest(items=[inventory.StockLine(sku="SKU-1", quantity=2), inventory.StockLine(sku="GONE", quantity=1)]),
            timeout=10,
        )
        return {
            "code": "OK",
            "all_available": response.all_available,
            "items": [
                {"sku": i.sku, "known": i.known, "requested": i.requested, "available": i.available, "unit_price": i.unit_price, "name": i.name}
                for i in response.items
            ],
        }
    if scenario == "error":
        deduct = method(channel, "Deduct", inventory.StockChangeRequest, inventory.StockChangeResponse)
        deduct(inventory.StockChangeRequest(order_id="py-order", items=[inventory.StockLine(sku="SKU-7", quantity=99)]), timeout=10)
        return {"code": "OK"}
    if scenario == "deadline":
        release = method(channel, "Release", inventory.StockChangeRequest, inventory.StockChangeResponse)
        release(inventory.StockChangeRequest(order_id=argument), timeout=0.3)
        return {"code": "OK"}
    if scenario == "metadata":
        list_products = method(channel, "ListProducts", inventory.ListProductsRequest, inventory.ListProductsResponse)
        response, call = list_products.with_call(
            inventory.ListProductsRequest(page_size=10),
            timeout=10,
            metadata=[
                ("x-user", "alice"),
                ("x-blob-bin", b"\x00\x01\xfe\xff"),
                ("traceparent", argument),
                ("baggage", "user.tier=gold"),
            ],
        )
        return {
            "code": "OK",
            "products": [p.sku for p in response.products],
            "trailers": metadata_to_json(call.trailing_metadata()),
        }
    raise ValueError("unknown scenario " + scenario)


def main():
    target, scenario = sys.argv[1], sys.argv[2]
    argument = sys.argv[3] if len(sys.argv) > 3 else ""
    with grpc.insecure_channel(target, options=[("grpc.enable_http_proxy", 0)]) as channel:
        try:
            result = run(channel, scenario, argument)
        except grpc.RpcError as error:
            result = {"code": error.code().name, "details": error.details(), "trailers": metadata_to_json(error.trailing_metadata())}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
