"""Requests sent at the same moment over real HTTP, for each app's race tests: every
request on its own connection to the live server, all released together by a barrier."""

import http.client
import json
import threading
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

WAIT = 30  # seconds any thread waits for another before the test gives up


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}


def together(base_url: str, requests: list[tuple[str, str, bytes, dict]]) -> list[tuple[int, dict]]:
    """Send every (method, path, body, headers) at once. Returns (status, JSON body) in
    order; an answer that is not JSON (an error page) as {"unexpected": its start}."""
    address = urlsplit(base_url)
    start_line = threading.Barrier(len(requests), timeout=WAIT)

    def send(method: str, path: str, body: bytes, headers: dict) -> tuple[int, dict]:
        client = http.client.HTTPConnection(address.hostname, address.port, timeout=60)
        try:
            client.connect()
            start_line.wait()
            client.request(method, path, body=body, headers=headers)
            response = client.getresponse()
            return response.status, _json_or_text(response.read())
        finally:
            client.close()

    with ThreadPoolExecutor(max_workers=len(requests)) as pool:
        futures = [pool.submit(send, *request) for request in requests]
        return [f.result(timeout=120) for f in futures]


def _json_or_text(raw: bytes) -> dict:
    try:
        return json.loads(raw or b"{}")
    except ValueError:  # an error page: keep its start for the assertion message
        return {"unexpected": raw[:300].decode(errors="replace")}
