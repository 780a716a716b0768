package io.framewire.benchmarks;

import io.framewire.testing.net.LinkProfile;

import java.util.List;

/**
 * A link scenario of {@link NetworkImpairmentBenchmark}: a name, a duration and the link's profiles
 * over time (a step at second {@code atSecond} sets both directions).
 *
 * @param name    short name printed in the results
 * @param seconds duration, counted from the browser's page load
 * @param steps   the profiles, the first at second 0, in time order
 */
record NetworkScenario(String name, int seconds, List<Step> steps) {

    /** The name of {@link #clean(int)}. */
    static final String CLEAN = "clean";
    /** The name of {@link #bottleneck(int)}. */
    static final String BOTTLENECK = "3M-40ms-1%";
    /** The name of {@link #steps(int)}. */
    static final String STEPS = "8-1.5-8M";

    /** One-way delay of the impaired scenarios: 20 ms each way = 40 ms round trip. */
    static final double ONE_WAY_DELAY_MS = 20;
    /** Every impaired profile's loss seed, so that runs repeat the same loss pattern. */
    static final long SEED = 11;

    /**
     * The link from second {@code atSecond} on.
     *
     * @param atSecond when the step applies, seconds after the page load
     * @param toClient server to browser (the media direction)
     * @param toServer browser to server (RTCP feedback, ICE checks)
     */
    record Step(int atSecond, LinkProfile toClient, LinkProfile toServer) {
    }

    /** No impairment (the relay only forwards). */
    static NetworkScenario clean(int seconds) {
        return new NetworkScenario(CLEAN, seconds, List.of(new Step(0, LinkProfile.CLEAN, LinkProfile.CLEAN)));
    }

    /**
     * The impaired link: 3 Mbit/s bottleneck towards the browser (100 ms drop-tail queue),
     * 20 ms each way (40 ms round trip), 1 % random loss in both directions.
     */
    static NetworkScenario bottleneck(int seconds) {
        LinkProfile lossy = LinkProfile.CLEAN.withDelayMillis(ONE_WAY_DELAY_MS).withLossPercent(1).withSeed(SEED);
        return new NetworkScenario(BOTTLENECK, seconds,
                List.of(new Step(0, lossy.withRateKbps(3000), lossy)));
    }

    /**
     * Capacity steps towards the browser, 8 -> 1.5 -> 8 Mbit/s, {@code phaseSeconds} each (100 ms
     * queue), 20 ms each way, no random loss.
     */
    static NetworkScenario steps(int phaseSeconds) {
        LinkProfile delayed = LinkProfile.CLEAN.withDelayMillis(ONE_WAY_DELAY_MS).withSeed(SEED);
        return new NetworkScenario(STEPS, 3 * phaseSeconds, List.of(
                new Step(0, delayed.withRateKbps(8000), delayed),
                new Step(phaseSeconds, delayed.withRateKbps(1500), delayed),
                new Step(2 * phaseSeconds, delayed.withRateKbps(8000), delayed)));
    }

    /** @return the step in force at second {@code t} */
    Step stepAt(int t) {
        Step current = steps.get(0);
        for (Step s : steps) {
            if (s.atSecond() <= t) {
                current = s;
            }
        }
        return current;
    }
}
