#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Check a backbone capture as an SRTP receiver that stayed up would.

  srtp_check.py PCAP RESTART STREAM...

PCAP     classic pcap (tcpdump -w) of what a gateway sent toward a center
RESTART  the moment (CLOCK_REALTIME, seconds, as `date +%s.%N` prints it)
         the gateway was killed: packets captured before it, or within
         GRACE (0.1 s) after it, are "before" (the killed process's last:
         SIGKILL is not instantaneous, and a new gateway needs far longer
         than that to start), the others "after" the restart
STREAM   NAME,SUITE,KEY_FILE,SSRC,SRC,RTP_PORT,RTCP_PORT: one protected
         stream, the packets from SRC to UDP RTP_PORT (SRTP) and RTCP_PORT
         (SRTCP), under the SDES inline: master key of KEY_FILE

Decryption and authentication are those of tests/vectors/srtp_ref.py (pyca/
cryptography, checked against the RFC 3711 / RFC 7714 vectors before use),
never the gateway's: each packet is decrypted, then protected again under
the same index, and must come out byte for byte as captured.  The ROC is
tracked as RFC 3711 section 3.3.1 says a receiver does, from the highest
authenticated index; a packet that fails under the receiver's guess is tried
under the neighbouring ROCs to name the index it was really sent under.

Asserted per stream: the outgoing stream wrapped its sequence before the
restart; every SRTP packet authenticates under the receiver's ROC and
decrypts to camgen's probe; no index twice; the index strictly increases
(veth does not reorder); every forward step, the restart's included, is
< 2^15 packets; SRTCP: every packet authenticates, no index twice, strictly
increasing; SRTP and SRTCP packets on both sides of the restart.

