package io.framewire.runtime;

import io.framewire.api.Defaults;
import io.framewire.api.ServerConfig;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NetworkRatesTest {
    private static final ServerConfig HD30 = ServerConfig.builder().width(1920).height(1080).fps(30).bitrateKbps(8000).build();

    @Test
    void withoutAnEstimateTheConfiguredRatesHold() {
        assertEquals(new NetworkRates(8000, 30), NetworkRates.of(HD30, 0));
    }

    @Test
    void theBitrateFollowsTheEstimateButNeverExceedsTheConfiguredOne() {
        assertEquals(new NetworkRates(2500, 30), NetworkRates.of(HD30, 2500));
        assertEquals(new NetworkRates(8000, 30), NetworkRates.of(HD30, 20_000));
        assertEquals(Defaults.MIN_BITRATE_KBPS, NetworkRates.of(HD30, 1).bitrateKbps());
    }

    @Test
    void theFrameRateStaysFullWhileFramesGetEnoughBits() {
        // 1080p30 at 0.02 bits per pixel and frame needs 1244 kbit/s
        assertEquals(30, NetworkRates.of(HD30, 1300).fps());
        assertEquals(15, NetworkRates.of(HD30, 1200).fps());
    }

    @Test
    void lowEstimatesDivideTheFrameRateDownToTheFloor() {
        assertEquals(10, NetworkRates.of(HD30, 600).fps(), "15 fps gives 0.019 bits per pixel, 10 fps 0.029");
        assertEquals(NetworkRates.MIN_FPS, NetworkRates.of(HD30, 150).fps());
        int previous = Integer.MAX_VALUE;
        for (int kbps = 8000; kbps >= 100; kbps -= 100) {
            int fps = NetworkRates.of(HD30, kbps).fps();
            assertTrue(fps <= previous, "the frame rate never rises as the estimate falls: " + kbps + " kbit/s -> " + fps);
            previous = fps;
        }
    }

    @Test
    void aLowConfiguredFrameRateIsNotRaisedToTheFloor() {
        ServerConfig slow = HD30.toBuilder().fps(3).build();
        assertEquals(3, NetworkRates.of(slow, 100).fps());
    }
}
