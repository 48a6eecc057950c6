"""The kernel websocket withholds printed text, errors and echoed code from a client's page."""

from __future__ import annotations

import json
import struct

import pytest

from coachkit.web.sockets import WITHHELD, message_type


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