Output: one line per check, "ok MESSAGE" or "FAIL MESSAGE", and "-- TEXT"
for figures; exit 0 when every check passed, 1 otherwise.  A JSON summary
per stream goes to the file named by $SRTP_CHECK_JSON when set.
"""
import base64
import contextlib
import functools
import importlib.util
import io
import json
import os
import socket
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REF = os.path.join(HERE, "..", "vectors", "srtp_ref.py")
WRAP = 1 << 16
HALF = 1 << 15
GRACE = 0.1
PROBE_MAGIC = b"VGP1"
PROBE_LEN = 28

# suite: (master key bytes, salt bytes, SRTP tag, SRTCP tag, AEAD)
SUITES = {
    "AES_CM_128_HMAC_SHA1_80": (16, 14, 10, 10, False),
    "AES_CM_128_HMAC_SHA1_32": (16, 14, 4, 10, False),
    "AEAD_AES_128_GCM": (16, 12, 16, 16, True),
    "AEAD_AES_256_GCM": (32, 12, 16, 16, True),
}

results = {"ok": 0, "FAIL": 0}


def check(cond, msg):
    word = "ok" if cond else "FAIL"
    results[word] += 1
    print(word, msg)


def info(msg):
    print("--", msg)


def load_ref():
    """srtp_ref.py as a module: it runs its vectors when loaded (and exits
    with their verdict); its functions are defined by then."""
    spec = importlib.util.spec_from_file_location("srtp_ref", REF)
    ref = importlib.util.module_from_spec(spec)
    out, code = io.StringIO(), 0
    try:
        with contextlib.redirect_stdout(out):
            spec.loader.exec_module(ref)
    except SystemExit as e:
        code = e.code
    last = (out.getvalue().strip().splitlines() or ["no output"])[-1]
    check(code == 0 and last.endswith(" 0 failed"),
          "reference SRTP (tests/vectors/srtp_ref.py) passes its vectors: " + last)
    # Session keys once per master key and label, not per packet.
    ref.kdf = functools.lru_cache(maxsize=None)(ref.kdf)
    return ref


def read_key(path, suite):
    klen, slen = SUITES[suite][:2]
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line.startswith("inline:"):
                raw = base64.b64decode(line[7:].split("|")[0])
                if len(raw) != klen + slen:
                    raise SystemExit("%s: %d bytes, %s needs %d"
                                     % (path, len(raw), suite, klen + slen))
                return raw[:klen], raw[klen:]
    raise SystemExit("%s: no inline: line" % path)


def pcap_udp(path):
    """(time, source address, destination port, UDP payload) of each
    Ethernet/IPv4/UDP frame of a classic pcap (us or ns timestamps)."""
    with open(path, "rb") as f:
        head = f.read(24)
        magic = struct.unpack("<I", head[:4])[0]
        end = "<" if magic in (0xA1B2C3D4, 0xA1B23C4D) else ">"
        nano = struct.unpack(end + "I", head[:4])[0] == 0xA1B23C4D
        while True:
            rec = f.read(16)
            if len(rec) < 16:
                return
            sec, frac, caplen, _ = struct.unpack(end + "IIII", rec)
            fr = f.read(caplen)
            if len(fr) < 42 or fr[12:14] != b"\x08\x00" or fr[23] != 17:
                continue
            ihl = (fr[14] & 0x0F) * 4
            udp = fr[14 + ihl:]
            dport, ulen = struct.unpack("!HH", udp[2:6])
            yield (sec + frac / (1e9 if nano else 1e6),
                   socket.inet_ntoa(fr[26:30]), dport, udp[8:ulen])


class Stream:
    def __init__(self, ref, spec):
        (self.name, self.suite, key, ssrc, self.src, rtp_port,
         rtcp_port) = spec.split(",")
        self.ref = ref
        self.ssrc = int(ssrc, 0)
        self.rtp_port, self.rtcp_port = int(rtp_port), int(rtcp_port)
        self.mk, self.ms = read_key(key, self.suite)
        _, _, self.tag, self.rtcp_tag, self.aead = SUITES[self.suite]
        self.rtp = []		# (time, seq, ssrc, packet)
        self.rtcp = []		# (time, packet)

    # -- SRTP through the reference: decrypt, protect again, compare.
    def rtp_open(self, pkt, roc):
        """The plaintext when pkt authenticates under roc, else None."""
        r = self.ref
        if self.aead:
            ke, ks = r.kdf(self.mk, self.ms, 0, len(self.mk)), r.kdf(self.mk, self.ms, 2, 12)
            plain = r.gcm_rtp_s(ke, ks, pkt[:-16], roc)[:-16]
            again = r.gcm_rtp_s(ke, ks, plain, roc)
        else:
            plain = r.cm_rtp(self.mk, self.ms, pkt[:-self.tag], self.tag, roc)[:-self.tag]
            again = r.cm_rtp(self.mk, self.ms, plain, self.tag, roc)
        return plain if again == pkt else None

    def rtcp_open(self, pkt):
        """(index, plaintext or None) of an SRTCP packet."""
        r, t = self.ref, self.rtcp_tag
        if self.aead:
            ei, body = pkt[-4:], pkt[:-4 - t]
        else:
            ei, body = pkt[-4 - t:-t], pkt[:-4 - t]
        e = struct.unpack("!I", ei)[0]
        index = e & 0x7FFFFFFF
        if not e >> 31:
            return index, None
        if self.aead:
            ke, ks = r.kdf(self.mk, self.ms, 3, len(self.mk)), r.kdf(self.mk, self.ms, 5, 12)
            plain = r.gcm_rtcp_s(ke, ks, body, index)[:len(body)]
            again = r.gcm_rtcp_s(ke, ks, plain, index)
        else:
            plain = r.cm_rtcp(self.mk, self.ms, body, index)[:len(body)]
            again = r.cm_rtcp(self.mk, self.ms, plain, index, t)
        return index, (plain if again == pkt else None)


def guess_roc(s_l, roc, seq):
    """RFC 3711 section 3.3.1: the receiver's estimate of the sender's ROC."""
    if s_l < HALF:
        return roc - 1 if seq - s_l > HALF else roc
    return roc + 1 if s_l - HALF > seq else roc


def srtp_checks(st, restart):
    n = len(st.rtp)
    s_l = roc = None
    seen = {}			# index -> probe counter (None: no probe)
    prev = None			# last index of a packet that was placed
    fail_rx, other_roc, no_probe, bad_hdr, reused, two_pads = 0, 0, 0, 0, 0, 0
    backwards, big_steps, steps = [], [], 0
    before = after = 0
    last_before = first_after = None
    roc_at_kill = 0
    first_fail = None
    for t, seq, ssrc, pkt in st.rtp:
        if ssrc != st.ssrc or pkt[0] & 0x3F != 0 or len(pkt) < 12 + st.tag:
            bad_hdr += 1		# another SSRC, CSRCs, extension
            continue
        if s_l is None:		# a receiver that joined at the first packet
            s_l, roc = seq, 0
        v = guess_roc(s_l, roc, seq)
        plain = st.rtp_open(pkt, v) if v >= 0 else None
        index = (v << 16) | seq if plain is not None else None
        if plain is None:
            fail_rx += 1
            for r in dict.fromkeys((roc, roc - 1, roc + 1, roc - 2, roc + 2, 0)):
                if 0 <= r != v and (plain := st.rtp_open(pkt, r)) is not None:
                    other_roc += 1
                    index = (r << 16) | seq
                    break
            if first_fail is None:
                first_fail = "seq %d at %+.3f s from the kill: receiver ROC %d, %s" % (
                    seq, t - restart, v,
                    "sent under ROC %d (index %d)" % (index >> 16, index)
                    if index is not None else "no ROC authenticates it")
        elif index > (roc << 16 | s_l):
            s_l, roc = seq, v	# only authentic packets move receive state
        if index is None:
            continue
        probe = None
        if plain[-PROBE_LEN:-PROBE_LEN + 4] == PROBE_MAGIC:
            probe = struct.unpack("!Q", plain[-PROBE_LEN + 8:-PROBE_LEN + 16])[0]
        else:
            no_probe += 1
        if index in seen:
            reused += 1
            if seen[index] != probe:
                two_pads += 1
        seen[index] = probe
        if prev is not None:
            if index <= prev:
                backwards.append((prev, index))
            elif index - prev >= HALF:
                big_steps.append((prev, index))
            steps = max(steps, index - prev)
        if t < restart:
            before += 1
            last_before = index
            roc_at_kill = index >> 16
        else:
            after += 1
            if first_after is None:
                first_after = index
        prev = index

    name = "%s %s SRTP" % (st.name, st.suite)
    info("%s: %d packets captured, %d before the kill (ROC %d at the kill), %d after"
         % (name, n, before, roc_at_kill, after))
    check(roc_at_kill >= 1 and before > WRAP,
          "%s: %d packets and a sequence wrap (ROC %d) before the kill"
          % (name, before, roc_at_kill))
    check(after >= 3000, "%s: %d packets after the restart (>= 3000)" % (name, after))
    check(bad_hdr == 0, "%s: every packet has SSRC 0x%08x, no CSRC or extension (%d others)"
          % (name, st.ssrc, bad_hdr))
    check(fail_rx == 0 and n > 0,
          "%s: the receiver that stayed up authenticates all %d packets (%d fail%s)"
          % (name, n, fail_rx, "; first: " + first_fail if first_fail else ""))
    if other_roc:
        info("%s: %d packets authenticate only under another ROC than the receiver's"
             % (name, other_roc))
    check(no_probe == 0, "%s: every authentic packet decrypts to camgen's probe (%d do not)"
          % (name, no_probe))
    check(reused == 0, "%s: no (key, SSRC, index) used twice (%d reused, %d of them "
          "with another plaintext: keystream reuse)" % (name, reused, two_pads))
    check(not backwards, "%s: the index strictly increases (%d steps back%s)"
          % (name, len(backwards), ", first %d -> %d" % backwards[0] if backwards else ""))
    check(not big_steps, "%s: no forward step of 2^15 or more (%d%s)"
          % (name, len(big_steps), ", first %d -> %d" % big_steps[0] if big_steps else ""))
    jump = (first_after - last_before) if None not in (first_after, last_before) else None
    check(jump is not None and 0 < jump < HALF,
          "%s: index at the restart %s -> %s, jump %s (0 < jump < 2^15)"
          % (name, last_before, first_after, jump))
    return {"packets": n, "before": before, "after": after, "roc_at_kill": roc_at_kill,
            "last_before": last_before, "first_after": first_after, "jump": jump,
            "receiver_fail": fail_rx, "reused": reused, "reused_other_plaintext": two_pads,
            "backwards": len(backwards), "largest_step": steps}


def srtcp_checks(st, restart):
    n = len(st.rtcp)
    seen, prev = set(), None
    auth_fail = reused = ssrc_bad = 0
    backwards = []
    before = after = 0
    last_before = first_after = None
    for t, pkt in st.rtcp:
        if len(pkt) < 8 + 4 + st.rtcp_tag or struct.unpack("!I", pkt[4:8])[0] != st.ssrc:
            ssrc_bad += 1
            continue
        index, plain = st.rtcp_open(pkt)
        if plain is None:
            auth_fail += 1
            continue
        if index in seen:
            reused += 1
        seen.add(index)
        if prev is not None and index <= prev:
            backwards.append((prev, index))
        prev = index
        if t < restart:
            before += 1
            last_before = index
        else:
            after += 1
            if first_after is None:
                first_after = index
    name = "%s %s SRTCP" % (st.name, st.suite)
    info("%s: %d packets, %d before the kill, %d after" % (name, n, before, after))
    check(before > 0 and after > 0, "%s: packets on both sides of the restart (%d, %d)"
          % (name, before, after))
    check(ssrc_bad == 0, "%s: every sender SSRC is 0x%08x (%d others)" % (name, st.ssrc, ssrc_bad))
    check(auth_fail == 0 and n > 0, "%s: all %d packets authenticate (%d fail)"
          % (name, n, auth_fail))
    check(reused == 0, "%s: no SRTCP index used twice (%d reused)" % (name, reused))
    check(not backwards, "%s: the SRTCP index strictly increases (%d steps back%s)"
          % (name, len(backwards), ", first %d -> %d" % backwards[0] if backwards else ""))
    jump = (first_after - last_before) if None not in (first_after, last_before) else None
    # libsrtp's SRTCP replay check accepts any index ahead of its window.
    check(jump is not None and 0 < jump < 1 << 31,
          "%s: index at the restart %s -> %s, jump %s (forward)"
          % (name, last_before, first_after, jump))
    return {"packets": n, "before": before, "after": after, "last_before": last_before,
            "first_after": first_after, "jump": jump, "auth_fail": auth_fail,
            "reused": reused, "backwards": len(backwards)}


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    ref = load_ref()
    restart = float(argv[1]) + GRACE
    streams = [Stream(ref, s) for s in argv[2:]]
    by_rtp = {(s.src, s.rtp_port): s for s in streams}
    by_rtcp = {(s.src, s.rtcp_port): s for s in streams}
    for t, src, dport, udp in pcap_udp(argv[0]):
        if (src, dport) in by_rtp and len(udp) >= 12:
            seq, ssrc = struct.unpack("!H", udp[2:4])[0], struct.unpack("!I", udp[8:12])[0]
            by_rtp[src, dport].rtp.append((t, seq, ssrc, udp))
        elif (src, dport) in by_rtcp:
            by_rtcp[src, dport].rtcp.append((t, udp))
    summary = {}
    for st in streams:
        summary[st.name] = {"ssrc": st.ssrc, "suite": st.suite,
                            "srtp": srtp_checks(st, restart),
                            "srtcp": srtcp_checks(st, restart)}
    if os.environ.get("SRTP_CHECK_JSON"):
        with open(os.environ["SRTP_CHECK_JSON"], "w") as f:
            json.dump(summary, f, indent=1)
    return 1 if results["FAIL"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
