-- SPDX-License-Identifier: BSD-3-Clause
-- Shared code of the Vigie Pktgen-DPDK scripts (cameras-pcap.lua, camera-flow.lua):
-- settings from the environment, the measuring loop and its report.
-- Loaded by those scripts with dofile(); not meant to be run on its own.
--
-- Settings (environment variables; pktgen passes its own environment to Lua):
--   VIGIE_TX_PORT   pktgen port that sends to the gateway's access port     (0)
--   VIGIE_RX_PORT   pktgen port wired to the gateway's backbone port, whose
--                   received packets are reported too; "" = none            ("")
--   VIGIE_RATE      transmit rate, % of the TX port's link speed (0.01-100) (10)
--   VIGIE_SECONDS   how long to send, whole seconds                         (10)
--   VIGIE_SCREEN    "on" keeps pktgen's full-screen display                 (off)
-- camera-flow.lua only:
--   VIGIE_GW_MAC    the gateway access port's MAC (required: pktgen's
--                   destination MAC is 00:00:00:00:00:00 otherwise)
--   VIGIE_GW_ADDR   the gateway's access address                            (198.18.1.1)
--   VIGIE_CAM_ADDR  the camera's `source` address in the gateway config     (198.18.1.11)
--   VIGIE_CAM_PORT  the camera's `port` in the gateway config (UDP dst)     (5004)
--   VIGIE_CAM_SPORT UDP source port                                        (5004)
--   VIGIE_SIZE      pktgen packet size, which counts the 4-byte CRC:
--                   1218 = a 1,200-byte IP packet (1,214-byte frame)        (1218)
--   VIGIE_PAYLOAD   "rtp": an RTP version 2 header after UDP (see camera-flow.lua
--                   for what the gateway forwards of it); "pktgen": pktgen's
--                   own fill, dropped by the gateway as bad-rtp-version      (rtp)
--   VIGIE_PT        RTP payload type, 1-127                                 (96)
-- cameras-pcap.lua only:
--   VIGIE_PCAP      the pcap given to pktgen with -s, checked before start
--                   (classic microsecond pcap; pcapng is refused)           (unset)

local V = {}

local function fail(fmt, ...)
    error(string.format(fmt, ...), 0)
end
V.fail = fail

function V.say(fmt, ...)
    io.write("vigie-pktgen: ", string.format(fmt, ...), "\n")
    io.flush()
end

function V.str(name, default)
    local v = os.getenv(name)
    if v == nil or v == "" then
        return default
    end
    return v
end

function V.num(name, default, min, max)
    local s = V.str(name, nil)
    if s == nil then
        return default
    end
    local n = tonumber(s)
    if n == nil or n < min or n > max then
        fail("%s=%s: want a number from %s to %s", name, s, tostring(min), tostring(max))
    end
    return n
end

function V.int(name, default, min, max)
    local n = V.num(name, default, min, max)
    if n ~= math.floor(n) then
        fail("%s=%s: want a whole number", name, tostring(n))
    end
    return math.floor(n)
end

function V.ipv4(name, default)
    local s = V.str(name, default)
    local a, b, c, d = s:match("^(%d+)%.(%d+)%.(%d+)%.(%d+)$")
    if a == nil or tonumber(a) > 255 or tonumber(b) > 255 or tonumber(c) > 255
        or tonumber(d) > 255 then
        fail("%s=%s: want an IPv4 address such as 198.18.1.11", name, s)
    end
    return s
end

function V.mac(name)
    local s = V.str(name, nil)
    if s == nil then
        fail("%s is not set: give the gateway access port's MAC (pktgen would send to 00:00:00:00:00:00)", name)
    end
    if not s:match("^%x%x:%x%x:%x%x:%x%x:%x%x:%x%x$") then
        fail("%s=%s: want a MAC such as 02:00:00:00:01:01", name, s)
    end
    if s:lower() == "00:00:00:00:00:00" then
        fail("%s: 00:00:00:00:00:00 is pktgen's default, not the gateway's MAC", name)
    end
    return s
end

-- Settings common to both scripts.
function V.common()
    local c = {}
    c.tx = V.int("VIGIE_TX_PORT", 0, 0, 63)
    local rx = V.str("VIGIE_RX_PORT", nil)
    if rx ~= nil then
        c.rx = V.int("VIGIE_RX_PORT", 0, 0, 63)
        if c.rx == c.tx then
            fail("VIGIE_RX_PORT=%d is the TX port", c.rx)
        end
    end
    c.rate = V.num("VIGIE_RATE", 10, 0.01, 100)
    c.seconds = V.int("VIGIE_SECONDS", 10, 1, 31 * 24 * 3600)
    c.screen = V.str("VIGIE_SCREEN", "off")
    return c
end

-- pktgen's Lua functions take a port list; a string ("0", "0-1", "all") is
-- understood by every release.
local function plist(p)
    return tostring(p)
end
V.plist = plist

