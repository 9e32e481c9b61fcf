"""``manage.py receive_lab_results --host 127.0.0.1 --port 2575``: the MLLP listener for lab results."""

from __future__ import annotations

import asyncio
import signal

from django.conf import settings
from django.core.management.base import BaseCommand

from interop.mllp_listener import serve


class Command(BaseCommand):
    help = "Listen for HL7 v2 ORU^R01 lab results over MLLP and answer each with an ACK."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
        parser.add_argument("--port", type=int, default=2575, help="TCP port (0: any free port)")

    def handle(self, *args, host: str, port: int, **options) -> None:
        asyncio.run(self._run(host, port))

    async def _run(self, host: str, port: int) -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)

        def ready(server) -> None:
            address = server.sockets[0].getsockname()
            self.stdout.write(
                f"Listening for HL7 over MLLP on {address[0]}:{address[1]}", ending="\n"
            )
            self.stdout.flush()

        await serve(
            host,
            port,
            max_bytes=settings.HL7_MAX_MESSAGE_BYTES,
            timeout=settings.HL7_READ_TIMEOUT_SECONDS,
            on_ready=ready,
            stop=stop,
        )
        self.stdout.write("Stopped.")
