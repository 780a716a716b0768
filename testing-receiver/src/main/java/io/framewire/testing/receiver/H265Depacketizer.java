package io.framewire.testing.receiver;

import java.io.ByteArrayOutputStream;

/** RFC 7798 without DONL: single NAL unit, AP (48), FU (49). */
public final class H265Depacketizer extends NalUnitDepacketizer {

    public H265Depacketizer() {
        super(2);
    }

    @Override
    int type(byte[] data, int off) {
        return (data[off] >> 1) & 0x3F;
    }

    @Override
    int aggregationType() {
        return 48;
    }

    @Override
    int fragmentationType() {
        return 49;
    }

    @Override
    void writeFragmentedHeader(byte[] data, int off, int fuType, ByteArrayOutputStream to) {
        to.write((data[off] & 0x81) | (fuType << 1)); // F and the LayerId high bit kept
        to.write(data[off + 1]); // LayerId low bits, TID
    }

    @Override
    boolean isRandomAccess(int type) {
        return type >= 16 && type <= 21; // BLA, IDR, CRA
    }
}