-- Cumulative counters of one port, as pktgen last read them (pktgen reads
-- the ports once a second).  Up to 25.08 portStats(ports, "port") returns
-- them flat; from 26.02 on portStats(ports) returns { curr = {...}, ... }.
function V.counters(p)
    local ok, t = pcall(pktgen.portStats, plist(p), "port")
    local s
    if ok and type(t) == "table" and type(t[p]) == "table" then
        s = t[p]
    else
        t = pktgen.portStats(plist(p))
        s = t[p] and (t[p].curr or t[p])
    end
    if type(s) ~= "table" or s.opackets == nil then
        fail("pktgen.portStats gave no counters for port %d", p)
    end
    return {
        ipackets = s.ipackets or 0, opackets = s.opackets or 0,
        ibytes = s.ibytes or 0, obytes = s.obytes or 0,
        ierrors = s.ierrors or 0, oerrors = s.oerrors or 0,
        imissed = s.imissed or 0, rx_nombuf = s.rx_nombuf or 0,
    }
end

local function group(n)
    local s = string.format("%d", math.floor(n + 0.5))
    local neg = s:sub(1, 1) == "-"
    if neg then s = s:sub(2) end
    s = s:reverse():gsub("(%d%d%d)", "%1,"):reverse():gsub("^,", "")
    return (neg and "-" or "") .. s
end
V.group = group

local function mbit(bytes, secs)
    return string.format("%.1f", bytes * 8 / 1e6 / secs)
end

-- Send for c.seconds on c.tx, print the rates every second and the totals
-- at the end.  start() starts sending; check(d), if given, is called after
-- the first second the TX port sent anything, with that second's counters.
--
-- pktgen reads the port counters once a second, and may take a second or so
-- after start() before the first packet leaves (in single-packet mode it
-- rebuilds its packets first).  So the timed window opens at the first
-- reading that shows traffic; the totals count everything from just before
-- start() to two seconds after the stop, which is what the gateway sees.
function V.measure(c, start, check)
    local ports = { c.tx }
    if c.rx ~= nil then ports[2] = c.rx end

    local base, win, prev = {}, {}, {}
    for _, p in ipairs(ports) do
        base[p] = V.counters(p)
    end

    V.say("sending on port %d at %s%% of its link speed for %d s", c.tx, tostring(c.rate), c.seconds)
    start()
    local ok, err = pcall(function()
        local waited = 0
        while V.counters(c.tx).opackets == base[c.tx].opackets do
            if waited >= 10000 then
                fail("port %d has sent nothing 10 s after the start (link down? rate?)", c.tx)
            end
            pktgen.delay(100)
            waited = waited + 100
        end
        for _, p in ipairs(ports) do
            win[p] = V.counters(p)
            prev[p] = win[p]
        end
        for t = 1, c.seconds do
            pktgen.sleep(1)
            local line = string.format("t=%3ds", t)
            for _, p in ipairs(ports) do
                local now = V.counters(p)
                local o = prev[p]
                line = line .. string.format("  port %d: tx %s pps %s Mbit/s, rx %s pps %s Mbit/s",
                    p, group(now.opackets - o.opackets), mbit(now.obytes - o.obytes, 1),
                    group(now.ipackets - o.ipackets), mbit(now.ibytes - o.ibytes, 1))
                if p == c.tx and check ~= nil and now.opackets > o.opackets then
                    local d = {}
                    for k, v in pairs(now) do d[k] = v - o[k] end
                    check(d)
                    check = nil
                end
                prev[p] = now
            end
            V.say("%s", line)
        end
    end)
    pktgen.stop(plist(c.tx))
    -- Let queued packets leave and pktgen read the ports one last time.
    pktgen.delay(2100)
    if not ok then
        error(err, 0)
    end

    for _, p in ipairs(ports) do
        local n, b, w = V.counters(p), base[p], win[p]
        local d = {}
        for k, v in pairs(n) do d[k] = v - b[k] end
        local secs = c.seconds
        V.say("total port %d: tx %s packets %s bytes, rx %s packets %s bytes; over the %d s window tx %s pps %s Mbit/s, rx %s pps %s Mbit/s",
            p, group(d.opackets), group(d.obytes), group(d.ipackets), group(d.ibytes), secs,
            group((n.opackets - w.opackets) / secs), mbit(n.obytes - w.obytes, secs),
            group((n.ipackets - w.ipackets) / secs), mbit(n.ibytes - w.ibytes, secs))
        V.say("result port=%d seconds=%d opackets=%d obytes=%d ipackets=%d ibytes=%d oerrors=%d ierrors=%d imissed=%d rx_nombuf=%d tx_pps=%d rx_pps=%d",
            p, secs, d.opackets, d.obytes, d.ipackets, d.ibytes, d.oerrors, d.ierrors,
            d.imissed, d.rx_nombuf, math.floor((n.opackets - w.opackets) / secs + 0.5),
            math.floor((n.ipackets - w.ipackets) / secs + 0.5))
    end
end

function V.setup_screen(c)
    if c.screen ~= "on" then
        pktgen.screen("off")
    end
end

return V
