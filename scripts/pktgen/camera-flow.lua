-- SPDX-License-Identifier: BSD-3-Clause
-- camera-flow.lua: one camera flow to a Vigie gateway built by Pktgen-DPDK's single-packet
-- mode, at a set rate for a set time; print the rates every second and the port totals at
-- the end; quit.  No pcap needed.
--
--   VIGIE_GW_MAC=02:00:00:00:01:01 VIGIE_RATE=10 VIGIE_SECONDS=30 \
--   timeout -k 10 120 script -qec 'pktgen -l 0-2 -n 4 -a 0000:03:00.0 -- -P -m "[1:2].0" \
--       -f scripts/pktgen/camera-flow.lua' /dev/null
--
-- (timeout: pktgen waits at its prompt forever if it cannot quit; script: pktgen 23.x needs
-- a terminal, which cron or CI do not give.)
--
-- The frame: Ethernet to VIGIE_GW_MAC, IPv4 VIGIE_CAM_ADDR -> VIGIE_GW_ADDR, UDP
-- VIGIE_CAM_SPORT -> VIGIE_CAM_PORT, VIGIE_SIZE bytes counted as pktgen counts them, with
-- the 4-byte CRC (1218 = a 1,214-byte frame = a 1,200-byte IP packet).
--
-- What follows the UDP header decides what the gateway does with it:
--   VIGIE_PAYLOAD=pktgen  pktgen's own fill, "klmn...": its first byte, 0x6b, says RTP
--                         version 1, so the gateway drops every packet (bad-rtp-version).
--                         Measures the gateway's receive-and-drop path only.
--   VIGIE_PAYLOAD=rtp     (default) an RTP version 2 header laid down by pktgen's user fill
--                         pattern: payload type VIGIE_PT, sequence number 0x0101, timestamp
--                         0x01000101, SSRC 0x56494749; plus pktgen.rnd asking for a random
--                         SSRC in every packet.  pktgen cannot count a field up, and one
--                         sequence number under one SSRC is a replay from the second packet
--                         on.  pktgen 23.x does not apply pktgen.rnd while sending: the gateway
--                         forwards the first packet and counts the others as `replay` of the
--                         camera's stream (checked with 23.06.1).  Releases that apply it
--                         (24.10 and later, from their source) send a new SSRC each time, a
--                         camera restart to the gateway, which forwards the packet and counts
--                         one `ssrc-changes`.  Either way this is not camera traffic: use
--                         cameras-pcap.lua for figures, this for checking a flow end to end.
--   The UDP checksum pktgen computed is not updated for the RTP header; the gateway does not
--   check UDP checksums of what it receives.
--
-- Settings (environment; defaults in brackets; see common.lua):
--   VIGIE_GW_MAC    the gateway access port's MAC (required)
--   VIGIE_GW_ADDR   the gateway's access address                          [198.18.1.1]
--   VIGIE_CAM_ADDR  the camera's `source` address in the gateway config   [198.18.1.11]
--   VIGIE_CAM_PORT  the camera's `port` in the gateway config (UDP dst)   [5004]
--   VIGIE_CAM_SPORT UDP source port                                       [5004]
--   VIGIE_SIZE      pktgen size, CRC included (64-1518)                   [1218]
--   VIGIE_PAYLOAD   rtp | pktgen                                          [rtp]
--   VIGIE_PT        RTP payload type (1-127)                              [96]
--   VIGIE_TX_PORT, VIGIE_RX_PORT, VIGIE_RATE, VIGIE_SECONDS, VIGIE_SCREEN: as cameras-pcap.lua
--
-- Output: lines starting with "vigie-pktgen:"; the last ones are "total port N: ..." and
-- "result port=N ..." (key=value).  On any error the script prints "vigie-pktgen: error: ..."
-- and still quits pktgen, which otherwise waits at its prompt forever.

-- Offset of the UDP payload in an untagged Ethernet/IPv4/UDP frame.
local RTP_OFF = 14 + 20 + 8

-- The 15 bytes of pktgen's user pattern that put an RTP header at RTP_OFF:
--   RTP bytes 0-11 = pattern bytes 10, 11, 12, 13, 14, 15 (always 0), 0, 1, 2, 3, 4, 5
--   version 2 (0x80), payload type pt, sequence 0x0101, timestamp 0x01000101,
--   SSRC 0x56494749 ("VIGI").  Bytes 6-9 only ever land in the RTP payload.
local function user_pattern(pt)
    return string.char(0x01, 0x01, 0x56, 0x49, 0x47, 0x49, 0x2e, 0x2e, 0x2e, 0x2e,
        0x80, pt, 0x01, 0x01, 0x01)
