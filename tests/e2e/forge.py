#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Forged, replayed and spoofed packets, and capture tallies, for
tests/e2e/center_late.sh (standard library only).

  forge.py center IFACE PCAP DPORT NBAD NREPLAY NRAND NRTCP
      Forgeries at a center gateway, sent on IFACE as raw frames built on the
      captured SRTP flow to DPORT (and its SRTCP to DPORT+1): the PoP's own
      addresses, ports and the route's SSRC.  NBAD packets a little ahead of
      the newest captured sequence number with a random payload and tag;
      NREPLAY captured SRTP packets sent again (the oldest half and the
      newest half); NRAND packets with random sequence numbers and
      timestamps (a receiver that trusted them would move its ROC estimate);
      NRTCP forged SRTCP compounds with a random index and tag, each holding
      a ROC announcement far ahead of the stream; and the newest captured
      SRTCP packets (announcements included) sent again.
      Prints "badtag N replay N randseq N rtcp N rtcp-replay N".
  forge.py camera IFACE SRC DPORT
      Spoofing at a PoP gateway, on IFACE in the camera's namespace: right
      after the last packet of a genuine video frame from SRC to DPORT, the
      same addresses and ports carry an SSRC change to sequence 40,000 (3
      packets); then, each right after the end of a later frame, one packet
      with the camera's SSRC and that frame's last sequence number moved
      ahead by 2^14, 2^15 and 2^16 - 1.  Payloads are
      H.264 NAL type 0 (a decoder skips them).  Prints "spoofed N".
  forge.py flood SRC DST PORT N PPS
      N RTP packets of another SSRC from SRC to DST:PORT, paced at PPS.
      Prints "flood N SECONDS".
  forge.py frames PCAP SRC DPORT T0 T1
      Frames (RTP packets with the marker bit) and packets from SRC to DPORT
      captured at T0 <= time < T1 (seconds since the epoch).
  forge.py announcements PCAP DPORT T0 T1
      ROC announcements to DPORT (SRTCP) captured in [T0, T1): SRTCP whose
      first 8 bytes, sent in the clear, are an empty receiver report, as
      gateway/core/announce.h lays them out (a camera's compounds start with a
      sender report).
  forge.py vms PCAP
      What a VMS got: per destination port "PORT packets N duplicates N"
      (an RTP packet whose SSRC, sequence, timestamp and payload came
      before), then "vgrc N" (packets holding a ROC announcement).
