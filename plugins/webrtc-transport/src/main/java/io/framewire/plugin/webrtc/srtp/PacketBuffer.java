package io.framewire.plugin.webrtc.srtp;

import org.jitsi.utils.ByteArrayBuffer;

/**
 * A reusable, mutable {@link ByteArrayBuffer} view of {@code buf[offset, offset+length)}, through
 * which jitsi-srtp transforms a packet in place. It never reallocates: {@link #grow(int)} and
 * {@link #append(byte[], int)} only succeed when the array already has the room after the packet
 * (the caller of {@code SrtpContext.protect*} provides {@code maxOverhead()} spare bytes).
 * Not thread-safe; {@link SrtpContext} uses one per lock.
 */
final class PacketBuffer implements ByteArrayBuffer {
    private byte[] buffer;
    private int offset;
    private int length;

    /** Points this view at a packet. */
    PacketBuffer wrap(byte[] buf, int off, int len) {
        if (off < 0 || len < 0 || off + len > buf.length) {
            throw new IllegalArgumentException("packet [" + off + ", " + (off + len) + ") outside array of "
                    + buf.length + " bytes");
        }
        buffer = buf;
        offset = off;
        length = len;
        return this;
    }

    /**
     * Ends a transformation: checks that the packet is still where the caller has it and releases
     * the array.
     *
     * @return the packet's new length
     */
    int finish(byte[] buf, int off) {
        byte[] b = buffer;
        int o = offset;
        buffer = null;
        if (b != buf || o != off) {
            throw new IllegalStateException("jitsi-srtp moved the packet to another array or offset");
        }
        return length;
    }

    @Override
    public byte[] getBuffer() {
        return buffer;
    }

    @Override
    public int getOffset() {
        return offset;
    }

    @Override
    public int getLength() {
        return length;
    }

    @Override
    public void setLength(int len) {
        if (len < 0 || offset + len > buffer.length) {
            throw new IllegalArgumentException("length " + len + " does not fit the array");
        }
        length = len;
    }

    @Override
    public void setOffset(int off) {
        if (off < 0 || off + length > buffer.length) {
            throw new IllegalArgumentException("offset " + off + " does not fit the array");
        }
        offset = off;
    }

    @Override
    public boolean isInvalid() {
        return buffer == null || offset < 0 || length < 0 || offset + length > buffer.length;
    }

    @Override
    public void readRegionToBuff(int off, int len, byte[] out) {
        System.arraycopy(buffer, offset + off, out, 0, len);
    }

    /** Checks that {@code howMuch} more bytes fit after the packet; never reallocates. */
    @Override
    public void grow(int howMuch) {
        if (howMuch < 0) {
            throw new IllegalArgumentException("grow by " + howMuch);
        }
        if (offset + length + howMuch > buffer.length) {
            throw new IllegalArgumentException("SRTP needs " + howMuch + " spare bytes after the packet, the array has "
                    + (buffer.length - offset - length));
        }
    }

    @Override
    public void append(byte[] data, int len) {
        grow(len);
        System.arraycopy(data, 0, buffer, offset + length, len);
        length += len;
    }

    @Override
    public void shrink(int len) {
        if (len < 0 || len > length) {
            throw new IllegalArgumentException("shrink by " + len + " of " + length);
        }
        length -= len;
    }
}
