package io.framewire.benchmarks;

import io.framewire.testing.net.LinkProfile;
import io.framewire.testing.net.UdpImpairmentRelay;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Arrays;
import java.util.Locale;

/**
 * What the impairment relay itself adds to a round trip (docs/network-harness.md): 1200-byte UDP
 * echoes on loopback, one at a time, straight to an echo server on 127.0.0.1, then through a
 * {@link UdpImpairmentRelay} on 127.0.0.2 with no delay and with {@code delayMillis} each way.
 *
 * <pre>
 * java -cp ... io.framewire.benchmarks.RelayOverheadBenchmark [roundTrips=500] [delayMillis=10]
 * </pre>
 */
public final class RelayOverheadBenchmark {
    private static final int WARMUP = 100;

    private RelayOverheadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        double delay = args.length > 1 ? Double.parseDouble(args[1]) : 10;
        InetAddress server = InetAddress.getByName("127.0.0.1");
        InetAddress relayAddress = InetAddress.getByName("127.0.0.2");
        System.out.printf(Locale.ROOT, "RelayOverheadBenchmark: %d round trips of 1200 bytes after %d warm-up, %d CPUs, load average %s%n",
                n, WARMUP, Runtime.getRuntime().availableProcessors(), SyntheticFrames.loadAverage());
        try (DatagramChannel echo = DatagramChannel.open(StandardProtocolFamily.INET).bind(new InetSocketAddress(server, 0));
             DatagramChannel client = DatagramChannel.open(StandardProtocolFamily.INET).bind(new InetSocketAddress(server, 0))) {
            Thread echoThread = new Thread(() -> echo(echo), "echo");
            echoThread.setDaemon(true);
            echoThread.start();
            int port = ((InetSocketAddress) echo.getLocalAddress()).getPort();
            print("direct, no relay", roundTrips(client, new InetSocketAddress(server, port), n));
            for (double d : new double[]{0, delay}) {
                LinkProfile p = LinkProfile.CLEAN.withDelayMillis(d);
                try (UdpImpairmentRelay relay = new UdpImpairmentRelay(relayAddress, server, p, p)) {
                    relay.mirror(port);
                    print("through the relay, " + p, roundTrips(client, new InetSocketAddress(relayAddress, port), n));
                }
            }
        }
    }

    private static double[] roundTrips(DatagramChannel client, SocketAddress to, int n) throws Exception {
        double[] ms = new double[n];
        ByteBuffer in = ByteBuffer.allocate(2000);
        for (int i = -WARMUP; i < n; i++) {
            long t0 = System.nanoTime();
            client.send(ByteBuffer.wrap(new byte[1200]), to);
            in.clear();
            client.receive(in);
            if (i >= 0) {
                ms[i] = (System.nanoTime() - t0) / 1e6;
            }
            Thread.sleep(2);
        }
        Arrays.sort(ms);
        return ms;
    }

    private static void print(String what, double[] s) {
        System.out.printf(Locale.ROOT, "  %-62s: round trip p50 %7.3f  p90 %7.3f  p99 %7.3f  max %7.3f ms%n", what,
                SyntheticFrames.percentile(s, 50), SyntheticFrames.percentile(s, 90), SyntheticFrames.percentile(s, 99), s[s.length - 1]);
    }

    private static void echo(DatagramChannel channel) {
        ByteBuffer b = ByteBuffer.allocate(2000);
        try {
            while (true) {
                b.clear();
                SocketAddress from = channel.receive(b);
                b.flip();
                channel.send(b, from);
            }
        } catch (IOException e) {
            // closed
        }
    }
}
