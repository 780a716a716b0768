package io.framewire.testing.net;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntConsumer;

/**
 * Watches which UDP ports one process has bound to one IPv4 address, on Linux, without root: it
 * polls {@code /proc/<pid>/fd} (the process's socket inodes) and {@code /proc/net/udp} and
 * {@code /proc/net/udp6} (a dual-stack socket bound to an IPv4 address shows there as
 * {@code ::ffff:a.b.c.d}) and reports ports that appear and disappear. The descriptors are listed
 * only when a socket appears that was not seen before, so a scan costs little more than reading the
 * two socket tables.
 *
 * <p>Used by {@link UdpImpairmentRelay#followServerPorts} to mirror the WebRTC transport's media
 * ports, which are opened per browser with a free port chosen by the kernel. Only processes of the
 * same user can be watched ({@code /proc/<pid>/fd} is private).
 */
public final class ServerPortWatcher implements AutoCloseable {
    private final long pid;
    private final String address;
    private final IntConsumer added;
    private final IntConsumer removed;
    private final Thread thread;
    private final long pollMillis;
    private volatile boolean closed;
    private Set<Integer> known = new TreeSet<>();
    private final Map<String, Boolean> owned = new HashMap<>(); // socket inode -> belongs to pid

    private ServerPortWatcher(long pid, InetAddress address, long pollMillis, IntConsumer added, IntConsumer removed) {
        if (!(address instanceof Inet4Address)) {
            throw new IllegalArgumentException("an IPv4 address is needed, got " + address);
        }
        this.pid = pid;
        this.address = procHex((Inet4Address) address);
        this.pollMillis = pollMillis;
        this.added = added;
        this.removed = removed;
        this.thread = new Thread(this::loop, "server-port-watcher-" + pid);
        thread.setDaemon(true);
    }

    /**
     * Scans once at once (callbacks on the calling thread), then every {@code pollMillis} on a daemon thread.
     *
     * @param pid     the process to watch, e.g. {@code ProcessHandle.current().pid()}
     * @param address the local IPv4 address its sockets are bound to
     * @param added   told each port that appears (also the ones there at the start)
     * @param removed told each port that disappears
     */
    public static ServerPortWatcher start(long pid, InetAddress address, long pollMillis, IntConsumer added,
                                         IntConsumer removed) {
        ServerPortWatcher w = new ServerPortWatcher(pid, address, pollMillis, added, removed);
        w.scan();
        w.thread.start();
        return w;
    }

    /** @return the ports {@code pid} has bound to {@code address} now (one scan) */
    public static Set<Integer> boundPorts(long pid, InetAddress address) throws IOException {
        if (!(address instanceof Inet4Address)) {
            throw new IllegalArgumentException("an IPv4 address is needed, got " + address);
        }
        return ports(pid, procHex((Inet4Address) address), new HashMap<>());
    }

    private void loop() {
        while (!closed) {
            try {
                Thread.sleep(pollMillis);
            } catch (InterruptedException e) {
                return;
            }
            scan();
        }
    }

    private synchronized void scan() {
        Set<Integer> now;
        try {
            now = ports(pid, address, owned);
        } catch (IOException e) {
            return; // the process is gone or /proc is not readable: nothing new
        }
        for (Integer p : now) {
            if (!known.contains(p) && !closed) {
                added.accept(p);
            }
        }
        for (Integer p : known) {
            if (!now.contains(p) && !closed) {
                removed.accept(p);
            }
        }
        known = now;
    }

    /**
     * The ports of sockets bound to {@code hexAddress} whose inode belongs to {@code pid}. The socket
     * tables are read every time; the process's descriptors only when a socket not seen before is
     * there ({@code ownership} remembers each inode's answer), so a steady scan is cheap.
     */
    private static Set<Integer> ports(long pid, String hexAddress, Map<String, Boolean> ownership) throws IOException {
        Map<String, Integer> portByInode = new HashMap<>();
        for (String table : List.of("/proc/net/udp", "/proc/net/udp6")) {
            Path path = Path.of(table);
            if (!Files.isReadable(path)) {
                continue;
            }
            List<String> lines = Files.readAllLines(path);
            for (int i = 1; i < lines.size(); i++) {
                String[] f = lines.get(i).trim().split("\\s+");
                if (f.length < 10) {
                    continue;
                }
                String local = f[1];
                int colon = local.indexOf(':');
                String ip = local.substring(0, colon);
                if (ip.equals(hexAddress) || ip.equals("0000000000000000FFFF0000" + hexAddress)) {
                    portByInode.put(f[9], Integer.parseInt(local.substring(colon + 1), 16));
                }
            }
        }
        ownership.keySet().retainAll(portByInode.keySet());
        if (!ownership.keySet().containsAll(portByInode.keySet())) {
            Set<String> inodes = socketInodes(pid);
            for (String inode : portByInode.keySet()) {
                ownership.computeIfAbsent(inode, inodes::contains);
            }
        }
        Set<Integer> out = new TreeSet<>();
        portByInode.forEach((inode, port) -> {
            if (ownership.get(inode)) {
                out.add(port);
            }
        });
        return out;
    }

    private static Set<String> socketInodes(long pid) throws IOException {
        Set<String> inodes = new HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : fds) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException e) {
                    // closed while we looked
                }
            }
        }
        return inodes;
    }

    /** /proc/net/udp writes an IPv4 address as the hex of its 32 bits in host (little-endian) order. */
    private static String procHex(Inet4Address address) {
        byte[] b = address.getAddress();
        return String.format(Locale.ROOT, "%02X%02X%02X%02X", b[3], b[2], b[1], b[0]);
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
