"""A small HTTP server on a real loopback socket, for tests of code that talks HTTP to
something outside the project (a routing engine, the benches' clients)."""

import threading
from contextlib import contextmanager
from http.server import ThreadingHTTPServer


@contextmanager
def serving(handler):
    """Serve with the handler class on a free loopback port while the block runs; yields
    the base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
