package io.framewire.plugin.testpattern;

import io.framewire.api.VideoFrame;
import io.framewire.api.spi.FrameRequest;
import io.framewire.api.spi.FrameSource;
import io.framewire.api.spi.Plugins;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.IntBuffer;
import java.time.Clock;
import java.time.LocalTime;
import java.util.Arrays;
import java.util.List;

/**
 * A CPU frame source ({@code framewire.name=test-pattern}) drawing a moving test pattern into
 * host-memory BGRA8 ({@link VideoFrame#hostBuffer}, pitch = width*4).
 *
 * <p>What it draws (exact positions in {@link PatternLayout}):
 * <ol>
 *   <li>eight SMPTE-like 75% vertical colour bars over the top 3/4 of the frame, left to right
 *       {@link #BAR_COLORS}: white, yellow, cyan, green, magenta, red, blue, black;
 *       bar {@code i} spans {@code x in [i*W/8, (i+1)*W/8)} (at 1920 wide: 0-239, 240-479, 480-719,
 *       720-959, 960-1199, 1200-1439, 1440-1679, 1680-1919);</li>
 *   <li>below them an info strip of {@link #STRIP} grey holding
 *       <ul><li>a {@link #BOX} white box moving right by {@code max(1, W/240)} pixels per frame
 *           (wrapping), and</li>
 *           <li>the frame number (at least 8 zero-padded digits, left) and the wall clock
 *           {@code HH:MM:SS.mmm} in the system time zone (right), in {@link #TEXT} white, drawn with a
 *           built-in 5x7 font scaled up (no AWT);</li></ul></li>
 *   <li>the shapes of the current {@link Scene} ({@link SceneHolder}), in order, on top of everything.</li>
 * </ol>
 *
 * <p><b>Content</b> (Configuration Admin PID {@value #PID}, key {@code content}; applies from the next
 * frame): {@code bars} (the default) draws the bars as above; {@code noise}
 * ({@link PatternContent#NOISE}) draws the bars under fine luma noise that changes every frame
 * ({@link NoisyBars}), content whose libx264 rate fills its target (8 Mbit/s at 1080p30), for tests
 * on impaired links. The info strip, counter, clock and scene shapes are the same in both.
 *
 * <p><b>Colours</b> are given as ARGB ints {@code 0xAARRGGBB}; in the frame's memory each pixel is
 * the four bytes {@code B, G, R, A} (that int stored little-endian). 75% is 0xBF = 191.
 *
 * <p><b>Speed</b>: a static background (bars and strip) is built once per frame size and copied
 * with one bulk copy per frame; the box, the text and the shapes are filled with bulk row puts.
 * The pixel buffer is one reused direct {@link ByteBuffer}, reallocated only when the requested size
 * changes. The returned frame stays valid until the next call to {@link #render}. Not thread-safe:
 * the runtime calls it from its render thread only.
 */
@Component(service = FrameSource.class, property = Plugins.NAME + "=test-pattern", configurationPid = TestPatternSource.PID)
@Designate(ocd = TestPatternSource.Config.class)
public class TestPatternSource implements FrameSource {
    /** The configuration PID. */
    public static final String PID = "io.framewire.plugin.testpattern";
    private static final Logger LOG = LoggerFactory.getLogger(TestPatternSource.class);

    /** The source's configuration. */
    @ObjectClassDefinition(name = "Framewire test pattern",
            description = "What the test-pattern source draws.")
    public @interface Config {
        /** @return {@code bars} (default) or {@code noise} */
        @AttributeDefinition(name = "Content",
                description = "bars = colour bars (easy to encode, about 0.7 Mbit/s at 1080p30); noise = the bars "
                        + "under fine noise changing every frame (fills the encoder's target rate: for network tests)")
        String content() default "bars";
    }

    /** 75% white: bytes B,G,R,A = BF BF BF FF. */
    public static final int BAR_WHITE = 0xFFBFBFBF;
    /** 75% yellow: bytes B,G,R,A = 00 BF BF FF. */
    public static final int BAR_YELLOW = 0xFFBFBF00;
    /** 75% cyan: bytes B,G,R,A = BF BF 00 FF. */
    public static final int BAR_CYAN = 0xFF00BFBF;
    /** 75% green: bytes B,G,R,A = 00 BF 00 FF. */
    public static final int BAR_GREEN = 0xFF00BF00;
    /** 75% magenta: bytes B,G,R,A = BF 00 BF FF. */
    public static final int BAR_MAGENTA = 0xFFBF00BF;
    /** 75% red: bytes B,G,R,A = 00 00 BF FF. */
    public static final int BAR_RED = 0xFFBF0000;
    /** 75% blue: bytes B,G,R,A = BF 00 00 FF. */
    public static final int BAR_BLUE = 0xFF0000BF;
    /** Black: bytes B,G,R,A = 00 00 00 FF. */
    public static final int BAR_BLACK = 0xFF000000;
    /** The bars, left to right. */
    public static final List<Integer> BAR_COLORS = List.of(BAR_WHITE, BAR_YELLOW, BAR_CYAN, BAR_GREEN,
            BAR_MAGENTA, BAR_RED, BAR_BLUE, BAR_BLACK);
    /** Info strip background, dark grey: bytes B,G,R,A = 20 20 20 FF. */
    public static final int STRIP = 0xFF202020;
    /** The moving box, 100% white: bytes B,G,R,A = FF FF FF FF. */
    public static final int BOX = 0xFFFFFFFF;
    /** Counter and clock text, 100% white: bytes B,G,R,A = FF FF FF FF. */
    public static final int TEXT = 0xFFFFFFFF;

