#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Independent SRTP reference (pyca/cryptography, not libsrtp): RFC 3711 §4.3 KDF,
# AES-CM + HMAC-SHA1, RFC 7714 AES-GCM.  It reproduces the published vectors
# (RFC 3711 B.3, RFC 7714 §16-17, libsrtp's srtp_driver known answers) and prints
# the AES_CM_128_HMAC_SHA1_32 and AEAD_AES_256_GCM master-key vectors that
# tests/unit/test_engine.c holds (libsrtp's own suite has none for them).
import hmac, hashlib, struct
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
H = lambda s: bytes.fromhex("".join(s.split()))
def ctr(key, iv16, n):
    e = Cipher(algorithms.AES(key), modes.CTR(iv16)).encryptor()
    return e.update(bytes(n))
def kdf(mkey, msalt, label, n):
    x = bytearray(msalt.ljust(14, b"\0"))  # a 12-byte GCM salt is padded on the right (RFC 7714 §12)
    x[7] ^= label
    return ctr(mkey, bytes(x) + b"\0\0", n)
def cm_rtp(mk, ms, pkt, taglen, roc=0):
    ke, ka, ks = kdf(mk, ms, 0, 16), kdf(mk, ms, 1, 20), kdf(mk, ms, 2, 14)
    ssrc = pkt[8:12]; seq = struct.unpack(">H", pkt[2:4])[0]
    idx = (roc << 16) | seq
    iv = bytearray(ks + b"\0\0")
    for i in range(4): iv[4+i] ^= ssrc[i]
    ib = idx.to_bytes(6, "big")
    for i in range(6): iv[8+i] ^= ib[i]
    body = bytes(a ^ b for a, b in zip(pkt[12:], ctr(ke, bytes(iv), len(pkt)-12)))
    out = pkt[:12] + body
    tag = hmac.new(ka, out + roc.to_bytes(4, "big"), hashlib.sha1).digest()[:taglen]
    return out + tag
def cm_rtcp(mk, ms, pkt, index, taglen=10):
    ke, ka, ks = kdf(mk, ms, 3, 16), kdf(mk, ms, 4, 20), kdf(mk, ms, 5, 14)
    iv = bytearray(ks + b"\0\0")
    for i in range(4): iv[4+i] ^= pkt[4+i]
    ib = index.to_bytes(6, "big")
    for i in range(6): iv[8+i] ^= ib[i]
    body = bytes(a ^ b for a, b in zip(pkt[8:], ctr(ke, bytes(iv), len(pkt)-8)))
    out = pkt[:8] + body + (0x80000000 | index).to_bytes(4, "big")
    return out + hmac.new(ka, out, hashlib.sha1).digest()[:taglen]
def gcm_rtp_s(ke, ks, pkt, roc=0):
    iv = bytearray(ks)
    f = b"\0\0" + pkt[8:12] + roc.to_bytes(4, "big") + pkt[2:4]
    iv = bytes(a ^ b for a, b in zip(iv, f))
    return pkt[:12] + AESGCM(ke).encrypt(iv, pkt[12:], pkt[:12])
def gcm_rtcp_s(ke, ks, pkt, index):
    f = b"\0\0" + pkt[4:8] + b"\0\0" + index.to_bytes(4, "big")
    iv = bytes(a ^ b for a, b in zip(ks, f))
    ei = (0x80000000 | index).to_bytes(4, "big")
    return pkt[:8] + AESGCM(ke).encrypt(iv, pkt[8:], pkt[:8] + ei) + ei
def gcm_rtp(mk, ms, pkt):
    return gcm_rtp_s(kdf(mk, ms, 0, len(mk)), kdf(mk, ms, 2, 12), pkt)
def gcm_rtcp(mk, ms, pkt, index):
    return gcm_rtcp_s(kdf(mk, ms, 3, len(mk)), kdf(mk, ms, 5, 12), pkt, index)
import sys
res = [0, 0]
def ok(name, a, b):
    res[a != b] += 1
    print(("ok  " if a == b else "FAIL"), name)
