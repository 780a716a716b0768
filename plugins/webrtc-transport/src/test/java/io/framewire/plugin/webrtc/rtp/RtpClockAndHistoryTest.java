package io.framewire.plugin.webrtc.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RtpClockAndHistoryTest {

    @Test
    void clockIs90kHzFromOffsetAndWraps() {
        RtpClock c = new RtpClock(90_000, 0xFFFF_FFF0L);
        assertEquals(0xFFFF_FFF0L, c.timestamp(0));
        assertEquals((0xFFFF_FFF0L + 90_000) & 0xFFFF_FFFFL, c.timestamp(1_000_000));
        assertEquals((0xFFFF_FFF0L + 3000) & 0xFFFF_FFFFL, c.timestamp(33_333 + 1)); // 33.334 ms -> 3000 ticks
        assertEquals(0xFFFF_FFF0L + 1, c.timestamp(12)); // 12 us = 1.08 ticks
        long days = 10L * 86_400 * 1_000_000;
        assertEquals((0xFFFF_FFF0L + 10L * 86_400 * 90_000) & 0xFFFF_FFFFL, c.timestamp(days));
        assertThrows(IllegalArgumentException.class, () -> new RtpClock(0, 0));
        RtpClock v = RtpClock.video();
        assertEquals(90_000, v.clockRate());
        assertEquals(v.offset(), v.timestamp(0));
    }

    @Test
    void historyReturnsRecentPacketsAcrossWrapAndForgetsOldOnes() {
        RtpHistory h = new RtpHistory(512);
        H264Packetizer p = new H264Packetizer(96, 1, 65_000);
        Random rnd = new Random(1);
        PacketCapture all = new PacketCapture();
        for (int i = 0; i < 20; i++) {
            byte[] au = PacketCapture.annexB(List.of(PacketCapture.nal(rnd, 40_000, (byte) 0x41)));
            p.packetize(ByteBuffer.wrap(au), i * 3000L, (pkt, len, m) -> {
                h.accept(pkt, len, m);
                all.accept(pkt, len, m);
            });
        }
        int n = all.packets.size();
        assertEquals(true, n > 600);
        for (int i = n - 512; i < n; i++) {
            byte[] expected = all.packets.get(i);
            byte[] got = h.get(PacketCapture.seq(expected));
            assertArrayEquals(expected, got, "packet " + i);
            assertNotSame(got, h.get(PacketCapture.seq(expected)), "a copy each time");
        }
        assertNull(h.get(PacketCapture.seq(all.packets.get(n - 513))), "evicted");
        assertNull(h.get(PacketCapture.seq(all.packets.get(0))), "evicted");
        assertNull(new RtpHistory(16).get(5), "never stored");
        assertThrows(IllegalArgumentException.class, () -> h.store(new byte[5], 5));
    }
}
