"""Concurrent HTTP clients over loopback: each client is a thread with one keep-alive
connection that sends its own list of requests one after the other. All clients start
together; every request has a timeout and the phase has a time limit, so a run always ends."""

import http.client
import math
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    body: bytes | None = None
    headers: dict = field(default_factory=dict)


@dataclass
class Outcome:
    status: int | None  # None: no answer (timeout, connection error, not sent in time)
    ms: float
    body: bytes = b""
    error: str = ""


@dataclass
class Phase:
    outcomes: list[Outcome]
    seconds: float

    def count(self, status: int) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    def latencies(self, statuses=None) -> list[float]:
        return sorted(
            o.ms
            for o in self.outcomes
            if o.status is not None and (statuses is None or o.status in statuses)
        )

    def per_second(self, n: int) -> float:
        return n / self.seconds if self.seconds > 0 else 0.0


def percentile(sorted_values: list[float], fraction: float) -> float | None:
    """Nearest-rank percentile of values already sorted; None if there are none."""
    if not sorted_values:
        return None
    rank = max(1, math.ceil(len(sorted_values) * fraction - 1e-9))
    return sorted_values[rank - 1]


# Errors a kept-alive connection gives when the server closed it between two requests;
# the request was not read, so it is sent once more on a new connection.
_STALE = (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError)


class _Client:
    def __init__(self, host: str, port: int, timeout: float):
        self.host, self.port, self.timeout = host, port, timeout
        self.connection: http.client.HTTPConnection | None = None
        self.used = False

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
        self.connection, self.used = None, False

    def send(self, request: Request) -> Outcome:
        started = time.perf_counter()
        for attempt in (1, 2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection(
                    self.host, self.port, timeout=self.timeout
                )
            reused = self.used
            try:
                self.connection.request(
                    request.method, request.path, body=request.body, headers=request.headers
                )
                response = self.connection.getresponse()
                body = response.read()
            except _STALE as error:
                self.close()
                if reused and attempt == 1:
                    started = time.perf_counter()
                    continue
                return Outcome(None, _ms(started), error=repr(error))
            except (OSError, http.client.HTTPException) as error:
                self.close()
                return Outcome(None, _ms(started), error=repr(error))
            self.used = True
            if response.will_close:
                self.close()
            return Outcome(response.status, _ms(started), body=body)
        raise AssertionError("unreachable")


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000


def run(base_url: str, work: list[list[Request]], *, timeout: float, max_seconds: float) -> Phase:
    """Send work[i] from client i, all clients at once (a client stands for one person
    whose requests follow one another); the outcomes client by client."""
    queues = [iter(requests) for requests in work]
    return _run(base_url, len(work), lambda index: next(queues[index], None), timeout, max_seconds)


def run_shared(
    base_url: str, requests: list[Request], clients: int, *, timeout: float, max_seconds: float
) -> Phase:
    """Send the requests from `clients` clients at once, each taking the next one not yet
    taken when its previous one is answered. Every connection stays busy until the work is
    done, so the phase measures the server, not the unluckiest client's share (with fixed
    shares, clients served by a busier worker finish last and the phase ends on them alone)."""
    pending = iter(requests)
    lock = threading.Lock()

    def take(_index: int) -> Request | None:
        with lock:
            return next(pending, None)

    return _run(base_url, clients, take, timeout, max_seconds)


def _run(base_url: str, clients: int, take, timeout: float, max_seconds: float) -> Phase:
    address = urlsplit(base_url)
    if address.hostname not in ("127.0.0.1", "localhost", "::1"):
        raise ValueError("benchmarks only talk to loopback addresses")
    results: list[list[Outcome]] = [[] for _ in range(clients)]
    start_line = threading.Barrier(clients + 1, timeout=60)
    deadline: list[float] = []

    def client(index: int) -> None:
        me = _Client(address.hostname, address.port, timeout)
        try:
            start_line.wait()
            while (request := take(index)) is not None:
                if time.monotonic() > deadline[0]:
                    results[index].append(Outcome(None, 0.0, error="not sent: time limit"))
                    continue
                results[index].append(me.send(request))
        finally:
            me.close()

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    deadline.append(time.monotonic() + max_seconds)
    started = time.perf_counter()
    start_line.wait()
    for thread in threads:
        thread.join(timeout=max_seconds + timeout + 5)
    seconds = time.perf_counter() - started
    if any(thread.is_alive() for thread in threads):
        raise RuntimeError("a client did not stop in time")
    return Phase([o for outcomes in results for o in outcomes], seconds)


def rounded_ms(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def baseline_figures(trivial: Phase) -> dict:
    """The figures of the same run's baseline phase (GET /healthz), named alike in every
    scenario so their JSON lines compare."""
    answered = trivial.latencies({200})
    return {
        "trivial_requests": len(trivial.outcomes),
        "trivial_errors": len(trivial.outcomes) - len(answered),
        "trivial_per_s": round(trivial.per_second(len(answered)), 1),
        "trivial_p50_ms": rounded_ms(percentile(answered, 0.50)),
        "trivial_p99_ms": rounded_ms(percentile(answered, 0.99)),
    }


def ratio(per_second: float, figures: dict) -> float | None:
    """A scenario's requests per second over the baseline's, from the same run."""
    return round(per_second / figures["trivial_per_s"], 3) if figures["trivial_per_s"] else None


def baseline_line(f: dict) -> str:
    return (
        f"baseline GET /healthz: {f['trivial_requests']} requests, {f['trivial_per_s']} per s, "
        f"p50 {f['trivial_p50_ms']} ms, p99 {f['trivial_p99_ms']} ms, "
        f"errors {f['trivial_errors']}"
    )
