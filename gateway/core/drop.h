/* SPDX-License-Identifier: BSD-3-Clause */
/* Drop reasons: every packet the gateway does not forward is counted under
 * exactly one of these.  Shared by the parser (which returns them), the
 * worker and the statistics module (which names them). */
#ifndef VG_DROP_H
#define VG_DROP_H

#define VG_DROP_REASONS(X)                                              \
	X(NONE,          "none")          /* not a drop: parse succeeded */\
	X(RUNT,          "runt")          /* shorter than an Ethernet hdr */\
	X(BAD_VLAN,      "bad-vlan")      /* truncated or stacked 802.1Q */\
	X(WRONG_VLAN,    "wrong-vlan")    /* VLAN id is not the port's */  \
	X(NOT_IPV4,      "not-ipv4")      /* IPv6, LLDP, ... */            \
	X(BAD_ARP,       "bad-arp")                                        \
	X(BAD_IP_HEADER, "bad-ip-header") /* version, IHL, total length */ \
	X(BAD_IP_CSUM,   "bad-ip-csum")                                    \
	X(IP_OPTIONS,    "ip-options")                                     \
	X(IP_FRAGMENT,   "ip-fragment")                                    \
	X(NOT_UDP,       "not-udp")       /* TCP, other ICMP, ... */       \
	X(BAD_ICMP,      "bad-icmp")                                       \
	X(BAD_UDP_LEN,   "bad-udp-length")                                 \
	X(NOT_RTP,       "not-rtp")       /* too short for RTP/RTCP */     \
	X(BAD_RTP_VER,   "bad-rtp-version")                                \
	X(RTP_OVERRUN,   "rtp-overrun")   /* CSRC/extension past end */    \
	X(BAD_RTCP,      "bad-rtcp")                                       \
	X(NOT_FOR_US,    "not-for-us")    /* dst address is not ours */    \
	X(UNKNOWN_FLOW,  "unknown-flow")  /* no camera configured */       \
	X(REPLAY,        "replay")        /* duplicate or stale index */   \
	X(NO_RESERVATION, "no-reservation") /* index not durably reserved */\
	X(INDEX_EXHAUSTED, "index-exhausted") /* 2^48 / 2^31: new key */  \
	X(POLICED,       "policed")       /* over the stream's max_pps */  \
	X(PROTECT_FAIL,  "protect-fail")                                   \
	X(AUTH_FAIL,     "auth-fail")     /* SRTP/SRTCP tag wrong */       \
	X(UNPROTECT_FAIL, "unprotect-fail") /* short, foreign SSRC, ... */ \
	X(NO_TAILROOM,   "no-tailroom")                                    \
	X(NO_NEIGHBOUR,  "no-neighbour")  /* next hop not resolved yet */  \
	X(NO_MBUF,       "no-mbuf")                                        \
	X(TX_FULL,       "tx-full")       /* tx ring full: freed */        \
	X(ARP_OTHER,     "arp-other")     /* ARP not for our address */

enum vg_drop {
#define VG_DROP_ENUM(sym, str) VG_DROP_##sym,
	VG_DROP_REASONS(VG_DROP_ENUM)
#undef VG_DROP_ENUM
	VG_DROP_COUNT
};

/* Name of a reason as shown in summaries and telemetry; never NULL. */
const char *vg_drop_name(enum vg_drop reason);

#endif
