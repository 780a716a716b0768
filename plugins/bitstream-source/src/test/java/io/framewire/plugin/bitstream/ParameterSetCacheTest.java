package io.framewire.plugin.bitstream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewire.api.Codec;
import io.framewire.api.InvalidFrameException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Parameter-set caching and the late-joiner start, checked by decoding with FFmpeg: the start built
 * from the cache plus the frames after it decode cleanly, while the bare keyframe (parameter sets
 * stripped) does not.
 */
class ParameterSetCacheTest {

    /** A copy of an access unit without the units of the given types (real bytes, units removed). */
    static ByteBuffer without(ByteBuffer au, Codec codec, Set<Integer> types) {
        AccessUnit a = AccessUnit.analyze(au, codec);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Unit u : a.units()) {
            if (!types.contains(u.type())) {
                byte[] b = new byte[u.end() - u.start()];
                au.get(u.start(), b);
                out.write(b, 0, b.length);
            }
        }
        return ByteBuffer.wrap(out.toByteArray());
    }

    private static Set<Integer> paramTypes(Codec codec) {
        return switch (codec) {
            case H264 -> Set.of(AnnexB.H264_SPS, AnnexB.H264_PPS);
            case H265 -> Set.of(AnnexB.H265_VPS, AnnexB.H265_SPS, AnnexB.H265_PPS);
            default -> Set.of(Obus.SEQUENCE_HEADER);
        };
    }

    /**
     * Feeds a stream whose second keyframe (packet 4) has its parameter sets removed, then checks the
     * late-joiner start: it carries them again, and with packets 5.. it decodes cleanly.
     */
    private static void lateJoiner(List<TestEncoder.Packet> packets, Codec codec, String... decoders) {
        ParameterSetCache cache = new ParameterSetCache(codec, Streams.W, Streams.H);
        assertNull(cache.decodableStart(), "nothing before any access unit");
        List<ByteBuffer> fed = new ArrayList<>();
        for (int i = 0; i < packets.size(); i++) {
            ByteBuffer b = packets.get(i).buffer();
            fed.add(i == 0 ? b : without(b, codec, paramTypes(codec)));
        }
        for (int i = 0; i <= 5; i++) {
            cache.accept(fed.get(i));
        }
        assertTrue(cache.hasKeyframe());
        assertTrue(cache.hasParameterSets());
        assertEquals(Streams.W, cache.sequence().width());
        AccessUnit bareKey = AccessUnit.analyze(fed.get(4), codec);
        assertTrue(bareKey.keyframe());
        assertFalse(bareKey.parameterSets(), "packet 4 was stripped: " + bareKey.unitNames());

        ByteBuffer start = cache.decodableStart();
        assertNotNull(start);
        AccessUnit s = AccessUnit.analyze(start, codec);
        assertTrue(s.keyframe() && s.parameterSets(), s.unitNames().toString());
        assertEquals(Streams.W, s.sequence().width());
        assertEquals(Streams.H, s.sequence().height());

        List<ByteBuffer> joiner = new ArrayList<>(List.of(start));
        List<ByteBuffer> broken = new ArrayList<>(List.of(fed.get(4)));
        for (int i = 5; i < fed.size(); i++) {
            joiner.add(fed.get(i));
            broken.add(fed.get(i));
        }
        TestDecoder.Result good = TestDecoder.decode(joiner, decoders);
        assertTrue(good.clean(joiner.size()), "late joiner decodes every picture cleanly: " + good);
        TestDecoder.Result bad = TestDecoder.decode(broken, decoders);
        assertFalse(bad.clean(broken.size()), "control: the bare keyframe is not a decodable start: " + bad);
    }

    @Test
    void h264LateJoinerGetsParameterSetsAndKeyframe() {
        lateJoiner(Streams.x264Baseline(), Codec.H264, "h264");
    }

    @Test
    void h265LateJoinerGetsParameterSetsAndKeyframe() {
        lateJoiner(Streams.x265(), Codec.H265, "hevc");
    }

    @Test
    void av1LateJoinerGetsSequenceHeaderAndKeyframe() {
        lateJoiner(Streams.av1(), Codec.AV1, "libdav1d", "libaom-av1", "av1");
    }

    @Test
    void startIsTheLatestKeyframeAsIsWhenItCarriesTheParameterSets() {
        ParameterSetCache cache = new ParameterSetCache(Codec.H264, Streams.W, Streams.H);
        List<TestEncoder.Packet> p = Streams.x264Baseline();
        cache.accept(p.get(1).buffer()); // a P frame first: no keyframe yet
        assertFalse(cache.hasKeyframe());
        assertNull(cache.decodableStart());
        for (int i = 0; i < 7; i++) {
            cache.accept(p.get(i).buffer());
        }
        assertArrayEquals(p.get(4).data(), cache.decodableStart().array());
        assertArrayEquals(AccessUnit.analyze(p.get(4).buffer(), Codec.H264).units().stream()
                .filter(u -> u.type() == AnnexB.H264_SPS).findFirst().map(u -> {
                    byte[] b = new byte[u.length()];
                    p.get(4).buffer().get(u.offset(), b);
                    return b;
                }).orElseThrow(), cache.parameterSet(AnnexB.H264_SPS));
    }

    @Test
    void refusesSpsOfAnotherSizeAndKeepsItsState() {
        ParameterSetCache cache = new ParameterSetCache(Codec.H264, Streams.W, Streams.H);
        cache.accept(Streams.x264Baseline().get(0).buffer());
        byte[] start = cache.decodableStart().array();
        InvalidFrameException e = assertThrows(InvalidFrameException.class,
                () -> cache.accept(Streams.first(TestEncoder.x264Baseline(), 1280, 720).buffer()));
        assertEquals("width", e.field());
        assertEquals(1280, e.value());
        assertTrue(e.getMessage().contains("1280x720") && e.getMessage().contains("320x240"), e.getMessage());
        assertEquals(Streams.W, cache.sequence().width(), "the refused SPS did not replace the good one");
        assertArrayEquals(start, cache.decodableStart().array());

        ParameterSetCache shorter = new ParameterSetCache(Codec.H264, Streams.W, 180);
        InvalidFrameException h = assertThrows(InvalidFrameException.class,
                () -> shorter.accept(Streams.x264Baseline().get(0).buffer()));
        assertEquals("height", h.field());
        assertEquals(240, h.value());
        assertNull(shorter.sequence());
        assertFalse(shorter.hasKeyframe());
    }

    @Test
    void refusesAv1SequenceHeaderOfAnotherSize() {
        ParameterSetCache cache = new ParameterSetCache(Codec.AV1, 640, 480);
        InvalidFrameException e = assertThrows(InvalidFrameException.class,
                () -> cache.accept(Streams.av1().get(0).buffer()));
        assertEquals("width", e.field());
        assertTrue(e.getMessage().contains("320x240") && e.getMessage().contains("640x480"), e.getMessage());
    }
}
