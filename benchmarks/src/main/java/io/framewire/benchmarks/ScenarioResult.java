package io.framewire.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The figures of one {@link NetworkScenario} run in one mode (fixed bitrate or congestion control),
 * computed from its once-a-second {@link LinkSample}s: a summary from second {@code from} to the end
 * (the "after 10 s"), whole-run counters, for scenarios with steps per-phase figures and how
 * fast the send rate followed the capacity, and the goals ({@link #goals()}). The figures
 * are available as numbers (the methods) and formatted ({@link #cells}, by row name).
 *
 * @param scenario the scenario
 * @param mode     the server's mode, e.g. {@code fixed} or {@code cc}; "" for none
 * @param samples  the samples, index = second since the page load (0 = at the load)
 * @param from     the first second of the summary's window (the settle time, less for short runs)
 * @param cells    the summary, row name -> formatted value ({@link #ROWS})
 * @param notes    the relay's full counters, then one line per step (for a scenario with steps)
 */
record ScenarioResult(NetworkScenario scenario, String mode, List<LinkSample> samples, int from, Map<String, String> cells,
                      List<String> notes) {

    static final String FIRST_FRAME = "first frame decoded after (s)";
    static final String FPS = "received fps";
    static final String FREEZES = "freezes: count / s frozen";
    static final String FREEZES_WHOLE = "freezes, whole run: count / s frozen";
    static final String LONGEST_FREEZE = "longest freeze (ms)";
    static final String STILL = "seconds without a decoded frame";
    static final String LONGEST_STILL = "longest such stretch, whole run (s)";
    static final String PLAYOUT = "median playout delay per s (ms)";
    static final String RECEIVED = "received kbit/s (RTP payload)";
    static final String SENT = "sent kbit/s (all the server sent: relay in)";
    static final String FIRST_SENDS = "server bytesSent kbit/s";
    static final String ESTIMATE = "server estimate kbit/s (median)";
    static final String PACER = "pacer queue ms (median / max)";
    static final String RETX = "server retransmissions/s";
    static final String NACK_PLI = "server got NACKs / key-frame req., whole";
    static final String LOST = "browser packets lost / PLIs sent, whole";
    static final String RTT = "median RTT, candidate pair (ms)";
    static final String RELAY_DOWN = "relay->browser in / fwd MB, whole";
    static final String RELAY_DROPS = "relay->browser queue drops / lost, whole";
    static final String RELAY_QUEUE = "relay->browser longest queue wait (ms)";
    static final String RELAY_UP = "relay->server pkts in / lost, whole";
    static final String STEP_DOWN = "after the drop: s until sent < capacity";
    static final String STEP_UP = "after the rise: s until recv >= 80 %";
    /** The summary's rows, in print order. */
    static final List<String> ROWS = List.of(FIRST_FRAME, FPS, FREEZES, FREEZES_WHOLE, LONGEST_FREEZE, STILL, LONGEST_STILL, PLAYOUT,
            RECEIVED, SENT, RETX, NACK_PLI, LOST, RTT, FIRST_SENDS, ESTIMATE, PACER, RELAY_DOWN, RELAY_DROPS, RELAY_QUEUE, RELAY_UP,
            STEP_DOWN, STEP_UP);

    /** The goals (issue 11). */
    static final double GOAL_FPS = 28;
    static final double GOAL_FROZEN_SECONDS = 1;
    static final double GOAL_PLAYOUT_MS = 60;
    static final double GOAL_RECEIVED_SHARE = 0.70;
    static final int GOAL_DROP_SECONDS = 2;
    static final double GOAL_FREEZE_MS = 500;
    static final int GOAL_RISE_SECONDS = 15;
    /** After a rise, the received rate must reach this share of the capacity. */
    static final double RISE_SHARE = 0.80;

    /** @return the scenario's name and the mode, e.g. {@code 3M-40ms-1% cc} */
    String name() {
        return mode.isEmpty() ? scenario.name() : scenario.name() + " " + mode;
    }

    /** @return the formatted value of a row, "-" where it does not apply */
    String cell(String row) {
        return cells.getOrDefault(row, "-");
    }

    /** Prints the summary and the phases. */
    void print() {
        System.out.printf(Locale.ROOT, "summary of %s (from second %d to %d unless 'whole'):%n", name(), from, scenario.seconds());
        for (String row : ROWS) {
            if (cells.containsKey(row)) {
                System.out.printf(Locale.ROOT, "  %-44s %s%n", row, cells.get(row));
            }
        }
        for (String n : notes) {
            System.out.println("  " + n);
        }
    }

    static ScenarioResult of(NetworkScenario scenario, String mode, List<LinkSample> samples, int settle) {
        int from = Math.max(0, Math.min(settle, samples.size() - 2));
        Map<String, String> c = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        ScenarioResult r = new ScenarioResult(scenario, mode, List.copyOf(samples), from, c, notes);
        r.fill(c, notes);
        return new ScenarioResult(scenario, mode, r.samples, from, Collections.unmodifiableMap(c), List.copyOf(notes));
    }

    private void fill(Map<String, String> c, List<String> notes) {
        LinkSample last = last();
        LinkSample start = samples.get(from);
        double window = window();
        double firstFrame = firstFrameSeconds();
        c.put(FIRST_FRAME, firstFrame < 0 ? "never" : fmt(firstFrame, 0) + " (1 s steps)");
        c.put(FPS, fmt(fps(), 1));
        c.put(FREEZES, fmt(last.browserSince(start, "freezeCount"), 0) + " / " + fmt(frozenSecondsReported(), 1));
        c.put(FREEZES_WHOLE, fmt(Math.max(0, last.browser("freezeCount")), 0) + " / "
                + fmt(Math.max(0, last.browser("totalFreezesDuration")), 1));
        c.put(LONGEST_FREEZE, longestFreeze(from).format());
        int still = 0;
        for (int i = from + 1; i < samples.size(); i++) {
            if (samples.get(i).browserSince(samples.get(i - 1), "framesDecoded") == 0) {
                still++;
            }
        }
        c.put(STILL, Integer.toString(still));
        c.put(LONGEST_STILL, Integer.toString(longestStretchWithoutFrames(0)));
        c.put(PLAYOUT, fmt(medianPlayoutMillis(), 1));
        c.put(RECEIVED, fmt(receivedKbps(), 0));
        c.put(SENT, fmt(last.sentKbpsSince(start), 0));
        c.put(FIRST_SENDS, fmt((last.serverSent().bytesSent() - start.serverSent().bytesSent()) * 8 / window / 1000, 0));
        if (!Double.isNaN(medianEstimateKbps())) {
            c.put(ESTIMATE, fmt(medianEstimateKbps(), 0));
        }
        if (!Double.isNaN(medianPacerMillis())) {
            c.put(PACER, fmt(medianPacerMillis(), 0) + " / " + fmt(maxPacerMillis(), 0));
        }
        c.put(RETX, fmt((last.serverSent().retransmissions() - start.serverSent().retransmissions()) / window, 1));
        c.put(NACK_PLI, last.serverSent().nacksReceived() + " / " + last.serverSent().keyframeRequests());
        c.put(LOST, fmt(Math.max(0, last.browser("packetsLost")), 0) + " / " + fmt(Math.max(0, last.browser("pliCount")), 0));
        c.put(RTT, fmt(median(perSecond((a, b) -> b.browser("rtt") < 0 ? Double.NaN : 1000 * b.browser("rtt"))), 1));
        c.put(RELAY_DOWN, fmt(last.toClient().bytesIn() / 1e6, 1) + " / " + fmt(last.toClient().bytesForwarded() / 1e6, 1));
        c.put(RELAY_DROPS, last.toClient().packetsOverflowed() + " / " + last.toClient().packetsLost());
        double longestWait = 0;
        for (LinkSample s : samples) {
            longestWait = Math.max(longestWait, s.toClient().maxQueueDelayMillis());
        }
        c.put(RELAY_QUEUE, fmt(longestWait, 1));
        c.put(RELAY_UP, last.toServer().packetsIn() + " / " + last.toServer().packetsLost());
        notes.add("relay to browser, whole run (queue peak: the last second): " + last.toClient());
        notes.add("relay to server, whole run (queue peak: the last second):  " + last.toServer());
        if (scenario.steps().size() > 1) {
            phases(notes);
            for (StepResponse s : stepResponses()) {
                c.put(s.drop() ? STEP_DOWN : STEP_UP, s.format());
            }
        }
    }

    // ---- the figures as numbers

    private LinkSample last() {
        return samples.get(samples.size() - 1);
    }

    /** @return the summary window's length, seconds (from second {@link #from} to the last sample) */
    double window() {
        return Math.max(1e-9, last().seconds() - samples.get(from).seconds());
    }

    /** @return when the first frame was decoded, seconds after the page load (1 s steps); -1 for never */
    double firstFrameSeconds() {
        for (LinkSample s : samples) {
            if (s.browser("framesDecoded") > 0) {
                return s.seconds();
            }
        }
        return -1;
    }

    /** @return frames decoded per second in the window */
    double fps() {
        return last().browserSince(samples.get(from), "framesDecoded") / window();
    }

    /** @return the browser's received rate in the window (RTP payload, retransmissions included), kbit/s */
    double receivedKbps() {
        return last().browserSince(samples.get(from), "bytesReceived") * 8 / window() / 1000;
    }

    /** @return the median over the window's seconds of the playout delay (jitter buffer delay / emitted), ms; NaN without frames */
    double medianPlayoutMillis() {
        return median(perSecond((a, b) -> b.browserSince(a, "jitterBufferEmittedCount") > 0
                ? 1000 * b.browserSince(a, "jitterBufferDelay") / b.browserSince(a, "jitterBufferEmittedCount") : Double.NaN));
    }

    /**
     * @return the seconds frozen in the window as {@code getStats()} reports them: freezes that ended
     * in the window (a freeze still going on at the end is not counted: see {@link #trailingSecondsWithoutFrames()})
     */
    double frozenSecondsReported() {
        return last().browserSince(samples.get(from), "totalFreezesDuration");
    }

    /** @return the seconds at the end of the window in which no frame was decoded (an unfinished freeze, 1 s resolution) */
    int trailingSecondsWithoutFrames() {
        int n = 0;
        for (int i = samples.size() - 1; i > from; i--) {
            if (samples.get(i).browserSince(samples.get(i - 1), "framesDecoded") != 0) {
                break;
            }
            n++;
        }
        return n;
    }

    /**
     * @param afterSecond only seconds after this one (sample index)
     * @return the longest run of seconds without a decoded frame after the first decoded frame
     */
    int longestStretchWithoutFrames(int afterSecond) {
        double firstFrame = firstFrameSeconds();
        int stretch = 0;
        int longest = 0;
        for (int i = Math.max(1, afterSecond + 1); i < samples.size(); i++) {
            boolean none = samples.get(i).browserSince(samples.get(i - 1), "framesDecoded") == 0;
            stretch = none && firstFrame >= 0 && samples.get(i).seconds() > firstFrame ? stretch + 1 : 0;
            longest = Math.max(longest, stretch);
        }
        return longest;
    }

    /**
     * The longest freeze {@code getStats()} reported as ended after a second.
     *
     * @param millis the freeze's length, ms (0 when none ended); a lower bound when {@code count} &gt; 1
     * @param count  how many freezes ended in the second of this one: 1 exact; k &gt; 1: the second's
     *               increase of totalFreezesDuration / k, a lower bound of the longest of them
     * @param second the second (sample index) in which it ended, -1 when none
     */
    record Freeze(double millis, int count, int second) {
        boolean exact() {
            return count <= 1;
        }

        String format() {
            return format("");
        }

        /** @return e.g. {@code 1200 ms}, {@code >=400 ms (2 in 1 s)} or {@code none} */
        String format(String unit) {
            if (second < 0) {
                return "none";
            }
            return (exact() ? "" : ">=") + fmt(millis, 0) + unit + (exact() ? "" : " (" + count + " in 1 s)");
        }
    }

    /**
     * The longest freeze that ended after {@code afterSecond}, from the per-second samples: when
     * freezeCount rose by exactly 1 in a second, the rise of totalFreezesDuration is that freeze's
     * length; when it rose by k &gt; 1, the rise / k is a lower bound of the longest of them (flagged).
     * Chromium counts a freeze when it ends: one going on at the end is not in here.
     */
    Freeze longestFreeze(int afterSecond) {
        Freeze best = new Freeze(0, 0, -1);
        for (int i = Math.max(1, afterSecond + 1); i < samples.size(); i++) {
            LinkSample a = samples.get(i - 1);
            LinkSample b = samples.get(i);
            int k = (int) Math.round(b.browserSince(a, "freezeCount"));
            if (k <= 0) {
                continue;
            }
            double ms = 1000 * b.browserSince(a, "totalFreezesDuration") / k;
            if (best.second() < 0 || ms > best.millis()) {
                best = new Freeze(ms, k, i);
            }
        }
        return best;
    }

    /** @return the median of the server's congestion-control estimate over the window's samples, kbit/s; NaN when not measured */
    double medianEstimateKbps() {
        return median(perSecond((a, b) -> b.estimateKbps()));
    }

    /** @return the median of the server's pacer queue wait over the window's samples (read once a second), ms; NaN without a pacer */
    double medianPacerMillis() {
        return median(perSecond((a, b) -> b.pacerQueueMillis()));
    }

    /** @return the largest pacer queue wait of the window's samples (a gauge read once a second, not the peak in between), ms */
    double maxPacerMillis() {
        double[] v = perSecond((a, b) -> b.pacerQueueMillis());
        return v.length == 0 ? Double.NaN : Arrays.stream(v).max().getAsDouble();
    }

    /**
     * How fast the link's users followed a capacity step.
     *
     * @param atSecond the step's second
     * @param capacity the new capacity, kbit/s
     * @param drop     true for a drop (the figure: seconds until the sent rate is below the capacity),
     *                 false for a rise (seconds until the received rate is at least {@link #RISE_SHARE} of it)
     * @param seconds  the seconds it took (1 = within the first second after the step); -1 when not within {@code window}
     * @param window   the seconds looked at (until the next step or the end)
     */
    record StepResponse(int atSecond, int capacity, boolean drop, int seconds, int window) {
        boolean found() {
            return seconds >= 0;
        }

        String format() {
            return found() ? Integer.toString(seconds) : "not within " + window + " s";
        }
    }

    /** @return one response per step after the first, in time order */
    List<StepResponse> stepResponses() {
        List<NetworkScenario.Step> steps = scenario.steps();
        List<StepResponse> out = new ArrayList<>();
        for (int i = 1; i < steps.size(); i++) {
            int at = steps.get(i).atSecond();
            int end = i + 1 < steps.size() ? steps.get(i + 1).atSecond() : scenario.seconds();
            int capacity = steps.get(i).toClient().rateKbps();
            boolean drop = capacity < steps.get(i - 1).toClient().rateKbps();
            int found = -1;
            for (int t = at + 1; t <= end && t < samples.size(); t++) {
                LinkSample a = samples.get(t - 1);
                LinkSample b = samples.get(t);
                double sent = b.sentKbpsSince(a);
                double received = b.browserSince(a, "bytesReceived") * 8 / (b.seconds() - a.seconds()) / 1000;
                if (drop ? sent < capacity : received >= RISE_SHARE * capacity) {
                    found = t - at;
                    break;
                }
            }
            out.add(new StepResponse(at, capacity, drop, found, end - at));
        }
        return out;
    }

    /** @return the first capacity drop's response, if the scenario has one */
    Optional<StepResponse> afterDrop() {
        return stepResponses().stream().filter(StepResponse::drop).findFirst();
    }

    /** @return the first capacity rise's response, if the scenario has one */
    Optional<StepResponse> afterRise() {
        return stepResponses().stream().filter(s -> !s.drop()).findFirst();
    }

    // ---- the goals

    /** Whether a goal is met. */
    enum Verdict {
        MET("MET"), NOT_MET("NOT MET"), UNDECIDED("UNDECIDED (run too short)"), REPORTED("(no goal)");

        final String label;

        Verdict(String label) {
            this.label = label;
        }

        static Verdict of(boolean met) {
            return met ? MET : NOT_MET;
        }
    }

    /**
     * One goal of issue 11 with the measured value.
     *
     * @param goal     what the issue asks
     * @param measured the value measured here
     * @param verdict  met or not
     */
    record Goal(String goal, String measured, Verdict verdict) {
    }

    /** @return the goals for this scenario (its name decides which), with the measured values; empty for unknown scenarios */
    List<Goal> goals() {
        List<Goal> g = new ArrayList<>();
        switch (scenario.name()) {
            case NetworkScenario.CLEAN -> {
                g.add(new Goal("received fps", fmt(fps(), 1), Verdict.REPORTED));
                g.add(new Goal("received kbit/s", fmt(receivedKbps(), 0), Verdict.REPORTED));
            }
            case NetworkScenario.BOTTLENECK -> {
                int capacity = scenario.steps().get(0).toClient().rateKbps();
                g.add(new Goal("received fps >= " + fmt(GOAL_FPS, 0), fmt(fps(), 1), Verdict.of(fps() >= GOAL_FPS)));
                double reported = frozenSecondsReported();
                int open = trailingSecondsWithoutFrames();
                double frozen = reported + open;
                g.add(new Goal("total freeze duration <= " + fmt(GOAL_FROZEN_SECONDS, 0) + " s",
                        fmt(reported, 1) + " s" + (open > 0 ? " + " + open + " s frozen at the end" : ""),
                        // a freeze still going on at the end has lasted at least its seconds and is not over
                        Verdict.of(open > 0 ? frozen < GOAL_FROZEN_SECONDS : frozen <= GOAL_FROZEN_SECONDS)));
                double playout = medianPlayoutMillis();
                g.add(new Goal("median playout delay <= " + fmt(GOAL_PLAYOUT_MS, 0) + " ms",
                        Double.isNaN(playout) ? "n/a (no frames)" : fmt(playout, 1) + " ms",
                        Verdict.of(!Double.isNaN(playout) && playout <= GOAL_PLAYOUT_MS)));
                double received = receivedKbps();
                g.add(new Goal("received >= " + fmt(100 * GOAL_RECEIVED_SHARE, 0) + " % of " + capacity + " kbit/s",
                        fmt(received, 0) + " kbit/s (" + fmt(100 * received / capacity, 0) + " %)",
                        Verdict.of(received >= GOAL_RECEIVED_SHARE * capacity)));
            }
            case NetworkScenario.STEPS -> {
                afterDrop().ifPresent(d -> {
                    g.add(new Goal("sent < " + d.capacity() + " kbit/s within " + GOAL_DROP_SECONDS + " s of the drop",
                            d.found() ? d.seconds() + " s" : "not within " + d.window() + " s",
                            d.found() ? Verdict.of(d.seconds() <= GOAL_DROP_SECONDS)
                                    : d.window() >= GOAL_DROP_SECONDS ? Verdict.NOT_MET : Verdict.UNDECIDED));
                    Freeze f = longestFreeze(d.atSecond());
                    int still = longestStretchWithoutFrames(d.atSecond());
                    double longest = Math.max(f.second() < 0 ? 0 : f.millis(), 1000.0 * still);
                    g.add(new Goal("no freeze > " + fmt(GOAL_FREEZE_MS, 0) + " ms after the drop",
                            (f.second() < 0 ? "no freeze ended" : "longest " + f.format(" ms")) + (still > 0 ? ", " + still + " s in a row without frames" : ""),
                            Verdict.of(longest <= GOAL_FREEZE_MS)));
                });
                afterRise().ifPresent(r -> g.add(new Goal(
                        "received >= " + fmt(100 * RISE_SHARE, 0) + " % of " + r.capacity() + " kbit/s within " + GOAL_RISE_SECONDS
                                + " s of the rise",
                        r.found() ? r.seconds() + " s" : "not within " + r.window() + " s",
                        r.found() ? Verdict.of(r.seconds() <= GOAL_RISE_SECONDS)
                                : r.window() >= GOAL_RISE_SECONDS ? Verdict.NOT_MET : Verdict.UNDECIDED)));
            }
            default -> {
            }
        }
        return g;
    }

    // ---- helpers

    /** Per-phase figures of a scenario with steps. */
    private void phases(List<String> phases) {
        List<NetworkScenario.Step> steps = scenario.steps();
        for (int i = 0; i < steps.size(); i++) {
            int a = steps.get(i).atSecond();
            int b = i + 1 < steps.size() ? steps.get(i + 1).atSecond() : scenario.seconds();
            LinkSample sa = samples.get(Math.min(a, samples.size() - 1));
            LinkSample sb = samples.get(Math.min(b, samples.size() - 1));
            double dt = Math.max(1e-9, sb.seconds() - sa.seconds());
            phases.add(String.format(Locale.ROOT, "phase %d-%d s at %d kbit/s: sent %.0f kbit/s, browser received %.0f kbit/s,"
                            + " %.1f fps, freezes ended %.0f (%.1f s frozen), relay queue drops %d", a, b, steps.get(i).toClient().rateKbps(),
                    sb.sentKbpsSince(sa),
                    sb.browserSince(sa, "bytesReceived") * 8 / dt / 1000, sb.browserSince(sa, "framesDecoded") / dt,
                    sb.browserSince(sa, "freezeCount"), sb.browserSince(sa, "totalFreezesDuration"),
                    sb.toClient().packetsOverflowed() - sa.toClient().packetsOverflowed()));
        }
    }

    private interface Pair {
        double of(LinkSample a, LinkSample b);
    }

    /** @return {@code f} of each second of the window (a pair of consecutive samples), NaNs left out */
    private double[] perSecond(Pair f) {
        double[] v = new double[samples.size()];
        int n = 0;
        for (int i = Math.max(1, from + 1); i < samples.size(); i++) {
            double x = f.of(samples.get(i - 1), samples.get(i));
            if (!Double.isNaN(x)) {
                v[n++] = x;
            }
        }
        return Arrays.copyOf(v, n);
    }

    private static double median(double[] v) {
        if (v.length == 0) {
            return Double.NaN;
        }
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    static String fmt(double v, int decimals) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
