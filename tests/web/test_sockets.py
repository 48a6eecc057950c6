"""The kernel websocket withholds printed text, errors and echoed code from a client's page."""

from __future__ import annotations

import json
import struct

import pytest

from coachkit.web.sockets import (
    WITHHELD,
    message_type,
)
from coachkit.web.throttle import Throttle


def v1_frame(msg_type: str) -> bytes:
    """A message in jupyter's v1 websocket protocol (offsets, channel, header, parent, metadata, content)."""
    parts = [b"iopub", json.dumps({"msg_type": msg_type}).encode(), b"{}", b"{}", b"{}"]
    offsets, position = [], 8 * (len(parts) + 1)
    for part in parts:
        offsets.append(position)
        position += len(part)
    return struct.pack("<Q", len(parts)) + b"".join(struct.pack("<Q", o) for o in offsets) + b"".join(parts)


@pytest.mark.parametrize("kind", ["stream", "error", "execute_input", "comm_msg", "status"])
def test_the_message_type_is_read_from_every_protocol(kind):
    assert message_type(v1_frame(kind)) == kind
    assert message_type(json.dumps({"header": {"msg_type": kind}})) == kind
    assert message_type({"header": {"msg_type": kind}}) == kind


def test_printed_text_and_errors_are_withheld_widget_traffic_is_not():
    assert {"stream", "error", "execute_input"} <= WITHHELD
    assert not {"comm_open", "comm_msg", "comm_close", "status", "kernel_info_reply"} & WITHHELD


def test_an_unreadable_message_is_not_mistaken_for_one_to_withhold():
    assert message_type(b"\x00\x01") is None
    assert message_type("not json") is None


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_throttle_lets_a_burst_through_then_holds_back_to_its_rate():
    clock = Clock()
    throttle = Throttle(rate=10, burst=20, clock=clock)
    assert [throttle.delay() for _ in range(20)] == [0.0] * 20
    assert throttle.delay() == pytest.approx(0.1)  # the 21st waits for one token
    assert throttle.delay() == pytest.approx(0.2)  # and the next for the one after
    clock.now += 0.2
    assert throttle.delay() == pytest.approx(0.1)
    clock.now += 100  # a quiet while fills the bucket again, never past its burst
    assert [throttle.delay() for _ in range(20)] == [0.0] * 20
    assert throttle.delay() > 0
