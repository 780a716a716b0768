package io.framewire.api;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

class InvalidFrameExceptionTest {

    @Test
    void messageIsFieldEqualsValueColonRule() {
        InvalidFrameException e = new InvalidFrameException("pitchBytes", 4000, "must be >= width*4 = 7680");
        assertEquals("pitchBytes=4000: must be >= width*4 = 7680", e.getMessage());
        assertEquals("pitchBytes", e.field());
        assertEquals(4000, e.value());
        assertInstanceOf(IllegalArgumentException.class, e);
    }

    @Test
    void nullValue() {
        InvalidFrameException e = new InvalidFrameException("frame", null, "must not be null");
        assertEquals("frame=null: must not be null", e.getMessage());
        assertNull(e.value());
    }

    @Test
    void longArrayIsRenderedAsList() {
        long[] shape = {1080, 1920};
        InvalidFrameException e = new InvalidFrameException("shape", shape, "must be (height, width, 4)");
        assertEquals("shape=[1080, 1920]: must be (height, width, 4)", e.getMessage());
        assertSame(shape, e.value());
    }

    @Test
    void longsAreRenderedInDecimal() {
        // sizes and strides are longs too: decimal keeps them comparable with the decimal limits in the rule
        assertEquals("strides[0]=80000: r", new InvalidFrameException("strides[0]", 80000L, "r").getMessage());
        assertEquals("stream=7: r", new InvalidFrameException("stream", 7L, "r").getMessage());
        assertEquals("stream=65535: r", new InvalidFrameException("stream", 65535L, "r").getMessage());
        assertEquals("buffer=0: r", new InvalidFrameException("buffer", 0L, "r").getMessage());
        // ints are always decimal
        assertEquals("sizeBytes=100000: r", new InvalidFrameException("sizeBytes", 100000, "r").getMessage());
    }
}