    private final SceneHolder scenes;
    private final Clock clock;

    private PatternLayout layout;
    private ByteBuffer pixels;      // the frame handed out, reused
    private IntBuffer pixelInts;    // little-endian int view of pixels: one int per pixel, 0xAARRGGBB
    private ByteBuffer background;  // bars + strip, copied into pixels each frame
    private int[] row;              // scratch row for fills
    private final char[] text = new char[32];
    private volatile PatternContent content = PatternContent.BARS;
    private NoisyBars noisyBars;    // the NOISE background for the current size, made on first use

    /** DS constructor: draws the scenes of {@code scenes}, the clock in the system time zone. */
    @Activate
    public TestPatternSource(@Reference(name = "scenes") SceneHolder scenes, Config config) {
        this(scenes, Clock.systemDefaultZone());
        modified(config);
    }

    /**
     * For embedding without OSGi: draws the scenes of {@code scenes} with the given content.
     *
     * @param scenes  e.g. {@code new SceneHolder()} (no shapes)
     * @param content bars or noise
     */
    public TestPatternSource(SceneHolder scenes, PatternContent content) {
        this(scenes, Clock.systemDefaultZone());
        setContent(content);
    }

    /** For tests: a fixed clock. */
    TestPatternSource(SceneHolder scenes, Clock clock) {
        this.scenes = scenes;
        this.clock = clock;
    }

    /** A configuration change: the content applies from the next frame; a bad value keeps the current one. */
    @Modified
    void modified(Config config) {
        try {
            setContent(PatternContent.parse(config.content()));
        } catch (IllegalArgumentException e) {
            LOG.warn("{}: {}; keeping content={}", PID, e.getMessage(), content.name().toLowerCase(java.util.Locale.ROOT));
        }
    }

    /** Sets what is drawn behind the info strip, from the next frame on (any thread). */
    public void setContent(PatternContent next) {
        this.content = java.util.Objects.requireNonNull(next, "content");
    }

    /** @return what is drawn behind the info strip */
    public PatternContent content() {
        return content;
    }

    @Override
    public VideoFrame render(FrameRequest request) {
        int w = request.width();
        int h = request.height();
        ensureSize(w, h);
        PatternLayout l = layout;

        if (content == PatternContent.NOISE) {
            if (noisyBars == null) {
                noisyBars = new NoisyBars(background, w, l.barsBottom(), NoisyBars.DEFAULT_AMPLITUDE, 0x5EED);
            }
            noisyBars.draw(pixels, request.frameNumber());
            int strip = l.barsBottom() * w * 4;
            pixels.put(strip, background, strip, background.capacity() - strip);
        } else {
            noisyBars = null; // 4 noisy copies of the bars area: not kept while unused
            pixels.put(0, background, 0, background.capacity());
        }

        // moving box
        int bx = l.boxX(request.frameNumber());
        fillRect(bx, l.boxY(), bx + l.boxW(), l.boxY() + l.boxH(), BOX);

        // frame counter
        int n = formatCounter(Math.max(0, request.frameNumber()));
        drawText(text, 0, n, l.counterX(), l.textY(), l.textScale(), TEXT);

        // clock HH:MM:SS.mmm
        LocalTime t = LocalTime.now(clock);
        formatClock(t);
        drawText(text, 0, PatternLayout.CLOCK_CHARS, l.clockX(), l.textY(), l.textScale(), TEXT);

        // scene shapes on top
        for (Shape s : scenes.current().shapes()) {
            drawShape(s, w, h);
        }
        return VideoFrame.hostBuffer(pixels.duplicate().clear(), w, h, w * 4);
    }

    /** @return the layout of the current frame size, or null before the first frame */
    PatternLayout layout() {
        return layout;
    }

