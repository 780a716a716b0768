package io.framewire.plugin.webrtc.rtp;

/**
 * The last {@code capacity} sent RTP packets, by sequence number, for answering NACKs.
 *
 * <p>Slot {@code seq % capacity} holds a copy of the packet; a newer packet whose sequence number
 * maps to the same slot replaces it. Thread-safe (synchronised): the sender stores, the RTCP thread
 * reads.
 */
public final class RtpHistory implements PacketSink {

    /** Default number of packets kept. */
    public static final int DEFAULT_CAPACITY = 512;

    private final byte[][] packets;
    private final int[] sequences;

    /** Creates a history of {@value #DEFAULT_CAPACITY} packets. */
    public RtpHistory() {
        this(DEFAULT_CAPACITY);
    }

    /** @param capacity packets kept, 1..65536 */
    public RtpHistory(int capacity) {
        if (capacity < 1 || capacity > 65536) {
            throw new IllegalArgumentException("capacity must be 1..65536, got " + capacity);
        }
        packets = new byte[capacity][];
        sequences = new int[capacity];
    }

    /**
     * Stores a copy of an RTP packet under the sequence number in its header.
     *
     * @param packet buffer holding the packet from index 0
     * @param length packet length
     * @throws IllegalArgumentException if {@code packet[0, length)} is not an RTP packet
     */
    public synchronized void store(byte[] packet, int length) {
        int seq = RtpPacket.wrap(packet, 0, length).sequenceNumber();
        int slot = seq % packets.length;
        byte[] copy = packets[slot];
        if (copy == null || copy.length != length) {
            copy = new byte[length];
        }
        System.arraycopy(packet, 0, copy, 0, length);
        packets[slot] = copy;
        sequences[slot] = seq;
    }

    /** Same as {@link #store}, so the history can be chained as a sink. */
    @Override
    public void accept(byte[] packet, int length, boolean marker) {
        store(packet, length);
    }

    /**
     * @param sequence an RTP sequence number (low 16 bits used)
     * @return a copy of the packet sent with that number, or null if it is no longer (or never was) kept
     */
    public synchronized byte[] get(int sequence) {
        int seq = sequence & 0xFFFF;
        int slot = seq % packets.length;
        byte[] p = packets[slot];
        return p != null && sequences[slot] == seq ? p.clone() : null;
    }

    /** @return the number of packets kept at most */
    public int capacity() {
        return packets.length;
    }
}
