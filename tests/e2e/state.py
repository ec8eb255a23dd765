#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""The gateway's state file (gateway/core/state.h), written and read for tests.

A test-only implementation of the documented format, standard library only,
so that a test can start a stream "later in its life" (a pre-seeded
reservation) without streaming 65,536 packets first, and read back what a
gateway saved (a receiver's last authenticated index).

  state.py write DIR REC...   create DIR (mode 0700) and DIR/vigie.state
                              (mode 0600) holding these records
  state.py read DIR REC...    for each record named, its "rtp rtcp" as the
                              file holds it, or "none"
  state.py dump DIR           every record: kind ssrc rtp rtcp fp

REC: KIND:SUITE:KEY_FILE:SSRC[:RTP:RTCP] (RTP and RTCP for write only)
  KIND      tx (a protect stream: RTP is the index it continues at, RTCP
            the next SRTCP index, >= 1) or rx (a receiver)
  SUITE     AES_CM_128_HMAC_SHA1_80, ..._32, AEAD_AES_128_GCM, ..._256_GCM
  KEY_FILE  an SDES "inline:" key file (base64 of master key || salt)
  SSRC      decimal or 0x...

Format, version 1, little-endian: "VIGIESTA" u32 version u32 count; count
records of 40 bytes: fp[16] u32 ssrc u8 kind, 3 zero bytes, u64 rtp, u32
rtcp, 4 zero bytes; then SHA-256 of every byte before.  fp: the first 16
bytes of SHA-256 over b"vigie state key v1", the suite id and the key
length as one byte each, then the key bytes.
"""
import base64
import hashlib
import os
import struct
import sys

SUITES = {"AES_CM_128_HMAC_SHA1_80": 0, "AES_CM_128_HMAC_SHA1_32": 1,
          "AEAD_AES_128_GCM": 2, "AEAD_AES_256_GCM": 3}
KINDS = {"tx": 1, "rx": 2}
MAGIC = b"VIGIESTA"
VERSION = 1
REC = struct.Struct("<16sIB3xQI4x")


def key_bytes(path):
    text = open(path).read()
    b64 = text.split("inline:", 1)[1].split()[0].split("|")[0]
    return base64.b64decode(b64)


def fingerprint(suite, key):
    h = hashlib.sha256(b"vigie state key v1" + bytes([SUITES[suite], len(key)]) + key)
    return h.digest()[:16]


def parse_rec(spec, full):
    f = spec.split(":")
    if len(f) != (6 if full else 4) or f[0] not in KINDS or f[1] not in SUITES:
        sys.exit("state.py: bad record '%s'\n%s" % (spec, __doc__))
    rec = [fingerprint(f[1], key_bytes(f[2])), int(f[3], 0), KINDS[f[0]]]
    return rec + ([int(f[4], 0), int(f[5], 0)] if full else [])


def write(d, specs):
    recs = [parse_rec(s, True) for s in specs]
    body = MAGIC + struct.pack("<II", VERSION, len(recs))
    body += b"".join(REC.pack(*r) for r in recs)
    os.makedirs(d, mode=0o700, exist_ok=True)
    os.chmod(d, 0o700)
    path = os.path.join(d, "vigie.state")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(body + hashlib.sha256(body).digest())


def load(d):
    data = open(os.path.join(d, "vigie.state"), "rb").read()
    if len(data) < 48 or data[:8] != MAGIC:
        sys.exit("state.py: %s: not a state file" % d)
    version, n = struct.unpack("<II", data[8:16])
    if version != VERSION or len(data) != 16 + 40 * n + 32:
        sys.exit("state.py: %s: version %d, %d bytes for %d records" % (d, version, len(data), n))
    if hashlib.sha256(data[:-32]).digest() != data[-32:]:
        sys.exit("state.py: %s: bad checksum" % d)
    return [REC.unpack_from(data, 16 + 40 * i) for i in range(n)]


def read(d, specs):
    recs = load(d)
    for s in specs:
        fp, ssrc, kind = parse_rec(s, False)
        hit = [r for r in recs if r[:3] == (fp, ssrc, kind)]
        print("%d %d" % hit[0][3:] if hit else "none")


def dump(d):
    names = {v: k for k, v in KINDS.items()}
    for fp, ssrc, kind, rtp, rtcp in load(d):
        print(names.get(kind, kind), "0x%08x" % ssrc, rtp, rtcp, fp.hex())


def main(a):
    if len(a) >= 3 and a[0] == "write":
        write(a[1], a[2:])
    elif len(a) >= 3 and a[0] == "read":
        read(a[1], a[2:])
    elif len(a) == 2 and a[0] == "dump":
        dump(a[1])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
