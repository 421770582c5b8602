"""A new record packed into its audit entry: the same text whichever encoder made it.

Entries already in every database were packed with base64.b85encode; the faster encoder must
write exactly its characters, or a record packed now would not read back as the one packed then.
"""

from __future__ import annotations

import base64
import random

from stratui.audit_record import PREFIX, b85encode, pack, pack_json, unpack


def test_the_encoder_writes_what_base64_writes_for_every_length_and_byte() -> None:
    rng = random.Random(14)
    for length in range(0, 130):
        for _ in range(15):
            data = bytes(rng.randrange(256) for _ in range(length))
            assert b85encode(data) == base64.b85encode(data), (length, data)
    # The extremes of a word: all zeros, all ones, and each padding of a short tail.
    for data in (b"\0" * 64, b"\xff" * 64, b"\xff", b"\xff\xff", b"\xff\xff\xff", b"\xff\xff\xff\xff"):
        assert b85encode(data) == base64.b85encode(data), data
    large = rng.randbytes(70_000)
    assert b85encode(large) == base64.b85encode(large)


def test_a_record_packed_from_its_json_reads_back_as_packed_from_the_document() -> None:
    doc = {"id": "ab12", "kind": "strategy-discussion", "notes": "Kai \u2014 \u0647\u0644\u0627 " * 40, "n": [1, 2.5, None]}
    text = pack(doc)
    assert text.startswith(PREFIX)
    assert unpack(text) == doc
    compact = '{"id":"ab12","kind":"strategy-discussion","notes":"x","n":[1,2.5,null]}'.encode()
    assert unpack(pack_json(compact)) == {"id": "ab12", "kind": "strategy-discussion", "notes": "x", "n": [1, 2.5, None]}
