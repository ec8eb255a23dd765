-- SPDX-License-Identifier: BSD-3-Clause
-- cameras-pcap.lua: replay a vigie-camgen pcap to a Vigie gateway with Pktgen-DPDK, at a set
-- rate for a set time; print the rates every second and the port totals at the end; quit.
--
-- The pcap is loaded by pktgen itself at start-up, from its -s option (Lua cannot load one):
--
--   VIGIE_PCAP=cams.pcap VIGIE_RATE=10 VIGIE_SECONDS=30 \
--   timeout -k 10 120 script -qec 'pktgen -l 0-2 -n 4 -a 0000:03:00.0 -- -P -m "[1:2].0" \
--       -s 0:cams.pcap -f scripts/pktgen/cameras-pcap.lua' /dev/null
--
-- (timeout: pktgen waits at its prompt forever if it cannot quit; script: pktgen 23.x needs
-- a terminal, which cron or CI do not give.)
--
-- The frames go out exactly as they are in the file: make it with
--   vigie-camgen ... -- --config FILE --pcap cams.pcap --gw-mac <gateway access MAC>
-- so that they carry the gateway's MAC, the cameras' addresses and ports, and RTP whose
-- sequence numbers wrap cleanly when pktgen loops over the file (65,536 packets per camera).
-- pktgen reads classic microsecond pcap only (magic a1b2c3d4): not pcapng, not nanosecond.
--
-- Settings (environment; defaults in brackets; see common.lua):
--   VIGIE_PCAP     the file given to -s, checked before start (format, link type)    [unset]
--   VIGIE_TX_PORT  pktgen port wired to the gateway's access port                     [0]
--   VIGIE_RX_PORT  pktgen port wired to the gateway's backbone port (optional)        [none]
--   VIGIE_RATE     % of the TX port's link speed (0.01-100); pktgen turns it into
--                  packets/s with the pcap's average frame size                       [10]
--   VIGIE_SECONDS  seconds of sending                                                 [10]
--   VIGIE_SCREEN   "on" to keep pktgen's full-screen display                          [off]
--
-- Output: lines starting with "vigie-pktgen:"; the last ones are "total port N: ..." and
-- "result port=N ..." (key=value).  On any error the script prints "vigie-pktgen: error: ..."
-- and still quits pktgen, which otherwise waits at its prompt forever.

local function check_pcap(V, path)
    local f, err = io.open(path, "rb")
    if f == nil then
        V.fail("VIGIE_PCAP: %s", err)
    end
    local h = f:read(24)
    f:close()
    if h == nil or #h < 24 then
        V.fail("%s: too short for a pcap file", path)
    end
    local m = { h:byte(1, 4) }
    local magic = string.format("%02x%02x%02x%02x", m[1], m[2], m[3], m[4])
    local le
    if magic == "d4c3b2a1" then
        le = true
    elseif magic == "a1b2c3d4" then
        le = false
    elseif magic == "0a0d0d0a" then
        V.fail("%s is pcapng: pktgen reads classic pcap only (editcap -F pcap in out)", path)
    elseif magic == "4d3cb2a1" or magic == "a1b23c4d" then
        V.fail("%s has nanosecond timestamps: pktgen reads microsecond pcap only (editcap -F pcap in out)", path)
    else
        V.fail("%s is not a pcap file (magic %s)", path, magic)
    end
    local b = { h:byte(21, 24) }
    local linktype = le and (b[1] + 256 * b[2]) or (b[4] + 256 * b[3])
    if linktype ~= 1 then
        V.fail("%s: link type %d, not Ethernet (1)", path, linktype)
    end
end

local function main()
    local here = debug.getinfo(1, "S").source:match("^@(.*[/\\])") or "./"
    local V = dofile(here .. "common.lua")
    local c = V.common()
    local pcap = V.str("VIGIE_PCAP", nil)

    V.setup_screen(c)
    if pcap ~= nil then
        check_pcap(V, pcap)
        V.say("pcap %s: classic pcap, Ethernet (it must also be the file given to -s %d:FILE)", pcap, c.tx)
    end

    local tx = V.plist(c.tx)
    pktgen.stop(tx)
    -- Only does something when a pcap was loaded for this port with -s.
    pktgen.pcap(tx, "on")
    pktgen.set(tx, "count", 0)          -- 0 = send until stopped
    pktgen.set(tx, "rate", c.rate)      -- after "pcap on": rate uses the pcap's sizes

    V.measure(c, function()
        pktgen.start(tx)
    end, function(d)
        -- Without a pcap pktgen sends its default single packet instead: 64 bytes (60
        -- without CRC), TCP, to 00:00:00:00:00:00.  No camgen pcap is all 60-byte frames.
        if d.opackets > 0 and (d.obytes == 60 * d.opackets or d.obytes == 64 * d.opackets) then
            V.fail("port %d sends pktgen's 64-byte default packet, not a pcap: load one with -s %d:FILE",
                c.tx, c.tx)
        end
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
