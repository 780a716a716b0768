package io.framewire.testing.receiver;

import java.io.ByteArrayOutputStream;

/** RFC 6184 packetization-mode 1: single NAL unit, STAP-A (24), FU-A (28). */
public final class H264Depacketizer extends NalUnitDepacketizer {
    static final int IDR = 5;

    public H264Depacketizer() {
        super(1);
    }

    @Override
    int type(byte[] data, int off) {
        return data[off] & 0x1F;
    }

    @Override
    int aggregationType() {
        return 24;
    }

    @Override
    int fragmentationType() {
        return 28;
    }

    @Override
    void writeFragmentedHeader(byte[] data, int off, int fuType, ByteArrayOutputStream to) {
        to.write((data[off] & 0xE0) | fuType); // F and NRI from the FU indicator
    }

    @Override
    boolean isRandomAccess(int type) {
        return type == IDR;
    }
}
