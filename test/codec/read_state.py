"""Reads a statekeep state blob with the standard library and cbor2 only, and prints it as JSON.

It follows docs/state-format.md and nothing else, to prove a state is readable outside Node:
prefix, header, optional gzip body, RFC 8746 typed arrays as tag + little-endian bytes.
Usage: python read_state.py BLOB_PATH
"""

import datetime
import gzip
import json
import math
import struct
import sys

import cbor2

MAGIC = b"\x89SKS\r\n\x1a\n"
# RFC 8746 little-endian typed-array tags -> struct element format.
TYPED = {64: "B", 68: "B", 69: "H", 70: "I", 71: "Q", 72: "b", 77: "h", 78: "i", 79: "q", 85: "f", 86: "d"}
JS_SAFE = 2**53 - 1


def read(blob):
    if blob[:8] != MAGIC:
        raise ValueError("not a statekeep state")
    version = blob[8]
    (header_length,) = struct.unpack(">I", blob[9:13])
    header = cbor2.loads(blob[13 : 13 + header_length])
    body = blob[13 + header_length :]
    if header["compression"] == "gzip":
        body = gzip.decompress(body)
    elif header["compression"] != "none":
        raise ValueError("needs the brotli package: " + header["compression"])
    if len(body) != header["size"]:
        raise ValueError("body size does not match the header")
    state = cbor2.loads(body, tag_hook=tag_hook)
    return {"format": version, "header": header, "state": plain(state)}


def tag_hook(*args):
    # cbor2 5 calls tag_hook(decoder, tag); cbor2 6 calls tag_hook(tag, immutable).
    tag = next(arg for arg in args if isinstance(arg, cbor2.CBORTag))
    if tag.tag in TYPED:
        code = TYPED[tag.tag]
        count = len(tag.value) // struct.calcsize(code)
        return {"typed": tag.tag, "values": list(struct.unpack("<%d%s" % (count, code), tag.value))}
    if tag.tag == 259:
        return {"map": [[key, value] for key, value in tag.value.items()]}
    raise ValueError("unexpected tag %d" % tag.tag)


def plain(value):
    """JSON cannot say -0.0, NaN, infinities, big integers, bytes or undefined: spell them out."""
    if value is cbor2.undefined:
        return {"undefined": True}
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        return value if abs(value) <= JS_SAFE else {"int": str(value)}
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value) or (value == 0 and math.copysign(1, value) < 0):
            return {"float": repr(value)}
        return value
    if isinstance(value, bytes):
        return {"bytes": value.hex()}
    if isinstance(value, datetime.datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, (set, frozenset)):
        return {"set": sorted((plain(member) for member in value), key=json.dumps)}
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    raise ValueError("unexpected value %r" % (value,))


if __name__ == "__main__":
    with open(sys.argv[1], "rb") as handle:
        print(json.dumps(read(handle.read())))
