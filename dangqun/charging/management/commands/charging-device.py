"""`dangqun charging-device`: play a charging cabinet. It posts signed state reports to the
device webhook, as a real cabinet does, and so also documents the protocol:

    POST {url}/api/v1/charging/devices/{cabinet}/report
    X-Timestamp: <Unix seconds>
    X-Signature: hex(HMAC-SHA256(secret, "<X-Timestamp>." + raw body))
    {"slots": [{"number": 1, "state": "charging", "energy_wh": 120}, ...]}

States a device reports: free, charging, occupied, fault (offline is the server's verdict on
a silent cabinet). Examples:

    dangqun charging-device --cabinet cq-charge-01 --secret S --url http://127.0.0.1:8000 \\
        --set 1=charging,2=free
    dangqun charging-device --demo --cabinet cq-swap-01 --slots 6 --every 30 --count 0
"""

import json
import random
import time

from django.core.management.base import BaseCommand, CommandError

from dangqun.charging.devices import send_report

REPORTABLE = ("free", "charging", "occupied", "fault")


def _parse_set(text: str) -> list[dict]:
    rows = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        number, _, state = part.partition("=")
        if not number.isdigit() or state not in REPORTABLE:
            raise CommandError(f"--set wants NUMBER=STATE pairs ({', '.join(REPORTABLE)}): {part}")
        rows.append({"number": int(number), "state": state})
    return rows


class Command(BaseCommand):
    help = "Play a charging cabinet: post signed slot reports to the device webhook."

    def add_arguments(self, parser):
        parser.add_argument("--cabinet", required=True, help="the cabinet's device code")
        parser.add_argument("--secret", help="the cabinet's secret (as shown to staff once)")
        parser.add_argument(
            "--demo",
            action="store_true",
            help="read the secret of a demo cabinet from var/demo-charging-secrets",
        )
        parser.add_argument("--url", default="http://127.0.0.1:8000", help="the site's address")
        parser.add_argument("--set", dest="states", help="report these states: 1=charging,2=free")
        parser.add_argument(
            "--slots", type=int, default=8, help="without --set: slots 1..N with random states"
        )
        parser.add_argument("--every", type=float, default=30, help="seconds between reports")
        parser.add_argument("--count", type=int, default=1, help="reports to send (0: forever)")
        parser.add_argument("--seed", type=int, default=None, help="random seed for the states")

    def handle(self, *, cabinet, secret, demo, url, states, slots, every, count, seed, **_):
        secret = secret or (self._demo_secret(cabinet) if demo else None)
        if not secret:
            raise CommandError("Give --secret (or --demo for a demo cabinet).")
        rng = random.Random(seed)
        sent = 0
        while count == 0 or sent < count:
            rows = _parse_set(states) if states else self._random_rows(rng, slots)
            try:
                status, answer = send_report(url, cabinet, secret, {"slots": rows})
            except ConnectionError as error:
                raise CommandError(str(error)) from None
            self.stdout.write(f"{status} {answer}")
            sent += 1
            if status >= 400 and count == 0:
                raise CommandError(f"The server refused the report: {status} {answer}")
            if count == 0 or sent < count:
                time.sleep(every)
        return None

    @staticmethod
    def _demo_secret(cabinet: str) -> str | None:
        from dangqun.charging.demo import secrets_path

        path = secrets_path()
        if not path.exists():
            raise CommandError(f"{path} is missing: load the demo first (dangqun demo).")
        return json.loads(path.read_text()).get(cabinet)

    @staticmethod
    def _random_rows(rng: random.Random, slots: int) -> list[dict]:
        rows = []
        for number in range(1, slots + 1):
            state = rng.choices(REPORTABLE, weights=[5, 3, 1, 0.2])[0]
            row = {"number": number, "state": state}
            if state == "charging":
                row["energy_wh"] = rng.randint(0, 900)
            rows.append(row)
        return rows