    private void ensureSize(int w, int h) {
        if (layout != null && layout.width() == w && layout.height() == h) {
            return;
        }
        if (w <= 0 || h <= 0) {
            throw new IllegalArgumentException("request size " + w + "x" + h + ": width and height must be > 0");
        }
        long bytes = (long) w * h * 4;
        if (bytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("request size " + w + "x" + h + ": too large for one buffer");
        }
        PatternLayout l = PatternLayout.of(w, h);
        ByteBuffer px = ByteBuffer.allocateDirect((int) bytes);
        ByteBuffer bg = ByteBuffer.allocateDirect((int) bytes);
        IntBuffer bgInts = bg.duplicate().order(ByteOrder.LITTLE_ENDIAN).asIntBuffer();
        int[] r = new int[w];
        for (int i = 0; i < 8; i++) {
            Arrays.fill(r, l.barX(i), l.barX(i + 1), BAR_COLORS.get(i));
        }
        for (int y = 0; y < l.barsBottom(); y++) {
            bgInts.put(y * w, r, 0, w);
        }
        Arrays.fill(r, STRIP);
        for (int y = l.barsBottom(); y < h; y++) {
            bgInts.put(y * w, r, 0, w);
        }
        this.layout = l;
        this.pixels = px;
        this.pixelInts = px.duplicate().order(ByteOrder.LITTLE_ENDIAN).asIntBuffer();
        this.background = bg;
        this.row = r;
        this.noisyBars = null;
    }

    /** Fills {@code [x0, x1) x [y0, y1)}, clipped to the frame. */
    private void fillRect(int x0, int y0, int x1, int y1, int argb) {
        int w = layout.width();
        int h = layout.height();
        x0 = Math.max(0, x0);
        y0 = Math.max(0, y0);
        x1 = Math.min(w, x1);
        y1 = Math.min(h, y1);
        int span = x1 - x0;
        if (span <= 0 || y1 <= y0) {
            return;
        }
        Arrays.fill(row, 0, span, argb);
        for (int y = y0; y < y1; y++) {
            pixelInts.put(y * w + x0, row, 0, span);
        }
    }

    private void drawText(char[] chars, int from, int to, int x, int y, int scale, int argb) {
        for (int i = from; i < to; i++) {
            int[] g = Font5x7.glyph(chars[i]);
            int cx = x + (i - from) * Font5x7.ADVANCE * scale;
            for (int r = 0; r < Font5x7.ROWS; r++) {
                int bits = g[r];
                int c = 0;
                while (c < Font5x7.COLS) {
                    if ((bits & (1 << (Font5x7.COLS - 1 - c))) == 0) {
                        c++;
                        continue;
                    }
                    int start = c;
                    while (c < Font5x7.COLS && (bits & (1 << (Font5x7.COLS - 1 - c))) != 0) {
                        c++;
                    }
                    fillRect(cx + start * scale, y + r * scale, cx + c * scale, y + (r + 1) * scale, argb);
                }
            }
        }
    }

    /** Writes the frame number, zero-padded to {@link PatternLayout#COUNTER_DIGITS}, into {@link #text}. */
    private int formatCounter(long value) {
        int digits = Math.max(PatternLayout.COUNTER_DIGITS, Long.toString(value).length());
        long v = value;
        for (int i = digits - 1; i >= 0; i--) {
            text[i] = (char) ('0' + (v % 10));
            v /= 10;
        }
        return digits;
    }

    private void formatClock(LocalTime t) {
        two(0, t.getHour());
        text[2] = ':';
        two(3, t.getMinute());
        text[5] = ':';
        two(6, t.getSecond());
        text[8] = '.';
        int ms = t.getNano() / 1_000_000;
        text[9] = (char) ('0' + ms / 100);
        text[10] = (char) ('0' + ms / 10 % 10);
        text[11] = (char) ('0' + ms % 10);
    }

    private void two(int at, int v) {
        text[at] = (char) ('0' + v / 10);
        text[at + 1] = (char) ('0' + v % 10);
    }

    private void drawShape(Shape s, int w, int h) {
        int x0 = (int) Math.round(s.x() * w);
        int y0 = (int) Math.round(s.y() * h);
        int x1 = Math.max(x0 + 1, (int) Math.round((s.x() + s.w()) * w));
        int y1 = Math.max(y0 + 1, (int) Math.round((s.y() + s.h()) * h));
        int argb = s.argb();
        if (s.kind() == Shape.Kind.RECT) {
            fillRect(x0, y0, x1, y1, argb);
            return;
        }
        double cx = (x0 + x1) / 2.0;
        double cy = (y0 + y1) / 2.0;
        double rx = (x1 - x0) / 2.0;
        double ry = (y1 - y0) / 2.0;
        int yStart = Math.max(0, y0);
        int yEnd = Math.min(h, y1);
        for (int y = yStart; y < yEnd; y++) {
            double dy = (y + 0.5 - cy) / ry;
            double k = 1 - dy * dy;
            if (k < 0) {
                continue;
            }
            double half = rx * Math.sqrt(k);
            fillRect((int) Math.round(cx - half), y, (int) Math.round(cx + half), y + 1, argb);
        }
    }
}
