"""The MLLP listener: python-hl7's asyncio server, one coroutine per connection.

Each frame is handed, as raw bytes, to ``interop.services.receive_hl7``, which stores it and
gives the ACK; the ACK is written only after that returns, so it never precedes the commit.
Database work runs in Django's one sync thread (``sync_to_async``), in arrival order.

Nothing a sender does stops the listener:

- a frame larger than ``HL7_MAX_MESSAGE_BYTES`` is read to its end and discarded, and answered
  AE (the refusal is stored with its size);
- a frame cut short by the connection closing, or by ``HL7_READ_TIMEOUT_SECONDS`` of silence, is
  stored as refused and answered AE if the sender still listens;
- bytes before a start-of-block are refused the same way;
- a connection that sends nothing for the timeout is closed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

from asgiref.sync import sync_to_async
from django.db import close_old_connections
from hl7.mllp import start_hl7_server
from hl7.mllp.exceptions import InvalidBlockError

from clinic_portal.core.clock import clinic_today
from interop import services

log = logging.getLogger(__name__)

START_BLOCK = b"\x0b"
END = b"\x1c\r"
# After an oversized frame, this long without bytes means the sender is waiting for our answer.
DISCARD_IDLE_SECONDS = 1.0
DISCARD_MAX_BYTES = 512 * 1024 * 1024


def _receive(raw: bytes, peer: str) -> services.Reply:
    close_old_connections()  # a long-running process outlives database restarts
    return services.receive_hl7(raw, peer=peer, today=clinic_today())


def _refuse(raw: bytes, reason: str, peer: str) -> services.Reply:
    close_old_connections()
    return services.refuse_unreadable(raw, reason, peer=peer)


receive = sync_to_async(_receive, thread_sensitive=True)
refuse = sync_to_async(_refuse, thread_sensitive=True)


async def _answer(writer, reply: services.Reply) -> None:
    writer.writeblock(reply.ack.encode("utf-8"))
    await writer.drain()


async def _discard_rest(reader, *, timeout: float) -> int:
    """Read and drop the rest of an oversized frame; the number of bytes dropped."""
    dropped, tail = 0, b""
    while dropped < DISCARD_MAX_BYTES:
        try:
            chunk = await asyncio.wait_for(reader.read(65536), DISCARD_IDLE_SECONDS)
        except TimeoutError:
            return dropped
        if not chunk:
            return dropped
        dropped += len(chunk)
        if END in tail + chunk:
            return dropped
        tail = chunk[-1:]
    return dropped


class Listener:
    def __init__(self, *, max_bytes: int, timeout: float):
        self.max_bytes = max_bytes
        self.timeout = timeout
        self.handled = 0

    async def handle(self, reader, writer) -> None:
        address = writer.get_extra_info("peername")
        peer = f"{address[0]}:{address[1]}" if address else ""
        try:
            while await self._one_frame(reader, writer, peer):
                pass
        except (ConnectionError, OSError) as error:
            log.info("Connection from %s ended: %s", peer, error)
        except Exception:  # the listener must outlive anything one connection does
            log.exception("Unexpected error on the connection from %s", peer)
        finally:
            writer.close()
            with contextlib.suppress(ConnectionError, OSError):
                await writer.wait_closed()

    async def _one_frame(self, reader, writer, peer: str) -> bool:
        """Handle one frame; False when the connection is done."""
        try:
            block = await asyncio.wait_for(reader.readblock(), self.timeout)
        except TimeoutError:
            # python-hl7's reader keeps the unread bytes in its buffer; they are the cut frame.
            partial = bytes(getattr(reader, "_buffer", b"")).removeprefix(START_BLOCK)
            if partial.strip():
                reply = await refuse(
                    partial,
                    f"No end of block after {self.timeout:g} seconds; the frame is incomplete.",
                    peer,
                )
                await _answer(writer, reply)
            log.info("Closing the idle connection from %s", peer)
            return False
        except asyncio.IncompleteReadError as error:
            partial = error.partial.removeprefix(START_BLOCK)
            if partial.strip():
                reply = await refuse(
                    partial,
                    "The connection closed before the end of block; the frame is incomplete.",
                    peer,
                )
                await _answer(writer, reply)
            return False
        except ValueError:
            dropped = await _discard_rest(reader, timeout=self.timeout)
            reply = await refuse(
                b"",
                f"The message is larger than {self.max_bytes} bytes "
                f"(at least {self.max_bytes + dropped}); it was not read.",
                peer,
            )
            await _answer(writer, reply)
            return True
        except InvalidBlockError:
            reply = await refuse(b"", "Bytes arrived outside an MLLP start block.", peer)
            await _answer(writer, reply)
            return True
        if START_BLOCK in block:
            # A sender restarted a message without ending the one before: keep both, take the last.
            before, _, block = block.rpartition(START_BLOCK)
            await refuse(before, "A new start block arrived inside this frame.", peer)
        reply = await receive(block, peer)
        await _answer(writer, reply)
        self.handled += 1
        return True


async def serve(
    host: str,
    port: int,
    *,
    max_bytes: int,
    timeout: float,
    on_ready: Callable[[asyncio.Server], None] | None = None,
    stop: asyncio.Event | None = None,
) -> None:
    """Listen until ``stop`` is set (or forever)."""
    listener = Listener(max_bytes=max_bytes, timeout=timeout)
    server = await start_hl7_server(listener.handle, host, port, limit=max_bytes)
    async with server:
        if on_ready is not None:
            on_ready(server)
        if stop is None:
            await server.serve_forever()
        else:
            await stop.wait()
