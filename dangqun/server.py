"""The production server: gunicorn with threaded workers, run from Python so that
`dangqun up` and the benchmarks start the same server the README deploys."""

import os

from gunicorn.app.base import BaseApplication


class DangqunServer(BaseApplication):
    def __init__(self, options: dict):
        self.options = options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            if key in self.cfg.settings and value is not None:
                self.cfg.set(key.lower(), value)

    def load(self):
        from dangqun.wsgi import application

        return application


def server_options(
    *, host: str, port: int, workers: int | None = None, threads: int | None = None
) -> dict:
    return {
        "bind": f"{host}:{port}",
        "workers": workers or int(os.environ.get("DANGQUN_WORKERS", "2")),
        "threads": threads or int(os.environ.get("DANGQUN_THREADS", "8")),
        "worker_class": "gthread",
        "timeout": 60,
        "graceful_timeout": 10,
        "accesslog": os.environ.get("DANGQUN_ACCESS_LOG") or None,
        "errorlog": "-",
        "control_socket_disable": True,
        "reuse_port": True,
        "forwarded_allow_ips": os.environ.get("DANGQUN_FORWARDED_ALLOW_IPS", "127.0.0.1"),
    }


def serve(**kwargs) -> None:
    DangqunServer(server_options(**kwargs)).run()
