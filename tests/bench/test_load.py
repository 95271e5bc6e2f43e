"""The benches' load clients (dangqun.bench.load) against a small HTTP server on a real
loopback socket: with a shared list every request is sent exactly once, and a client held
up by a slow answer leaves the rest of the work to the others."""

import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler

import pytest

from dangqun.bench.load import Request, run, run_shared
from tests.local_http import serving


class _Recorder(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the benches' clients use it
    disable_nagle_algorithm = True  # headers and body go out at once
    seen: list[tuple[str, int]] = []
    lock = threading.Lock()

    def do_GET(self):
        if self.path == "/slow":
            time.sleep(1.5)
        with self.lock:
            self.seen.append((self.path, self.client_address[1]))
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    _Recorder.seen = []
    with serving(_Recorder) as url:
        yield url


def test_a_shared_list_is_sent_once_each_from_every_client(server):
    requests = [Request("GET", f"/{n}") for n in range(40)]

    phase = run_shared(server, requests, 5, timeout=5, max_seconds=30)

    assert [o.status for o in phase.outcomes] == [200] * 40
    paths = Counter(path for path, _port in _Recorder.seen)
    assert paths == Counter(f"/{n}" for n in range(40))
    assert len({port for _path, port in _Recorder.seen}) == 5  # one connection a client


def test_a_client_held_up_leaves_the_rest_to_the_others(server):
    requests = [Request("GET", "/slow")] + [Request("GET", f"/{n}") for n in range(20)]

    run_shared(server, requests, 2, timeout=5, max_seconds=30)

    by_connection = Counter(port for _path, port in _Recorder.seen)
    assert sorted(by_connection.values()) == [1, 20]


def test_fixed_shares_keep_to_their_lists(server):
    """The other way (booking: a client is one resident): each list from its own client,
    even when one client is held up."""
    work = [[Request("GET", "/slow")] + [Request("GET", "/a")] * 3, [Request("GET", "/b")] * 4]

    phase = run(server, work, timeout=5, max_seconds=30)

    assert len(phase.outcomes) == 8
    by_connection = Counter(port for _path, port in _Recorder.seen)
    assert sorted(by_connection.values()) == [4, 4]
