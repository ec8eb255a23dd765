#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Packet helpers for the end-to-end test (standard library only).

  pkt.py flood SRC DST PORT COUNT        send COUNT well-formed RTP packets
                                         from SRC to DST:PORT (an unknown flow)
  pkt.py count PCAP                      per-flow UDP packet counts of a
                                         tcpdump capture: "SRC DPORT N" lines
  pkt.py replay PCAP IFACE SRC DPORT N   send again, on IFACE, the first N/2
                                         and the last N/2 captured packets of
                                         the flow SRC -> DPORT; prints N
  pkt.py vlan IFACE VID SRC DST DMAC PORT N
                                         on IFACE, frames tagged VID (the lab
                                         kernel has no 802.1Q devices): an ARP
                                         request for DST, an ICMP echo, N RTP
                                         packets to DST:PORT, then N untagged
  pkt.py tamper PCAP IFACE DPORT N       send on IFACE N altered copies of the
                                         first captured SRTP packet to DPORT:
                                         sequence number moved ahead (not a
                                         replay) and one payload bit flipped
  pkt.py feedback SRC DST PORT MEDIA_SSRC N
                                         from SRC, N RTCP compounds to DST:PORT
                                         as a VMS sends them: a receiver report
                                         on MEDIA_SSRC and a PLI asking for a
                                         key frame (RFC 4585)
"""
import socket
import struct
import sys
import time


def flood(src, dst, port, count):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((src, 0))
    for seq in range(count):
        # RTP v2, PT 96, a valid header: only the flow is unknown.
        hdr = struct.pack("!BBHII", 0x80, 96, seq, seq * 3600, 0x0BADF00D)
        s.sendto(hdr + bytes(160), (dst, port))
        time.sleep(0.001)		# stay well inside the rx ring


def frames(path):
    """Yield the Ethernet frames of a classic pcap file."""
    with open(path, "rb") as f:
        head = f.read(24)
        magic = struct.unpack("<I", head[:4])[0]
        end = "<" if magic in (0xA1B2C3D4, 0xA1B23C4D) else ">"
        while True:
            rec = f.read(16)
            if len(rec) < 16:
                return
            caplen = struct.unpack(end + "IIII", rec)[2]
            yield f.read(caplen)


def udp_flow(frame):
    """(source address, destination port) of an IPv4/UDP frame, else None."""
    if len(frame) < 42 or frame[12:14] != b"\x08\x00" or frame[23] != 17:
        return None
    ihl = (frame[14] & 0x0F) * 4
    dport = struct.unpack("!H", frame[14 + ihl + 2:14 + ihl + 4])[0]
    return socket.inet_ntoa(frame[26:30]), dport


def count(path):
    n = {}
    for fr in frames(path):
        flow = udp_flow(fr)
        if flow:
            n[flow] = n.get(flow, 0) + 1
    for (src, dport), k in sorted(n.items()):
        print(src, dport, k)


def replay(path, iface, src, dport, n):
    flow = [fr for fr in frames(path) if udp_flow(fr) == (src, dport)]
    pick = flow[:n // 2] + flow[len(flow) - (n - n // 2):]
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((iface, 0))
    for fr in pick:
        s.send(fr)
        time.sleep(0.001)
    print(len(pick))


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def ipv4(src, dst, proto, payload):
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), 0, 0x4000, 64,
                    proto, 0, socket.inet_aton(src), socket.inet_aton(dst))
    return h[:10] + struct.pack("!H", csum(h)) + h[12:] + payload


def vlan(iface, vid, src, dst, dmac, port, n):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((iface, 0))
    me = s.getsockname()[4]
    tag = struct.pack("!HH", 0x8100, int(vid))
    gw = bytes.fromhex(dmac.replace(":", ""))
    arp = struct.pack("!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, 1, me,
                      socket.inet_aton(src), bytes(6), socket.inet_aton(dst))
    s.send(b"\xff" * 6 + me + tag + b"\x08\x06" + arp)
    icmp = struct.pack("!BBHHH", 8, 0, 0, 0x77, 1) + b"vlan-echo"
    icmp = icmp[:2] + struct.pack("!H", csum(icmp)) + icmp[4:]
    s.send(gw + me + tag + b"\x08\x00" + ipv4(src, dst, 1, icmp))
    for untagged in (False, True):
        for seq in range(int(n)):
            rtp = struct.pack("!BBHII", 0x80, 96, seq, seq * 3600, 0x5EED) + bytes(200)
            udp = struct.pack("!HHHH", 7000, int(port), 8 + len(rtp), 0) + rtp
            eth = gw + me + (b"" if untagged else tag) + b"\x08\x00"
            s.send(eth + ipv4(src, dst, 17, udp))
            time.sleep(0.001)


def tamper(path, iface, dport, n):
    first = next(fr for fr in frames(path)
                 if udp_flow(fr) and udp_flow(fr)[1] == dport)
    ihl = (first[14] & 0x0F) * 4
    rtp = 14 + ihl + 8
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((iface, 0))
    for i in range(n):
        fr = bytearray(first)
        seq = struct.unpack("!H", fr[rtp + 2:rtp + 4])[0]
        fr[rtp + 2:rtp + 4] = struct.pack("!H", (seq + 20000 + i) & 0xFFFF)
        fr[rtp + 20] ^= 0x01			# a ciphertext bit
        fr[14 + ihl + 6:14 + ihl + 8] = b"\0\0"	# no UDP checksum (IPv4)
        s.send(bytes(fr))
        time.sleep(0.01)
    print(n)


def feedback(src, dst, port, media, n):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((src, 0))
    me = 0x7E57F00D
    for i in range(n):
        block = struct.pack("!IIIIII", media, 0, 1000 + i, 0, 0, 0)
        rr = struct.pack("!BBHI", 0x81, 201, 7, me) + block
        pli = struct.pack("!BBHII", 0x81, 206, 2, me, media)
        s.sendto(rr + pli, (dst, port))
        time.sleep(0.2)
    print(n)


def main(a):
    if a[:1] == ["flood"] and len(a) == 5:
        flood(a[1], a[2], int(a[3]), int(a[4]))
    elif a[:1] == ["count"] and len(a) == 2:
        count(a[1])
    elif a[:1] == ["replay"] and len(a) == 6:
        replay(a[1], a[2], a[3], int(a[4]), int(a[5]))
    elif a[:1] == ["tamper"] and len(a) == 5:
        tamper(a[1], a[2], int(a[3]), int(a[4]))
    elif a[:1] == ["feedback"] and len(a) == 6:
        feedback(a[1], a[2], int(a[3]), int(a[4], 0), int(a[5]))
    elif a[:1] == ["vlan"] and len(a) == 8:
        vlan(*a[1:])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
