package io.framewire.testing.receiver;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Common part of the H.264 (RFC 6184) and H.265 (RFC 7798) depacketizers: single NAL unit packets,
 * aggregation packets (STAP-A / AP: 16-bit size + NAL unit each) and fragmentation units (FU-A / FU),
 * written out as Annex B with 4-byte start codes. No DONL (interleaving is not negotiated).
 */
abstract class NalUnitDepacketizer implements Depacketizer {
    private static final byte[] START_CODE = {0, 0, 0, 1};

    private final int headerSize;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final List<Integer> types = new ArrayList<>();
    private ByteArrayOutputStream fragment;

    NalUnitDepacketizer(int headerSize) {
        this.headerSize = headerSize;
    }

    /** @return the NAL unit type in a (payload) header at {@code data[off..]} */
    abstract int type(byte[] data, int off);

    abstract int aggregationType();

    abstract int fragmentationType();

    /** Writes the NAL header of a fragmented unit, from the payload header and the FU header's type. */
    abstract void writeFragmentedHeader(byte[] data, int off, int fuType, ByteArrayOutputStream to);

    /** @return true if a NAL unit of this type lets a decoder start */
    abstract boolean isRandomAccess(int type);

    @Override
    public void payload(byte[] data, int off, int len) {
        if (len < headerSize + 1) {
            throw new IllegalArgumentException("payload of " + len + " bytes");
        }
        int type = type(data, off);
        if (type == aggregationType()) {
            int pos = off + headerSize;
            int end = off + len;
            while (pos < end) {
                if (pos + 2 > end) {
                    throw new IllegalArgumentException("aggregation packet: truncated size field");
                }
                int size = ((data[pos] & 0xFF) << 8) | (data[pos + 1] & 0xFF);
                pos += 2;
                if (size == 0 || pos + size > end) {
                    throw new IllegalArgumentException("aggregation packet: NAL unit of " + size + " bytes");
                }
                nal(data, pos, size);
                pos += size;
            }
        } else if (type == fragmentationType()) {
            int fu = data[off + headerSize] & 0xFF;
            boolean start = (fu & 0x80) != 0;
            boolean end = (fu & 0x40) != 0;
            int fuType = fu & (headerSize == 1 ? 0x1F : 0x3F);
            if (start) {
                fragment = new ByteArrayOutputStream();
                writeFragmentedHeader(data, off, fuType, fragment);
            } else if (fragment == null) {
                throw new IllegalArgumentException("fragment without its start");
            }
            fragment.write(data, off + headerSize + 1, len - headerSize - 1);
            if (end) {
                byte[] nal = fragment.toByteArray();
                fragment = null;
                nal(nal, 0, nal.length);
            }
        } else {
            nal(data, off, len);
        }
    }

    private void nal(byte[] data, int off, int len) {
        out.writeBytes(START_CODE);
        out.write(data, off, len);
        types.add(type(data, off));
    }

    @Override
    public byte[] finish() {
        if (fragment != null) {
            reset();
            throw new IllegalArgumentException("access unit ends inside a fragmented NAL unit");
        }
        byte[] au = out.toByteArray();
        reset();
        return au;
    }

    @Override
    public void reset() {
        out.reset();
        types.clear();
        fragment = null;
    }

    @Override
    public boolean isKeyframe(byte[] accessUnit) {
        for (int i = 0; i + 4 < accessUnit.length; i++) {
            if (accessUnit[i] == 0 && accessUnit[i + 1] == 0 && accessUnit[i + 2] == 1) {
                if (isRandomAccess(type(accessUnit, i + 3))) {
                    return true;
                }
                i += 2;
            }
        }
        return false;
    }
}
