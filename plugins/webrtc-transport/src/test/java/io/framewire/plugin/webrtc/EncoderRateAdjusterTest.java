package io.framewire.plugin.webrtc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class EncoderRateAdjusterTest {

    @Test
    void anEncoderDeliveringNinetyPercentIsAskedForAboutElevenPercentMore() {
        EncoderRateAdjuster adjuster = new EncoderRateAdjuster();
        long wanted = 3_000_000;
        for (int i = 0; i < 100; i++) {
            long asked = (long) (wanted * adjuster.factor());
            adjuster.update(asked, (long) (asked * 0.9));
        }
        assertEquals(1 / 0.9, adjuster.factor(), 0.005);
    }

    @Test
    void theFactorIsBoundedAndNeverBelowOne() {
        EncoderRateAdjuster adjuster = new EncoderRateAdjuster();
        for (int i = 0; i < 100; i++) {
            adjuster.update(1_400_000, 1_000_000); // 1.4: undershooting a lot, still following
        }
        assertEquals(EncoderRateAdjuster.MAX_FACTOR, adjuster.factor(), 1e-3);
        for (int i = 0; i < 100; i++) {
            adjuster.update(1_000_000, 1_200_000); // overshooting
        }
        assertEquals(1.0, adjuster.factor(), 1e-3);
    }

    @Test
    void anEncoderFarBelowTheRequestIsNotFollowingItAndTheFactorGoesBackToOne() {
        EncoderRateAdjuster adjuster = new EncoderRateAdjuster();
        for (int i = 0; i < 100; i++) {
            adjuster.update(1_100_000, 1_000_000);
        }
        assertEquals(1.1, adjuster.factor(), 1e-3);
        for (int i = 0; i < 100; i++) {
            adjuster.update(8_000_000, 700_000); // a still picture, or capped by the configured bitrate
        }
        assertEquals(1.0, adjuster.factor(), 1e-3);
        adjuster.update(0, 0); // nothing known: unchanged
        assertEquals(1.0, adjuster.factor(), 1e-3);
        adjuster.update(1_100_000, 1_000_000);
        adjuster.reset();
        assertEquals(1.0, adjuster.factor());
    }
}
