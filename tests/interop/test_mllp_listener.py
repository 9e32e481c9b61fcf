"""A real MLLP round trip: the listener on a free port, messages over a TCP socket, ACKs read back.

The listener runs in a thread with its own event loop, exactly as the management command runs it;
the database is committed for real (``transaction=True``) so the listener's thread sees the rows.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import hl7
import pytest
from asgiref.sync import sync_to_async
from django.db import connections
from hl7.client import MLLPClient

from followups.models import Alert, NeutrophilResult
from interop.mllp_listener import serve
from interop.models import InboundMessage, LabResult

pytestmark = pytest.mark.django_db(transaction=True)

VT, FS_CR = b"\x0b", b"\x1c\r"
MAX_BYTES = 64 * 1024
TIMEOUT = 1.0


@pytest.fixture
def listener():
    """(host, port) of a running listener; stopped and its connection closed afterwards."""
    ready = threading.Event()
    state = {}

    def run():
        loop = asyncio.new_event_loop()
        stop = asyncio.Event()
        state["loop"], state["stop"] = loop, stop

        def on_ready(server):
            state["address"] = server.sockets[0].getsockname()[:2]
            ready.set()

        async def main():
            await serve(
                "127.0.0.1", 0, max_bytes=MAX_BYTES, timeout=TIMEOUT, on_ready=on_ready, stop=stop
            )
            await sync_to_async(connections.close_all, thread_sensitive=True)()

        loop.run_until_complete(main())
        loop.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    assert ready.wait(10), "the listener did not start"
    yield state["address"]
    state["loop"].call_soon_threadsafe(state["stop"].set)
    thread.join(10)


def send(address, text: str) -> hl7.Message:
    with MLLPClient(*address) as client:
        return hl7.parse(client.send_message(text).decode().strip(VT.decode()).rstrip("\x1c\r"))


def raw_exchange(address, payload: bytes, *, shut: bool = False) -> bytes:
    """Send bytes as they are; return everything the listener answers until it stops talking."""
    with socket.create_connection(address, timeout=10) as sock:
        sock.sendall(payload)
        if shut:
            sock.shutdown(socket.SHUT_WR)
        received = b""
        sock.settimeout(TIMEOUT + 3)
        try:
            while not received.endswith(FS_CR):
                chunk = sock.recv(65536)
                if not chunk:
                    break
                received += chunk
        except TimeoutError:
            pass
        return received


def ack_code(raw: bytes) -> str:
    return hl7.parse(raw.strip(VT).rstrip(FS_CR).decode())["MSA.F1"]


def test_a_count_of_0_8_is_acknowledged_recorded_and_alerted(listener, lab_message, patient):
    ack = send(listener, lab_message(value="0.8"))
    assert ack["MSA.F1"] == "AA"
    assert ack["MSA.F2"] == "LAB-0001"
    assert str(NeutrophilResult.objects.get(patient=patient).value) == "0.80"
    assert Alert.objects.get(patient=patient).severity == "urgent"

    again = send(listener, lab_message(value="0.8"))
    assert again["MSA.F1"] == "AA"
    assert NeutrophilResult.objects.filter(patient=patient).count() == 1

    corrected = send(listener, lab_message(value="2.1", status="C", control_id="LAB-0002"))
    assert corrected["MSA.F1"] == "AA"
    newest = NeutrophilResult.objects.get(patient=patient, supersedes__isnull=False)
    assert str(newest.value) == "2.10"

    unknown = send(listener, lab_message(mrn="UNKNOWN9", control_id="LAB-0003"))
    assert unknown["MSA.F1"] == "AA"
    waiting = LabResult.objects.unmatched().get()
    assert waiting.reported_mrn == "UNKNOWN9"


@pytest.mark.parametrize(
    ("changes", "problem"),
    [({"value": "see note"}, "not a number"), ({"sampled": "20990101"}, "future")],
)
def test_a_bad_value_or_date_is_accepted_and_waits_for_a_nurse(
    listener, lab_message, changes, problem
):
    assert send(listener, lab_message(**changes))["MSA.F1"] == "AA"
    assert problem in LabResult.objects.unmatched().get().problems[0]


def test_wrong_encoding_characters_get_ae_and_are_kept(listener, lab_message):
    text = lab_message().replace("MSH|^~\\&|", "MSH|^^^^|")
    answer = raw_exchange(listener, VT + text.encode() + FS_CR)
    assert ack_code(answer) == "AE"
    assert InboundMessage.objects.get().outcome == "AE"


def test_a_truncated_frame_is_kept_and_the_listener_goes_on(listener, lab_message):
    answer = raw_exchange(listener, VT + lab_message().encode()[:120], shut=True)
    assert ack_code(answer) == "AE"
    kept = InboundMessage.objects.get()
    assert "incomplete" in kept.error
    assert bytes(kept.raw).startswith(b"MSH|")
    assert send(listener, lab_message())["MSA.F1"] == "AA"


def test_a_frame_without_end_that_goes_quiet_times_out_with_ae(listener, lab_message):
    answer = raw_exchange(listener, VT + lab_message().encode()[:150])
    assert ack_code(answer) == "AE"
    assert "incomplete" in InboundMessage.objects.get().error


def test_a_10_mb_message_is_refused_and_the_connection_still_works(listener, lab_message):
    huge = lab_message().replace("OBX|3|", "NTE|1||" + "x" * (10 * 1024 * 1024) + "\rOBX|3|")
    with socket.create_connection(listener, timeout=15) as sock:
        sock.sendall(VT + huge.encode() + FS_CR)
        answer = b""
        while not answer.endswith(FS_CR):
            answer += sock.recv(65536)
        assert ack_code(answer) == "AE"
        sock.sendall(VT + lab_message().encode() + FS_CR)
        answer = b""
        while not answer.endswith(FS_CR):
            answer += sock.recv(65536)
        assert ack_code(answer) == "AA"
    assert "larger than" in InboundMessage.objects.get(outcome="AE").error


def test_a_client_that_sends_nothing_is_disconnected_and_others_are_served(listener, lab_message):
    with socket.create_connection(listener, timeout=10) as idle:
        started = time.monotonic()
        assert idle.recv(10) == b""  # closed by the listener
        assert time.monotonic() - started < TIMEOUT + 5
    assert send(listener, lab_message())["MSA.F1"] == "AA"
    assert not InboundMessage.objects.filter(outcome="AE").exists()


def test_bytes_outside_a_block_get_ae(listener):
    answer = raw_exchange(listener, b"hello" + FS_CR)
    assert ack_code(answer) == "AE"


def test_a_burst_of_200_messages_over_four_connections_loses_none(listener, lab_message, patient):
    messages = [lab_message(control_id=f"BURST-{n:03d}", filler=f"F{n}") for n in range(200)]

    def one_connection(batch):
        codes = []
        with MLLPClient(*listener) as client:
            for text in batch:
                raw = client.send_message(text)
                codes.append(ack_code(raw))
        return codes

    with ThreadPoolExecutor(4) as pool:
        codes = [
            c
            for batch in pool.map(one_connection, [messages[i::4] for i in range(4)])
            for c in batch
        ]
    assert codes == ["AA"] * 200
    assert InboundMessage.objects.filter(outcome="AA").count() == 200
    assert NeutrophilResult.objects.filter(patient=patient).count() == 200


def test_a_start_block_inside_a_frame_keeps_both_parts(listener, lab_message):
    cut = lab_message(control_id="CUT-1").encode()[:90]
    answer = raw_exchange(listener, VT + cut + VT + lab_message().encode() + FS_CR)
    assert ack_code(answer) == "AA"
    refused = InboundMessage.objects.get(outcome="AE")
    assert bytes(refused.raw) == cut
    assert InboundMessage.objects.filter(outcome="AA").count() == 1