# RFC 3711 B.3 KDF
mk, ms = H("E1F97A0D3E018BE0D64FA32C06DE4139"), H("0EC675AD498AFEEBB6960B3AABE6")
ok("B.3 cipher key", kdf(mk, ms, 0, 16), H("C61E7A93744F39EE10734AFE3FF7A087"))
ok("B.3 salt", kdf(mk, ms, 2, 14), H("30CBBC08863D8C85D49DB34A9AE1"))
# RFC 7714 16/17 (session-level)
k128, k256, s = H("000102030405060708090a0b0c0d0e0f"), H("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"), H("517569642070726f2071756f")
rtp7714 = H("8040f17b 8041f8d3 5501a0b2 47616c6c 69612065 7374206f 6d6e6973 20646976 69736120 696e2070 61727465 73207472 6573")
rtcp7714 = H("81c8000d 4d617273 4e545031 4e545032 52545020 0000042a 0000e930 4c756e61 deadbeef deadbeef deadbeef deadbeef deadbeef")
ok("7714 16.1 rtp 128", gcm_rtp_s(k128, s, rtp7714), H("8040f17b 8041f8d3 5501a0b2 f24de3a3 fb34de6c acba861c 9d7e4bca be633bd5 0d294e6f 42a5f47a 51c7d19b 36de3adf 8833899d 7f27beb1 6a9152cf 765ee439 0cce"))
ok("7714 16.2 rtp 256", gcm_rtp_s(k256, s, rtp7714), H("8040f17b 8041f8d3 5501a0b2 32b1de78 a822fe12 ef9f78fa 332e33aa b1801238 9a58e2f3 b50b2a02 76ffae0f 1ba63799 b87b7aa3 db36dfff d6b0f9bb 7878d7a7 6c13"))
ok("7714 17.1 rtcp 128", gcm_rtcp_s(k128, s, rtcp7714, 0x5d4), H("81c8000d 4d617273 63e94885 dcdab67c a727d766 2f6b7e99 7ff5c0f7 6c06f32d c676a5f1 730d6fda 4ce09b46 86303ded 0bb9275b c84aa458 96cf4d2f c5abf872 45d9eade 800005d4"))
ok("7714 17.2 rtcp 256", gcm_rtcp_s(k256, s, rtcp7714, 0x5d4), H("81c8000d 4d617273 d50ae4d1 f5ce5d30 4ba297e4 7d470c28 2c3ece5d bffe0a50 a2eaa5c1 110555be 8415f658 c61de047 6f1b6fad 1d1eb30c 4446839f 57ff6f6c b26ac3be 800005d4"))
# libsrtp srtp_validate (master-level, RFC 3711 B.3 keys)
rtp = H("800f1234decafbadcafebabe") + b"\xab" * 16
rtcp = H("81c8000bcafebabe") + b"\xab" * 16
ok("libsrtp cm80 rtp", cm_rtp(mk, ms, rtp, 10), H("800f1234decafbadcafebabe4e55dc4ce79978d88ca4d215949d2402b78d6acc99ea179b8dbb"))
ok("libsrtp cm80 rtcp", cm_rtcp(mk, ms, rtcp, 1), H("81c8000bcafebabe7128035be487b9bdbef89041f977a5a880000001993e08cd54d6c1230798"))
ok("cm32 rtp (held by test_engine.c)", cm_rtp(mk, ms, rtp, 4), H("800f1234decafbadcafebabe4e55dc4ce79978d88ca4d215949d2402b78d6acc"))
# libsrtp srtp_validate_gcm (master-level)
gk, gs = H("000102030405060708090a0b0c0d0e0f"), H("a0a1a2a3a4a5a6a7a8a9aaab")
ok("libsrtp gcm128 rtp", gcm_rtp(gk, gs, rtp), H("800f1234decafbadcafebabec5002ede04cfdd2eb91159e0880aa06ed2976826f796b201df3131a127e8a392"))
ok("libsrtp gcm128 rtcp", gcm_rtcp(gk, gs, rtcp, 1), H("81c8000bcafebabec98b8b5df0392a55852b6c21ac8e7025c52c6fbea2b3b446ea31123ba88ce61e80000001"))
gk256 = H("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f")
ok("gcm256 rtp (held by test_engine.c)", gcm_rtp(gk256, gs, rtp), H("800f1234decafbadcafebabe0af7f21e8a90bdad7a425c9c31ed4bb1d90238917e7390a2793500e1681acaea"))
ok("gcm256 rtcp (held by test_engine.c)", gcm_rtcp(gk256, gs, rtcp, 1), H("81c8000bcafebabe8abfafa780070a90e80f9161cf4aac081ed93aaa53c15b0f3ed1a3b984167b0380000001"))
print("srtp_ref: %d passed, %d failed" % (res[0], res[1]))
sys.exit(1 if res[1] else 0)
