"""A new record's content as its first audit entry holds it: stored once, packed.

An entry that creates a record (create, import, a recovered save with nothing before it) used to
list every field as `{"field": ..., "old": null, "new": ...}`: twice the record's size, and the
largest part of the trail. It now holds the record once, in its stored form (stratui.stored_form),
as `"record": "z1:<data>"`: the compact JSON, deflated with a preset dictionary of the record's
field names, in base85 (no quote or backslash, so it stays one JSON string). `stratui audit ID`
and the history screen unpack it (`unpacked`), and `check --restore` rebuilds the record from it.

The dictionary is part of the format: entries packed with it can only be read with exactly these
bytes. Never change WORDS; a new dictionary is a new prefix ("z2:"), and "z1:" stays readable.
"""

from __future__ import annotations

import base64
import json
import zlib
from typing import Any

PREFIX = "z1:"
# The field names of the schema 4 record, rarest first (deflate reaches the end of its
# dictionary most cheaply). Frozen: see the module's docstring.
WORDS = (
    "child_protection_plan conference_outcome enquiry_outcome follow_up_reason interim_safety_plan ird "
    "joint_investigative_interview named_person no_medical_professional_reason notes outcome parents_spoken_to_at "
    "pending_rows referred_on reporter_referral previous_actions escalated escalated_to possibly_malicious "
    "carried_from addenda author reason resolution written_at communication_needs due_date not_sought_reason "
    "disagreement threshold network purpose review_date previous_discussion_ids details category age conducted_by "
    "examination_type timescale not_seen_alone_reason no_s47_next_steps child_seen_at wishes_and_feelings "
    "other_children_at_risk other_children_notes other_children format seen_alone parents_told absence_reason "
    "attendance given adults agency_role family feedback_given feedback_on legal_basis referrer sought "
    "reconvene_on manager sign_off signed_at disability ethnicity first_language gender interpreter_needed "
    "religion seen referral_date profile consent alleged_source_of_harm inform_by who_informs child_seen_by "
    "child_seen_on decisions immediate_protection inform_parents joint_investigation legal_advice "
    "medical_examination parents_spoken_to_by parents_spoken_to_on s47_enquiry safe_at_home "
    "safe_at_home_rationale significant_harm_rationale significant_harm_suspected milestones actions "
    "agency_information case_ref children concern_date concern_source concerns contingency created_at created_by "
    "current_circumstances family_history held_at held_on how_concerns_came_to_light information "
    "information_needed kind lead lead_agency lived_experience participants plan protective_factors revision "
    "risk risk_factors schema_version social_worker source_reliability updated_at updated_by "
    "parental_responsibility address date_of_birth relationship from_whom what note key by on closed_by "
    "closed_on closing_note shared_by summary due owner text made rationale status role name id agency"
)
_DICTIONARY = "".join(f'"{word}":' for word in WORDS.split()).encode("ascii")


class UnreadableRecord(ValueError):
    """The packed record is not one this stratui wrote (changed by hand, or from a newer one)."""


def pack(doc: dict[str, Any]) -> str:
    return pack_json(json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass"))


def pack_json(data: bytes) -> str:
    """`pack` of the record's compact JSON already made (a bulk write makes it once for the
    record's file and its entry)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15, 9, zlib.Z_DEFAULT_STRATEGY, _DICTIONARY)
    return PREFIX + b85encode(packer.compress(data) + packer.flush()).decode("ascii")


# base64.b85encode's alphabet, each digit's character by its value.
_B85_DIGITS = bytes.maketrans(
    bytes(range(85)), b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!#$%&()*+-;<=>?@^_`{|}~"
)
# (w * _BY_85) >> 38 == w // 85 for every w below 2**32: ceil(2**38 / 85), 21 over 85 * 2**32.
_BY_85 = 3233857729
_QUOTIENT_BITS = b"\xff\xff\xff\x03\0\0\0\0"  # the 26 low bits of a 64-bit lane: w // 85 < 2**26


def b85encode(data: bytes) -> bytes:
    """base64.b85encode(data), byte for byte (tests/unit/test_audit_record.py), over twice as fast.

    The standard one divides each 4-byte word by 85 in Python, a word at a time: a fifth of a
    bulk write's time. Here each word gets a 64-bit lane of one big integer and every word is
    divided at once, by a multiplication and a shift (the product of a word and _BY_85 fits in
    its lane, and the mask drops what the shift brings down from the next one); each digit is
    then the low byte of its lane, picked out by slicing, and spelt by `translate`.
    """
    padding = -len(data) % 4
    data += b"\0" * padding
    words = len(data) // 4
    lanes = bytearray(8 * words)
    # The words are big-endian; a lane's bytes little-endian, the word in its low four.
    lanes[0::8], lanes[1::8], lanes[2::8], lanes[3::8] = data[3::4], data[2::4], data[1::4], data[0::4]
    value = int.from_bytes(lanes, "little")
    low_bits = int.from_bytes(_QUOTIENT_BITS * words, "little")
    digits = bytearray(5 * words)
    for place in (4, 3, 2, 1):  # the last digit of each word first
        quotient = ((value * _BY_85) >> 38) & low_bits
        digits[place::5] = (value - quotient * 85).to_bytes(8 * words, "little")[::8]
        value = quotient
    digits[0::5] = value.to_bytes(8 * words, "little")[::8]  # below 85: 2**32 < 85**5
    return bytes(digits[: len(digits) - padding].translate(_B85_DIGITS))


def unpack(packed: object) -> dict[str, Any]:
    if not isinstance(packed, str) or not packed.startswith(PREFIX):
        raise UnreadableRecord("not a record packed by stratui")
    try:
        unpacker = zlib.decompressobj(-15, _DICTIONARY)
        data = unpacker.decompress(base64.b85decode(packed[len(PREFIX) :])) + unpacker.flush()
        doc = json.loads(data.decode("utf-8", "surrogatepass"))
    except (ValueError, zlib.error, RecursionError):
        raise UnreadableRecord("its packed record cannot be read") from None
    if not isinstance(doc, dict):
        raise UnreadableRecord("its packed record is not a record")
    return doc