end

local function main()
    local here = debug.getinfo(1, "S").source:match("^@(.*[/\\])") or "./"
    local V = dofile(here .. "common.lua")
    local c = V.common()
    local gw_mac = V.mac("VIGIE_GW_MAC")
    local gw_addr = V.ipv4("VIGIE_GW_ADDR", "198.18.1.1")
    local cam_addr = V.ipv4("VIGIE_CAM_ADDR", "198.18.1.11")
    local cam_port = V.int("VIGIE_CAM_PORT", 5004, 1, 65535)
    local cam_sport = V.int("VIGIE_CAM_SPORT", 5004, 1, 65535)
    local size = V.int("VIGIE_SIZE", 1218, 64, 1518)
    local payload = V.str("VIGIE_PAYLOAD", "rtp")
    local pt = V.int("VIGIE_PT", 96, 1, 127)   -- 0 cannot be put in pktgen's pattern
    if payload ~= "rtp" and payload ~= "pktgen" then
        V.fail("VIGIE_PAYLOAD=%s: want rtp or pktgen", payload)
    end
    if payload == "rtp" and size - 4 < RTP_OFF + 12 then
        V.fail("VIGIE_SIZE=%d: too small for an RTP header (at least %d)", size, RTP_OFF + 12 + 4)
    end

    V.setup_screen(c)
    local tx = V.plist(c.tx)
    pktgen.stop(tx)
    pktgen.pcap(tx, "off")              -- single-packet mode, even if -s loaded a pcap
    -- The fill pattern first: pktgen lays it down when it rebuilds its packet, which
    -- the settings below make it do.
    if payload == "rtp" then
        -- The RTP header comes from pktgen's user fill pattern: 16 bytes repeated from the
        -- start of the frame, so frame byte i is pattern byte i % 16, and RTP byte 0 (frame
        -- byte 42) is pattern byte 10.  pktgen keeps at most 15 bytes and stops at a zero
        -- byte: pattern byte 15 is always 0 (RTP timestamp byte 1).
        pktgen.pattern(tx, "user")
        pktgen.userPattern(tx, user_pattern(pt))
        -- pktgen.rnd(ports, index, byte offset, mask): bits from the offset, left to right:
        -- "0"/"1" forced, "X" random, "." kept.  A new random SSRC in every packet; only
        -- pktgen releases that apply pktgen.rnd when sending do it (not 23.x: see README).
        pktgen.rnd(tx, 0, RTP_OFF + 8, string.rep("X", 32))
    else
        pktgen.pattern(tx, "abc")        -- pktgen's default fill
        pktgen.rnd(tx, 0, RTP_OFF + 8, "off")
    end

    pktgen.set_type(tx, "ipv4")
    pktgen.set_proto(tx, "udp")
    pktgen.set_mac(tx, "dst", gw_mac)   -- pktgen's default destination MAC is all zeros
    pktgen.set_ipaddr(tx, "src", cam_addr .. "/32")
    pktgen.set_ipaddr(tx, "dst", gw_addr)
    pktgen.set(tx, "sport", cam_sport)
    pktgen.set(tx, "dport", cam_port)
    pktgen.set(tx, "size", size)
    pktgen.set(tx, "count", 0)          -- 0 = send until stopped
    pktgen.set(tx, "rate", c.rate)
    V.say("flow %s:%d -> %s:%d, to MAC %s, size %d (IP packet %d bytes), payload %s",
        cam_addr, cam_sport, gw_addr, cam_port, gw_mac, size, size - 4 - 14, payload)
    V.measure(c, function()
        pktgen.start(tx)
    end)
end

-- A traceback for Lua errors, the bare message for the scripts' own checks.
local function why(e)
    if type(e) == "string" and not e:match("^[^\n]-:%d+: ") then
        return e
    end
    return debug.traceback(tostring(e), 2)
end

local ok, err = xpcall(main, why)
if not ok then
    io.write("vigie-pktgen: error: ", tostring(err), "\n")
    pcall(pktgen.stop, "all")
end
io.flush()
pktgen.quit()