"""
import os
import random
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pkt import csum  # noqa: E402  (the checksum pkt.py's frames use)

VGRC = b"VGRC"


def pcap(path):
    """Yield (time, frame) from a classic pcap file, one still being
    written included (a short last record ends it)."""
    with open(path, "rb") as f:
        head = f.read(24)
        if len(head) < 24:
            return
        magic = struct.unpack("<I", head[:4])[0]
        end = "<" if magic in (0xA1B2C3D4, 0xA1B23C4D) else ">"
        frac = 1e-9 if magic in (0xA1B23C4D, 0x4D3CB2A1) else 1e-6
        while True:
            rec = f.read(16)
            if len(rec) < 16:
                return
            sec, sub, caplen, _ = struct.unpack(end + "IIII", rec)
            fr = f.read(caplen)
            if len(fr) < caplen:
                return
            yield sec + sub * frac, fr


def udp(fr):
    """(src, sport, dport, offset of the UDP payload) of an untagged
    IPv4/UDP frame, else None."""
    if len(fr) < 42 or fr[12:14] != b"\x08\x00" or fr[23] != 17:
        return None
    ihl = (fr[14] & 0x0F) * 4
    sport, dport = struct.unpack("!HH", fr[14 + ihl:14 + ihl + 4])
    return socket.inet_ntoa(fr[26:30]), sport, dport, 14 + ihl + 8


def flow(path, dport):
    return [fr for _, fr in pcap(path) if udp(fr) and udp(fr)[2] == dport]


def reframe(fr, payload):
    """The frame fr (Ethernet/IPv4/UDP) carrying payload instead: lengths
    and IP checksum set, UDP checksum 0 (none, IPv4)."""
    ihl = (fr[14] & 0x0F) * 4
    ip = bytearray(fr[14:14 + ihl])
    ip[2:4] = struct.pack("!H", ihl + 8 + len(payload))
    ip[10:12] = b"\0\0"
    ip[10:12] = struct.pack("!H", csum(bytes(ip)))
    u = bytearray(fr[14 + ihl:14 + ihl + 8])
    u[4:6] = struct.pack("!H", 8 + len(payload))
    u[6:8] = b"\0\0"
    return bytes(fr[:14]) + bytes(ip) + bytes(u) + payload


def raw(iface):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((iface, 0))
    return s


def center(iface, path, dport, nbad, nreplay, nrand, nrtcp):
    rtp = flow(path, dport)
    rtcp = flow(path, dport + 1)
    if not rtp or not rtcp:
        sys.exit("forge.py: no SRTP or SRTCP to %d in %s" % (dport, path))
    s = raw(iface)
    last = rtp[-1]
    off = udp(last)[3]
    seq, ts, ssrc = struct.unpack("!HII", last[off + 2:off + 12])
    plen = len(last) - off - 12
    sent = {}
    for i in range(nbad):		# right header, wrong tag
        hdr = last[off:off + 2] + struct.pack("!HII", (seq + 40 + i) & 0xFFFF,
                                               ts + 3600 * (i + 1), ssrc)
        s.send(reframe(last, hdr + os.urandom(plen)))
        time.sleep(0.002)
    sent["badtag"] = nbad
    pick = rtp[:nreplay // 2] + rtp[len(rtp) - (nreplay - nreplay // 2):]
    for fr in pick:			# genuine, already accepted
        s.send(fr)
        time.sleep(0.002)
    sent["replay"] = len(pick)
    for _ in range(nrand):		# random sequence numbers: ROC bait
        hdr = last[off:off + 2] + struct.pack("!HII", random.getrandbits(16),
                                               random.getrandbits(32), ssrc)
        s.send(reframe(last, hdr + os.urandom(plen)))
        time.sleep(0.002)
    sent["randseq"] = nrand
    # SRTCP: the shortest genuine one (an announcement: RR + APP + trailer)
    # as the model; a plaintext announcement 2^20 packets ahead, a random
    # E-flag/index and tag.
    model = min(rtcp, key=len)
    roff = udp(model)[3]
    body = model[roff:]
    trailer = len(body) - 28
    for _ in range(nrtcp):
        nxt = (1 << 40) + random.getrandbits(20)
        app = struct.pack("!BBHI4sBBHI", 0x80, 204, 4, ssrc, VGRC, 1, 0,
                          nxt >> 32, nxt & 0xFFFFFFFF)
        pkt = body[:8] + app + struct.pack("!I", 0x80000000 | random.getrandbits(31))
        pkt += os.urandom(trailer - 4)
        s.send(reframe(model, pkt))
        time.sleep(0.002)
    sent["rtcp"] = nrtcp
    old = rtcp[-5:]
    for fr in old:			# genuine SRTCP, already accepted
        s.send(fr)
        time.sleep(0.002)
    sent["rtcp-replay"] = len(old)
    print(" ".join("%s %d" % kv for kv in sent.items()))


def sniff(s, src, dport, timeout=3.0):
    """The next camera RTP frame from src to dport seen on s that ends a
    video frame (marker bit: the camera then pauses until the next one),
    after dropping what the socket queued before."""
    s.setblocking(False)
    try:
        while s.recv(65535):
            pass
    except BlockingIOError:
        pass
    s.setblocking(True)
    s.settimeout(timeout)
    end = time.time() + timeout
    while time.time() < end:
        fr = s.recv(65535)
        u = udp(fr)
        if u and u[0] == src and u[2] == dport and len(fr) >= u[3] + 12 \
                and fr[u[3]] >> 6 == 2 and fr[u[3] + 1] & 0x80:
            return fr
    sys.exit("forge.py: no packet from %s to port %d in %.0f s" % (src, dport, timeout))


def camera(iface, src, dport):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0003))
    s.bind((iface, 0))
    n = 0

    def spoof(fr, ssrc, seq):
        off = udp(fr)[3]
        ts = struct.unpack("!I", fr[off + 4:off + 8])[0]
        hdr = struct.pack("!BBHII", 0x80, 96, seq & 0xFFFF, ts, ssrc)
        s.send(reframe(fr, hdr + bytes(100)))	# marker 0, NAL type 0

    fr = sniff(s, src, dport)
    off = udp(fr)[3]
    ssrc = struct.unpack("!I", fr[off + 8:off + 12])[0]
    for i in range(3):
        spoof(fr, ssrc ^ 0x00C0FFEE, 40000 + i)
        n += 1
    for jump in (1 << 14, 1 << 15, (1 << 16) - 1):
        time.sleep(0.3)
        fr = sniff(s, src, dport)
        seq = struct.unpack("!H", fr[udp(fr)[3] + 2:udp(fr)[3] + 4])[0]
        spoof(fr, ssrc, seq + jump)
        n += 1
    print("spoofed", n)


def flood(src, dst, port, n, pps):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((src, 0))
    t0 = time.time()
    for i in range(n):
        hdr = struct.pack("!BBHII", 0x80, 96, i & 0xFFFF, i * 90, 0x0F100D00)
        s.sendto(hdr + bytes(100), (dst, port))
        if i % 50 == 49:
            lag = t0 + (i + 1) / pps - time.time()
            if lag > 0:
                time.sleep(lag)
    print("flood", n, "%.2f" % (time.time() - t0))


def frames(path, src, dport, t0, t1):
    nf = npk = 0
    for t, fr in pcap(path):
        u = udp(fr)
        if not u or u[0] != src or u[2] != dport or not t0 <= t < t1:
            continue
        npk += 1
        nf += len(fr) > u[3] + 1 and fr[u[3] + 1] & 0x80 != 0
    print(nf, npk)


def announcements(path, dport, t0, t1):
    n = 0
    for t, fr in pcap(path):
        u = udp(fr)
        n += bool(u and u[2] == dport and t0 <= t < t1 and
                  fr[u[3]:u[3] + 4] == b"\x80\xc9\x00\x01")
    print(n)


def vms(path):
    seen, n, dups, vgrc = set(), {}, {}, 0
    for _, fr in pcap(path):
        u = udp(fr)
        if not u:
            continue
        body = fr[u[3]:]
        vgrc += VGRC in body
        if len(body) < 12 or body[0] >> 6 != 2 or 192 <= body[1] <= 223:
            continue			# not RTP (RTCP: PT 200-204 etc.)
        key = (u[2], body[2:12], hash(body[12:]))
        n[u[2]] = n.get(u[2], 0) + 1
        dups[u[2]] = dups.get(u[2], 0) + (key in seen)
        seen.add(key)
    for p in sorted(n):
        print(p, "packets", n[p], "duplicates", dups[p])
    print("vgrc", vgrc)


def main(a):
    if a[:1] == ["center"] and len(a) == 8:
        center(a[1], a[2], int(a[3]), *map(int, a[4:]))
    elif a[:1] == ["camera"] and len(a) == 4:
        camera(a[1], a[2], int(a[3]))
    elif a[:1] == ["flood"] and len(a) == 6:
        flood(a[1], a[2], int(a[3]), int(a[4]), int(a[5]))
    elif a[:1] == ["frames"] and len(a) == 6:
        frames(a[1], a[2], int(a[3]), float(a[4]), float(a[5]))
    elif a[:1] == ["announcements"] and len(a) == 5:
        announcements(a[1], int(a[2]), float(a[3]), float(a[4]))
    elif a[:1] == ["vms"] and len(a) == 2:
        vms(a[1])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
