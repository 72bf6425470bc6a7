"""Sets of member ids as stored in the rollups' `samples` for distinct counts.

A day of a large community holds thousands of active members; a period's distinct count unions
30–90 days of them. As JSON lists of ids that was most of a dashboard's time (decoding hundreds of
thousands of numbers); stored as a compressed bitmap (bit n set: member n), a union is an OR of
Python integers and a count is `int.bit_count()`."""

import base64
import zlib

PREFIX = "bits:"


def encode(member_ids) -> list[str]:
    """The `samples` value for a set of member ids (an empty list for none)."""
    ids = sorted(member_ids)
    if not ids:
        return []
    bitmap = bytearray(ids[-1] // 8 + 1)
    for member_id in ids:
        bitmap[member_id >> 3] |= 1 << (member_id & 7)
    return [PREFIX + base64.b64encode(zlib.compress(bytes(bitmap), 1)).decode("ascii")]


def decode(samples) -> int:
    """The bitmap of a `samples` value (0 for none); plain id lists are read too."""
    bits = 0
    for sample in samples:
        if isinstance(sample, str) and sample.startswith(PREFIX):
            bits |= int.from_bytes(zlib.decompress(base64.b64decode(sample[len(PREFIX):])), "little")
        else:
            bits |= 1 << int(sample)
    return bits


def union_size(sample_lists) -> int:
    bits = 0
    for samples in sample_lists:
        bits |= decode(samples)
    return bits.bit_count()


def members(bits: int) -> set[int]:
    """The ids in a bitmap (for tests and small sets)."""
    found, n = set(), 0
    while bits:
        if bits & 1:
            found.add(n)
        bits >>= 1
        n += 1
    return found
