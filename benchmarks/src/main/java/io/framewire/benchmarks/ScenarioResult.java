package io.framewire.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The figures of one {@link NetworkScenario} run, computed from its once-a-second {@link LinkSample}s:
 * a summary from second {@code settle} to the end (the "after 10 s"), whole-run counters, and
 * for scenarios with steps, per-phase figures and how fast the send rate followed the capacity.
 *
 * @param scenario the scenario
 * @param cells    the summary, row name -> formatted value ({@link #ROWS})
 * @param notes    the relay's full counters, then one line per step (for a scenario with steps)
 */
record ScenarioResult(NetworkScenario scenario, Map<String, String> cells, List<String> notes) {

    static final String FIRST_FRAME = "first frame decoded after (s)";
    static final String FPS = "received fps";
    static final String FREEZES = "freezes: count / s frozen";
    static final String FREEZES_WHOLE = "freezes, whole run: count / s frozen";
    static final String STILL = "seconds without a decoded frame";
    static final String LONGEST_STILL = "longest such stretch, whole run (s)";
    static final String PLAYOUT = "median playout delay per s (ms)";
    static final String RECEIVED = "received kbit/s (RTP payload)";
    static final String SENT = "sent kbit/s (all the server sent: relay in)";
    static final String FIRST_SENDS = "server bytesSent kbit/s (first sends)";
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
    static final List<String> ROWS = List.of(FIRST_FRAME, FPS, FREEZES, FREEZES_WHOLE, STILL, LONGEST_STILL, PLAYOUT, RECEIVED, SENT, RETX,
            NACK_PLI, LOST, RTT, FIRST_SENDS, RELAY_DOWN, RELAY_DROPS, RELAY_QUEUE, RELAY_UP, STEP_DOWN, STEP_UP);

    /** @return the formatted value of a row, "-" where it does not apply */
    String cell(String row) {
        return cells.getOrDefault(row, "-");
    }

    /** Prints the summary and the phases. */
    void print() {
        System.out.printf(Locale.ROOT, "summary of %s (from second %s to %d unless 'whole'):%n", scenario.name(),
                cells.getOrDefault("window", "?"), scenario.seconds());
        for (String row : ROWS) {
            if (cells.containsKey(row)) {
                System.out.printf(Locale.ROOT, "  %-44s %s%n", row, cells.get(row));
            }
        }
        for (String n : notes) {
            System.out.println("  " + n);
        }
    }

    static ScenarioResult of(NetworkScenario scenario, List<LinkSample> samples, int settle) {
        LinkSample first = samples.get(0);
        LinkSample last = samples.get(samples.size() - 1);
        int from = Math.min(settle, samples.size() - 2);
        LinkSample start = samples.get(from);
        double window = last.seconds() - start.seconds();
        Map<String, String> c = new LinkedHashMap<>();
        c.put("window", Integer.toString(from));

        double firstFrame = -1;
        for (LinkSample s : samples) {
            if (s.browser("framesDecoded") > 0) {
                firstFrame = s.seconds();
                break;
            }
        }
        c.put(FIRST_FRAME, firstFrame < 0 ? "never" : fmt(firstFrame, 0) + " (1 s steps)");
        c.put(FPS, fmt(last.browserSince(start, "framesDecoded") / window, 1));
        c.put(FREEZES, fmt(last.browserSince(start, "freezeCount"), 0) + " / " + fmt(last.browserSince(start, "totalFreezesDuration"), 1));
        c.put(FREEZES_WHOLE, fmt(Math.max(0, last.browser("freezeCount")), 0) + " / "
                + fmt(Math.max(0, last.browser("totalFreezesDuration")), 1));
        // getStats counts a freeze only once frames come again: a stream that stays frozen shows none
        int still = 0;
        int stretch = 0;
        int longest = 0;
        for (int i = 1; i < samples.size(); i++) {
            boolean none = samples.get(i).browserSince(samples.get(i - 1), "framesDecoded") == 0;
            stretch = none && firstFrame >= 0 && samples.get(i).seconds() > firstFrame ? stretch + 1 : 0;
            longest = Math.max(longest, stretch);
            if (none && i > from) {
                still++;
            }
        }
        c.put(STILL, Integer.toString(still));
        c.put(LONGEST_STILL, Integer.toString(longest));
        c.put(PLAYOUT, fmt(median(perSecond(samples, from, (a, b) -> b.browserSince(a, "jitterBufferEmittedCount") > 0
                ? 1000 * b.browserSince(a, "jitterBufferDelay") / b.browserSince(a, "jitterBufferEmittedCount") : Double.NaN)), 1));
        c.put(RECEIVED, fmt(last.browserSince(start, "bytesReceived") * 8 / window / 1000, 0));
        c.put(SENT, fmt(last.sentKbpsSince(start), 0));
        c.put(FIRST_SENDS, fmt((last.serverSent().bytesSent() - start.serverSent().bytesSent()) * 8 / window / 1000, 0));
        c.put(RETX, fmt((last.serverSent().retransmissions() - start.serverSent().retransmissions()) / window, 1));
        c.put(NACK_PLI, last.serverSent().nacksReceived() + " / " + last.serverSent().keyframeRequests());
        c.put(LOST, fmt(Math.max(0, last.browser("packetsLost")), 0) + " / " + fmt(Math.max(0, last.browser("pliCount")), 0));
        c.put(RTT, fmt(median(perSecond(samples, from, (a, b) -> b.browser("rtt") < 0 ? Double.NaN : 1000 * b.browser("rtt"))), 1));
        c.put(RELAY_DOWN, fmt(last.toClient().bytesIn() / 1e6, 1) + " / " + fmt(last.toClient().bytesForwarded() / 1e6, 1));
        c.put(RELAY_DROPS, last.toClient().packetsOverflowed() + " / " + last.toClient().packetsLost());
        double longestWait = 0;
        for (LinkSample s : samples) {
            longestWait = Math.max(longestWait, s.toClient().maxQueueDelayMillis());
        }
        c.put(RELAY_QUEUE, fmt(longestWait, 1));
        c.put(RELAY_UP, last.toServer().packetsIn() + " / " + last.toServer().packetsLost());
        List<String> notes = new ArrayList<>();
        notes.add("relay to browser, whole run (queue peak: the last second): " + last.toClient());
        notes.add("relay to server, whole run (queue peak: the last second):  " + last.toServer());
        if (scenario.steps().size() > 1) {
            stepFigures(scenario, samples, c, notes);
        }
        return new ScenarioResult(scenario, c, notes);
    }

    /** Per-phase figures, and the seconds the send rate took to follow the drop and the rise of capacity. */
    private static void stepFigures(NetworkScenario scenario, List<LinkSample> samples, Map<String, String> c, List<String> phases) {
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
        for (int i = 1; i < steps.size(); i++) {
            int at = steps.get(i).atSecond();
            int end = i + 1 < steps.size() ? steps.get(i + 1).atSecond() : scenario.seconds();
            int capacity = steps.get(i).toClient().rateKbps();
            boolean drop = capacity < steps.get(i - 1).toClient().rateKbps();
            String found = "not within " + (end - at) + " s";
            for (int t = at + 1; t <= end && t < samples.size(); t++) {
                LinkSample a = samples.get(t - 1);
                LinkSample b = samples.get(t);
                double sent = b.sentKbpsSince(a);
                double received = b.browserSince(a, "bytesReceived") * 8 / (b.seconds() - a.seconds()) / 1000;
                if (drop ? sent < capacity : received >= 0.8 * capacity) {
                    found = Integer.toString(t - at);
                    break;
                }
            }
            c.put(drop ? STEP_DOWN : STEP_UP, found);
        }
    }

    private interface Pair {
        double of(LinkSample a, LinkSample b);
    }

    private static double[] perSecond(List<LinkSample> samples, int from, Pair f) {
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

    private static String fmt(double v, int decimals) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
