package io.framewire.testing.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A user-space UDP impairment relay for loopback tests (no root, no {@code netem}): it sits between
 * clients (a browser) and a UDP server (the WebRTC transport's media ports), forwards both
 * directions and applies a {@link LinkProfile} per direction through an {@link ImpairedLink} per
 * client and direction.
 *
 * <p><b>Addresses.</b> The relay listens on its own address ({@code listenAddress}, e.g.
 * {@code 127.0.0.2}: on Linux all of 127.0.0.0/8 is loopback, no setup needed) and reaches the
 * server on {@code serverAddress} (e.g. {@code 127.0.0.1}). {@link #forward} opens one listening
 * port for one server socket address; {@link #mirror(int)} listens on the <em>same port number</em>
 * as the server's port. That is what makes it work with a server that announces only an IP address
 * and its own ports, such as Framewire's WebRTC transport: with {@code bindAddress=127.0.0.1} and
 * {@code mediaAddresses=127.0.0.2} its ICE-lite host candidate is {@code 127.0.0.2:P} for a media
 * port {@code 127.0.0.1:P}, so the browser's checks and media go to the relay's mirror of {@code P}.
 * {@link #followServerPorts} mirrors each new UDP port of a process (see {@link ServerPortWatcher}).
 *
 * <p><b>Clients.</b> Each source address that sends to a listening port is a client (a flow): it
 * gets its own socket towards the server, bound to {@code serverAddress} with a free port, so the
 * server sees one distinct address per client and answers to it; the server's answers are sent to
 * the client from the listening port. (ICE connectivity checks therefore reach the server from the
 * relay's socket, and the server's selected address is that socket.) Each flow has two links:
 * to the server and to the client; their profiles are the relay's current ones, changed for every
 * flow at once with {@link #setToServer} / {@link #setToClient} while running.
 *
 * <p><b>Threads.</b> One receive thread per listening port and per flow, and one clock thread that
 * delivers due datagrams ({@link ImpairedLink#poll}) and sleeps until the next one. Datagrams are
 * copied once on receipt. Timing resolution is that of {@link LockSupport#parkNanos} (about 0.1 ms
 * here); a datagram sent late keeps the link's accounting exact (the bottleneck works in virtual time).
 */
public final class UdpImpairmentRelay implements AutoCloseable {
    private static final int MAX_DATAGRAM = 65536;
    private static final long IDLE_PARK_NANOS = 50_000_000L;
    private static final int MAX_ERRORS_KEPT = 100;

    private final InetAddress listenAddress;
    private final InetAddress serverAddress;
    private final Map<Integer, Listener> listeners = new ConcurrentHashMap<>();
    private final List<Flow> flows = new CopyOnWriteArrayList<>();
    private final Set<Integer> ownServerSidePorts = ConcurrentHashMap.newKeySet();
    private final List<String> errors = new CopyOnWriteArrayList<>();
    private final AtomicLong sendErrors = new AtomicLong();
    private final Object portLock = new Object();
    private final Thread clock;
    private volatile LinkProfile toServer;
    private volatile LinkProfile toClient;
    private volatile boolean closed;
    private volatile ServerPortWatcher watcher;

    /**
     * Starts a relay with no listening port yet.
     *
     * @param listenAddress the address clients send to (the one the server announces)
     * @param serverAddress the server's address
     * @param toServer      the impairments from clients to the server
     * @param toClient      the impairments from the server to clients
     */
    public UdpImpairmentRelay(InetAddress listenAddress, InetAddress serverAddress, LinkProfile toServer,
                              LinkProfile toClient) {
        this.listenAddress = Objects.requireNonNull(listenAddress, "listenAddress");
        this.serverAddress = Objects.requireNonNull(serverAddress, "serverAddress");
        this.toServer = Objects.requireNonNull(toServer, "toServer");
        this.toClient = Objects.requireNonNull(toClient, "toClient");
        this.clock = new Thread(this::clockLoop, "impairment-relay-clock");
        clock.setDaemon(true);
        clock.start();
    }

    /** @return the address clients send to */
    public InetAddress listenAddress() {
        return listenAddress;
    }

    /**
     * Listens on {@code listenAddress:serverPort} and forwards to {@code serverAddress:serverPort}.
     * Does nothing if that port is already mirrored.
     *
     * @throws IOException if the port cannot be bound on the listen address
     */
    public void mirror(int serverPort) throws IOException {
        forward(serverPort, new InetSocketAddress(serverAddress, serverPort));
    }

    /**
     * Listens on {@code listenAddress:listenPort} and forwards what arrives to {@code server}.
     *
     * @param listenPort the port to listen on; 0 = any free port
     * @return the port listened on
     * @throws IOException if the port cannot be bound
     */
    public int forward(int listenPort, InetSocketAddress server) throws IOException {
        synchronized (portLock) {
            if (closed) {
                throw new IllegalStateException("relay closed");
            }
            if (listenPort != 0 && listeners.containsKey(listenPort)) {
                return listenPort;
            }
            DatagramChannel channel = open(new InetSocketAddress(listenAddress, listenPort));
            int port = ((InetSocketAddress) channel.getLocalAddress()).getPort();
            Listener listener = new Listener(channel, port, server);
            listeners.put(port, listener);
            listener.start();
            return port;
        }
    }

    /** Stops listening on {@code listenPort} and closes its flows (e.g. the server closed that port). */
    public void unforward(int listenPort) {
        Listener listener = listeners.remove(listenPort);
        if (listener != null) {
            listener.close();
        }
    }

    /**
     * Mirrors every UDP port that process {@code pid} has bound to {@code serverAddress}, now and as
     * they come (polled every {@code pollMillis}); a port that goes away is no longer mirrored. The
     * relay's own sockets (this process) are never mirrored.
     */
    public void followServerPorts(long pid, long pollMillis) {
        watcher = ServerPortWatcher.start(pid, serverAddress, pollMillis, this::mirrorIfServerPort, this::unforward);
    }

    private void mirrorIfServerPort(int port) {
        synchronized (portLock) {
            if (ownServerSidePorts.contains(port) || listeners.containsKey(port) || closed) {
                return;
            }
            try {
                mirror(port);
            } catch (IOException e) {
                error("mirror of port " + port + " failed: " + e);
            }
        }
    }

    /** @return the ports listened on now */
    public Set<Integer> listeningPorts() {
        return Set.copyOf(listeners.keySet());
    }

    /** Changes the client-to-server impairments of every flow, now and for later flows. */
    public void setToServer(LinkProfile profile) {
        toServer = Objects.requireNonNull(profile);
        long now = System.nanoTime();
        for (Flow f : flows) {
            f.toServer.setProfile(profile, now);
        }
        LockSupport.unpark(clock);
    }

    /** Changes the server-to-client impairments of every flow, now and for later flows. */
    public void setToClient(LinkProfile profile) {
        toClient = Objects.requireNonNull(profile);
        long now = System.nanoTime();
        for (Flow f : flows) {
            f.toClient.setProfile(profile, now);
        }
        LockSupport.unpark(clock);
    }

    /** @return the current client-to-server impairments */
    public LinkProfile toServer() {
        return toServer;
    }

    /** @return the current server-to-client impairments */
    public LinkProfile toClient() {
        return toClient;
    }

    /** @return the counters of every flow seen so far (closed ones included) */
    public List<FlowStats> flows() {
        List<FlowStats> out = new ArrayList<>();
        for (Flow f : flows) {
            out.add(new FlowStats(f.client, f.server, f.toServer.stats(), f.toClient.stats()));
        }
        return out;
    }

    /** @return the client-to-server counters summed over all flows */
    public LinkStats totalToServer() {
        LinkStats sum = LinkStats.ZERO;
        for (Flow f : flows) {
            sum = sum.plus(f.toServer.stats());
        }
        return sum;
    }

    /** @return the server-to-client counters summed over all flows */
    public LinkStats totalToClient() {
        LinkStats sum = LinkStats.ZERO;
        for (Flow f : flows) {
            sum = sum.plus(f.toClient.stats());
        }
        return sum;
    }

    /** Restarts every link's queue high-water mark and longest queue wait. */
    public void resetPeaks() {
        for (Flow f : flows) {
            f.toServer.resetPeaks();
            f.toClient.resetPeaks();
        }
    }

    /** @return datagrams the relay failed to send (e.g. the server's port was closed) */
    public long sendErrors() {
        return sendErrors.get();
    }

    /** @return problems met so far (a port that could not be mirrored, a receive failure; the first 100), for the report */
    public List<String> errors() {
        return List.copyOf(errors);
    }

    @Override
    public void close() {
        synchronized (portLock) {
            closed = true;
        }
        ServerPortWatcher w = watcher;
        if (w != null) {
            w.close();
        }
        for (Integer port : List.copyOf(listeners.keySet())) {
            unforward(port);
        }
        LockSupport.unpark(clock);
        try {
            clock.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static DatagramChannel open(InetSocketAddress bind) throws IOException {
        DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET);
        try {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, 1 << 21);
            channel.setOption(StandardSocketOptions.SO_SNDBUF, 1 << 21);
            channel.bind(bind);
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private void clockLoop() {
        while (!closed) {
            long now = System.nanoTime();
            long next = now + IDLE_PARK_NANOS;
            for (Flow f : flows) {
                next = Math.min(next, f.toServer.poll(now, f::sendToServer));
                next = Math.min(next, f.toClient.poll(now, f::sendToClient));
            }
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
        }
    }

    private void receiveFailed(String what, IOException e) {
        if (!closed) {
            error(what + ": " + e);
        }
    }

    private void error(String problem) {
        if (errors.size() < MAX_ERRORS_KEPT) {
            errors.add(problem);
        }
    }

    /** A listening port: clients send here; each new source address becomes a {@link Flow}. */
    private final class Listener {
        final DatagramChannel channel;
        final int port;
        final InetSocketAddress server;
        final Map<InetSocketAddress, Flow> byClient = new ConcurrentHashMap<>();
        final Thread thread;

        Listener(DatagramChannel channel, int port, InetSocketAddress server) {
            this.channel = channel;
            this.port = port;
            this.server = server;
            this.thread = new Thread(this::receiveLoop, "impairment-relay-" + port);
            thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        private void receiveLoop() {
            ByteBuffer buf = ByteBuffer.allocate(MAX_DATAGRAM);
            while (channel.isOpen()) {
                try {
                    buf.clear();
                    InetSocketAddress from = (InetSocketAddress) channel.receive(buf);
                    long now = System.nanoTime();
                    Flow flow = byClient.get(from);
                    if (flow == null) {
                        flow = newFlow(from, now);
                    }
                    buf.flip();
                    byte[] data = new byte[buf.remaining()];
                    buf.get(data);
                    flow.toServer.offer(data, now);
                    LockSupport.unpark(clock);
                } catch (ClosedChannelException e) {
                    return;
                } catch (IOException e) {
                    receiveFailed("receive on port " + port, e);
                }
            }
        }

        private Flow newFlow(InetSocketAddress client, long now) throws IOException {
            synchronized (portLock) {
                DatagramChannel toServer = open(new InetSocketAddress(serverAddress, 0));
                ownServerSidePorts.add(((InetSocketAddress) toServer.getLocalAddress()).getPort());
                toServer.connect(server);
                long salt = flows.size() * 2L;
                Flow flow = new Flow(this, client, server, toServer,
                        new ImpairedLink(UdpImpairmentRelay.this.toServer, salt, now),
                        new ImpairedLink(UdpImpairmentRelay.this.toClient, salt + 1, now));
                byClient.put(client, flow);
                flows.add(flow);
                flow.start();
                return flow;
            }
        }

        void close() {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing
            }
            for (Flow f : byClient.values()) {
                f.close();
            }
        }
    }

    /** One client of one listening port: a socket towards the server and the two links. */
    private final class Flow {
        final Listener listener;
        final InetSocketAddress client;
        final InetSocketAddress server;
        final DatagramChannel toServerChannel;
        final ImpairedLink toServer;
        final ImpairedLink toClient;
        final Thread thread;

        Flow(Listener listener, InetSocketAddress client, InetSocketAddress server, DatagramChannel toServerChannel,
             ImpairedLink toServer, ImpairedLink toClient) {
            this.listener = listener;
            this.client = client;
            this.server = server;
            this.toServerChannel = toServerChannel;
            this.toServer = toServer;
            this.toClient = toClient;
            this.thread = new Thread(this::receiveLoop, "impairment-relay-" + listener.port + "-flow-" + client.getPort());
            thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        /** Datagrams from the server, to the client through the to-client link. */
        private void receiveLoop() {
            ByteBuffer buf = ByteBuffer.allocate(MAX_DATAGRAM);
            while (toServerChannel.isOpen()) {
                try {
                    buf.clear();
                    toServerChannel.receive(buf);
                    long now = System.nanoTime();
                    buf.flip();
                    byte[] data = new byte[buf.remaining()];
                    buf.get(data);
                    toClient.offer(data, now);
                    LockSupport.unpark(clock);
                } catch (ClosedChannelException e) {
                    return;
                } catch (IOException e) {
                    // e.g. ICMP port unreachable on the connected socket: the server's port is gone
                    sendErrors.incrementAndGet();
                    if (!toServerChannel.isOpen()) {
                        return;
                    }
                }
            }
        }

        void sendToServer(byte[] data) {
            try {
                toServerChannel.write(ByteBuffer.wrap(data));
            } catch (IOException e) {
                sendErrors.incrementAndGet();
            }
        }

        void sendToClient(byte[] data) {
            try {
                listener.channel.send(ByteBuffer.wrap(data), client);
            } catch (IOException e) {
                sendErrors.incrementAndGet();
            }
        }

        void close() {
            try {
                toServerChannel.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }

    /**
     * The counters of one client.
     *
     * @param client   the client's address (as the relay sees it)
     * @param server   the server address its datagrams go to
     * @param toServer client-to-server counters
     * @param toClient server-to-client counters
     */
    public record FlowStats(InetSocketAddress client, InetSocketAddress server, LinkStats toServer, LinkStats toClient) {
    }
}
