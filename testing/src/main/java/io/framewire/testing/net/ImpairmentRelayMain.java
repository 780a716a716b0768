package io.framewire.testing.net;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The relay as a program, in front of a server running in another process (e.g. the distribution
 * with {@code bindAddress=127.0.0.1} and {@code mediaAddresses=127.0.0.2} in
 * {@code load/io.framewire.webrtc.cfg}):
 *
 * <pre>
 * java -cp testing/target/classes io.framewire.testing.net.ImpairmentRelayMain \
 *      --pid SERVER_PID [--listen 127.0.0.2] [--server 127.0.0.1] \
 *      [--to-client rate=3000,queue=100ms,delay=20,loss=1] [--to-server delay=20,loss=1] [--report 5]
 * </pre>
 * It mirrors every UDP port the process {@code SERVER_PID} binds to the server address. While it
 * runs, lines on standard input change the links ({@code to-client rate=1500}, {@code to-server
 * loss=0}, {@code both clean}; the syntax of {@link LinkProfile#with(String)}), {@code stats}
 * prints the counters, {@code quit} ends it. Every {@code --report} seconds (0 = never) it prints
 * the rates of the last interval and the counters.
 */
public final class ImpairmentRelayMain {
    private ImpairmentRelayMain() {
    }

    public static void main(String[] args) throws Exception {
        long pid = -1;
        String listen = "127.0.0.2";
        String server = "127.0.0.1";
        LinkProfile toClient = LinkProfile.CLEAN;
        LinkProfile toServer = LinkProfile.CLEAN;
        int report = 5;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--pid" -> pid = Long.parseLong(args[i + 1]);
                case "--listen" -> listen = args[i + 1];
                case "--server" -> server = args[i + 1];
                case "--to-client" -> toClient = toClient.with(args[i + 1]);
                case "--to-server" -> toServer = toServer.with(args[i + 1]);
                case "--report" -> report = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (pid < 0 || args.length % 2 != 0) {
            System.err.println("usage: ImpairmentRelayMain --pid SERVER_PID [--listen 127.0.0.2] [--server 127.0.0.1]"
                    + " [--to-client SETTINGS] [--to-server SETTINGS] [--report SECONDS]");
            System.exit(2);
        }
        try (UdpImpairmentRelay relay = new UdpImpairmentRelay(InetAddress.getByName(listen), InetAddress.getByName(server),
                toServer, toClient)) {
            relay.followServerPorts(pid, 20);
            System.out.printf("relay on %s for process %d's UDP ports on %s%n  to client: %s%n  to server: %s%n", listen, pid, server,
                    relay.toClient(), relay.toServer());
            ScheduledExecutorService reporter = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "relay-report");
                t.setDaemon(true);
                return t;
            });
            if (report > 0) {
                RateReport rates = new RateReport(relay, report);
                reporter.scheduleAtFixedRate(rates::print, report, report, TimeUnit.SECONDS);
            }
            commands(relay);
            reporter.shutdownNow();
        }
    }

    private static void commands(UdpImpairmentRelay relay) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            String[] parts = line.trim().split("\\s+", 2);
            try {
                switch (parts[0]) {
                    case "" -> { }
                    case "quit" -> {
                        return;
                    }
                    case "stats" -> printStats(relay);
                    case "to-client" -> relay.setToClient(relay.toClient().with(parts.length > 1 ? parts[1] : ""));
                    case "to-server" -> relay.setToServer(relay.toServer().with(parts.length > 1 ? parts[1] : ""));
                    case "both" -> {
                        relay.setToClient(relay.toClient().with(parts.length > 1 ? parts[1] : ""));
                        relay.setToServer(relay.toServer().with(parts.length > 1 ? parts[1] : ""));
                    }
                    default -> throw new IllegalArgumentException("commands: to-client|to-server|both SETTINGS, stats, quit");
                }
                if (parts[0].startsWith("to-") || parts[0].equals("both")) {
                    System.out.printf("  to client: %s%n  to server: %s%n", relay.toClient(), relay.toServer());
                }
            } catch (IllegalArgumentException e) {
                System.out.println("? " + e.getMessage());
            }
        }
    }

    private static void printStats(UdpImpairmentRelay relay) {
        System.out.println("ports " + relay.listeningPorts() + ", send errors " + relay.sendErrors() + ", problems " + relay.errors());
        for (UdpImpairmentRelay.FlowStats f : relay.flows()) {
            System.out.printf("  client %s -> server %s%n    to client: %s%n    to server: %s%n", f.client(), f.server(),
                    f.toClient(), f.toServer());
        }
    }

    /** Prints the rates of each interval: what came in and went out of each direction. */
    private static final class RateReport {
        private final UdpImpairmentRelay relay;
        private final int seconds;
        private LinkStats lastDown = LinkStats.ZERO;
        private LinkStats lastUp = LinkStats.ZERO;

        RateReport(UdpImpairmentRelay relay, int seconds) {
            this.relay = relay;
            this.seconds = seconds;
        }

        void print() {
            LinkStats down = relay.totalToClient();
            LinkStats up = relay.totalToServer();
            LinkStats d = down.since(lastDown);
            LinkStats u = up.since(lastUp);
            System.out.printf(Locale.ROOT, "to client: in %.0f kbit/s, out %.0f kbit/s, queue drops %d, lost %d, queue peak %.1f ms"
                            + " | to server: in %.0f kbit/s, out %.0f kbit/s, lost %d%n",
                    d.bytesIn() * 8.0 / seconds / 1000, d.bytesForwarded() * 8.0 / seconds / 1000, d.packetsOverflowed(),
                    d.packetsLost(), down.maxQueueDelayMillis(), u.bytesIn() * 8.0 / seconds / 1000,
                    u.bytesForwarded() * 8.0 / seconds / 1000, u.packetsLost());
            relay.resetPeaks();
            lastDown = down;
            lastUp = up;
        }
    }
}
