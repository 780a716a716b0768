package io.framewire.testing.net;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The relay on real loopback sockets (127.0.0.2 in front of a server on 127.0.0.1, as with the
 * WebRTC transport's {@code mediaAddresses}), with real time: tolerances allow for a busy machine.
 */
class UdpImpairmentRelayTest {
    private static final InetAddress SERVER_IP = ip("127.0.0.1");
    private static final InetAddress RELAY_IP = ip("127.0.0.2");

    private EchoServer server;
    private UdpImpairmentRelay relay;
    private DatagramChannel client;

    @BeforeEach
    void setUp() throws IOException {
        server = new EchoServer();
        client = DatagramChannel.open(StandardProtocolFamily.INET).bind(new InetSocketAddress(SERVER_IP, 0));
        client.socket().setSoTimeout(2000);
    }

    @AfterEach
    void tearDown() throws IOException {
        if (relay != null) {
            relay.close();
        }
        server.close();
        client.close();
    }

    @Test
    void aMirroredPortForwardsBothWaysAndTheServerAnswersTheRelaysSocket() throws Exception {
        relay = new UdpImpairmentRelay(RELAY_IP, SERVER_IP, LinkProfile.CLEAN, LinkProfile.CLEAN);
        relay.mirror(server.port());
        InetSocketAddress relayAddress = new InetSocketAddress(RELAY_IP, server.port());
        client.send(ByteBuffer.wrap("hello".getBytes()), relayAddress);

        ByteBuffer buf = ByteBuffer.allocate(100);
        InetSocketAddress from = receive(client, buf);
        assertEquals("hello", new String(buf.array(), 0, buf.position()));
        assertEquals(relayAddress, from, "the answer comes from the address the client sent to");
        InetSocketAddress seenByServer = server.lastSource.get();
        assertNotEquals(client.getLocalAddress(), seenByServer, "the server sees the relay, not the client");
        assertEquals(SERVER_IP, seenByServer.getAddress());

        List<UdpImpairmentRelay.FlowStats> flows = relay.flows();
        assertEquals(1, flows.size());
        assertEquals(client.getLocalAddress(), flows.get(0).client());
        assertEquals(1, flows.get(0).toServer().packetsForwarded());
        assertEquals(5, flows.get(0).toServer().bytesForwarded());
        assertEquals(1, flows.get(0).toClient().packetsForwarded());
        assertEquals(relay.totalToClient().packetsIn(), 1);
    }

    @Test
    void theRateLimitHoldsOnRealSocketsAndTheOverflowIsCounted() throws Exception {
        LinkProfile bottleneck = LinkProfile.CLEAN.withRateKbps(1000).withQueueMillis(100);
        relay = new UdpImpairmentRelay(RELAY_IP, SERVER_IP, bottleneck, LinkProfile.CLEAN);
        relay.mirror(server.port());
        server.echo = false;
        double kbps = blast(3000, 3, 1);
        assertEquals(1000, kbps, 100, "received rate through a 1000 kbit/s bottleneck, offered 3000");
        LinkStats up = relay.totalToServer();
        assertTrue(up.packetsOverflowed() > up.packetsIn() / 2, "about 2/3 overflow: " + up);
        assertTrue(up.queueHighWaterBytes() <= bottleneck.queueLimitBytes(), up.toString());
        assertTrue(up.maxQueueDelayMillis() > 80 && up.maxQueueDelayMillis() <= 101, "a full queue is 100 ms: " + up);
        assertEquals(0, up.packetsLost());
    }

    @Test
    void theRateChangesWhileRunning() throws Exception {
        LinkProfile fast = LinkProfile.CLEAN.withRateKbps(2000).withQueueMillis(50);
        relay = new UdpImpairmentRelay(RELAY_IP, SERVER_IP, fast, LinkProfile.CLEAN);
        relay.mirror(server.port());
        server.echo = false;
        assertEquals(2000, blast(4000, 2, 0.5), 200);
        relay.setToServer(fast.withRateKbps(500));
        assertEquals(500, blast(4000, 2, 0.5), 60);
        relay.setToServer(fast);
        assertEquals(2000, blast(4000, 2, 0.5), 200);
    }

    @Test
    void delayAndLossApplyPerDirection() throws Exception {
        relay = new UdpImpairmentRelay(RELAY_IP, SERVER_IP, LinkProfile.CLEAN.withDelayMillis(30),
                LinkProfile.CLEAN.withDelayMillis(20));
        relay.mirror(server.port());
        InetSocketAddress to = new InetSocketAddress(RELAY_IP, server.port());
        double[] rtts = new double[20];
        ByteBuffer buf = ByteBuffer.allocate(100);
        for (int i = 0; i < rtts.length; i++) {
            long t0 = System.nanoTime();
            client.send(ByteBuffer.wrap(new byte[]{(byte) i}), to);
            receive(client, buf.clear());
            rtts[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(rtts);
        assertTrue(rtts[0] >= 50, "no echo before 30 + 20 ms: " + rtts[0]);
        assertTrue(rtts[rtts.length / 2] < 75, "median round trip close to 50 ms: " + rtts[rtts.length / 2]);

        // 20 % loss towards the server, none back: 500 datagrams, about 100 lost
        relay.setToServer(LinkProfile.CLEAN.withLossPercent(20).withSeed(5));
        relay.setToClient(LinkProfile.CLEAN);
        server.echo = false;
        LinkStats before = relay.totalToServer();
        for (int i = 0; i < 500; i++) {
            client.send(ByteBuffer.wrap(new byte[]{1}), to);
        }
        awaitQuiet();
        LinkStats up = relay.totalToServer().since(before);
        assertEquals(500, up.packetsIn());
        assertTrue(up.packetsLost() > 60 && up.packetsLost() < 140, "20 % of 500: " + up.packetsLost());
        assertEquals(500 - up.packetsLost(), up.packetsForwarded());
    }

    @Test
    void followingAProcessMirrorsItsNewPortsAndDropsClosedOnes() throws Exception {
        relay = new UdpImpairmentRelay(RELAY_IP, SERVER_IP, LinkProfile.CLEAN, LinkProfile.CLEAN);
        relay.followServerPorts(ProcessHandle.current().pid(), 10);
        assertTrue(relay.listeningPorts().contains(server.port()), "an existing port is mirrored at once");
        assertTrue(relay.listeningPorts().contains(((InetSocketAddress) client.getLocalAddress()).getPort()),
                "every UDP port of the process on the server address is mirrored, the test's client's too");

        EchoServer later = new EchoServer();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (!relay.listeningPorts().contains(later.port()) && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertTrue(relay.listeningPorts().contains(later.port()), "a new port is mirrored within a poll");
            client.send(ByteBuffer.wrap("x".getBytes()), new InetSocketAddress(RELAY_IP, later.port()));
            ByteBuffer buf = ByteBuffer.allocate(10);
            receive(client, buf);
            assertEquals(1, buf.position());
            int relaySocket = later.lastSource.get().getPort();
            Thread.sleep(100); // several polls after the relay opened its socket towards the server
            assertFalse(relay.listeningPorts().contains(relaySocket), "the relay's own socket is not mirrored");
        } finally {
            later.close();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (relay.listeningPorts().contains(later.port()) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertFalse(relay.listeningPorts().contains(later.port()), "a closed port is no longer mirrored");
        assertTrue(relay.errors().isEmpty(), relay.errors().toString());
    }

    /**
     * Sends 1200-byte datagrams at {@code offeredKbps} for {@code seconds} to the relay's mirror of the
     * server and returns the rate the server received after {@code settleSeconds}, kbit/s.
     */
    private double blast(int offeredKbps, double seconds, double settleSeconds) throws Exception {
        InetSocketAddress to = new InetSocketAddress(RELAY_IP, server.port());
        long interval = (long) (1200 * 8.0 / (offeredKbps * 1000.0) * 1e9);
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        long settle = start + (long) (settleSeconds * 1e9);
        long bytesAtSettle = -1;
        ByteBuffer payload = ByteBuffer.allocate(1200);
        for (long next = start; next < end; next += interval) {
            long now;
            while ((now = System.nanoTime()) < next) {
                LockSupport.parkNanos(next - now);
            }
            if (bytesAtSettle < 0 && now >= settle) {
                bytesAtSettle = server.bytes.get();
            }
            client.send(payload.clear(), to);
        }
        long bytes = server.bytes.get() - bytesAtSettle;
        double kbps = bytes * 8.0 / ((System.nanoTime() - settle) / 1e9) / 1000;
        awaitQuiet();
        return kbps;
    }

    /** Waits until the relay's queues are empty and nothing arrived for 200 ms. */
    private void awaitQuiet() throws InterruptedException {
        long last = -1;
        while (true) {
            Thread.sleep(200);
            long now = server.bytes.get();
            if (now == last && relay.totalToServer().queuedBytes() == 0) {
                return;
            }
            last = now;
        }
    }

    private static InetSocketAddress receive(DatagramChannel channel, ByteBuffer buf) throws IOException {
        channel.configureBlocking(false);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (System.nanoTime() < deadline) {
            InetSocketAddress from = (InetSocketAddress) channel.receive(buf);
            if (from != null) {
                return from;
            }
            LockSupport.parkNanos(200_000);
        }
        throw new SocketTimeoutException("nothing received within 2 s");
    }

    private static InetAddress ip(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A UDP server on 127.0.0.1 that counts what it receives and (while {@link #echo}) echoes it. */
    private static final class EchoServer implements AutoCloseable {
        final DatagramChannel channel;
        final int port;
        final AtomicLong bytes = new AtomicLong();
        final AtomicReference<InetSocketAddress> lastSource = new AtomicReference<>();
        final List<Thread> threads = new ArrayList<>();
        volatile boolean echo = true;

        EchoServer() throws IOException {
            channel = DatagramChannel.open(StandardProtocolFamily.INET).bind(new InetSocketAddress(SERVER_IP, 0));
            port = ((InetSocketAddress) channel.getLocalAddress()).getPort();
            Thread t = new Thread(this::loop, "echo-" + port());
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }

        int port() {
            return port;
        }

        private void loop() {
            ByteBuffer buf = ByteBuffer.allocate(65536);
            while (channel.isOpen()) {
                try {
                    buf.clear();
                    InetSocketAddress from = (InetSocketAddress) channel.receive(buf);
                    lastSource.set(from);
                    bytes.addAndGet(buf.position());
                    if (echo) {
                        buf.flip();
                        channel.send(buf, from);
                    }
                } catch (IOException e) {
                    return;
                }
            }
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
