package io.framewire.plugin.webrtc.input;

import java.util.Optional;

/**
 * Maps pointer positions on the browser's {@code <video>} element to stream pixels, for
 * {@code object-fit: contain} (the video is scaled uniformly to fit and centred, with letterbox bars
 * above/below or pillarbox bars left/right).
 *
 * <p>With stream size W×H and element size ew×eh: {@code scale = min(ew/W, eh/H)}, the displayed
 * rectangle is {@code W*scale × H*scale} centred in the element, and a point (x, y) inside it maps
 * to {@code (floor((x - left) / scale), floor((y - top) / scale))}, clamped to
 * {@code [0, W-1] × [0, H-1]}. Points on a bar or outside the element map to nothing. The rectangle's
 * edges are inclusive, with a tolerance of {@value #EDGE_TOLERANCE} CSS pixels for rounding.
 * Instances are immutable.
 */
public final class LetterboxMapper {

    /** How far (CSS pixels) outside the displayed rectangle a point still counts as inside. */
    public static final double EDGE_TOLERANCE = 1e-6;

    private final int streamWidth;
    private final int streamHeight;
    private final double scale;
    private final double left;
    private final double top;
    private final double displayedWidth;
    private final double displayedHeight;

    /**
     * A stream pixel.
     *
     * @param x column, 0..W-1
     * @param y row, 0..H-1
     */
    public record StreamPoint(int x, int y) {
    }

    /**
     * @param streamWidth   W, positive
     * @param streamHeight  H, positive
     * @param elementWidth  the element's client width in CSS pixels, finite and positive
     * @param elementHeight the element's client height in CSS pixels, finite and positive
     * @throws IllegalArgumentException for non-positive or non-finite sizes
     */
    public LetterboxMapper(int streamWidth, int streamHeight, double elementWidth, double elementHeight) {
        if (streamWidth <= 0 || streamHeight <= 0) {
            throw new IllegalArgumentException("stream size must be positive, got " + streamWidth + "x" + streamHeight);
        }
        if (!(Double.isFinite(elementWidth) && Double.isFinite(elementHeight) && elementWidth > 0 && elementHeight > 0)) {
            throw new IllegalArgumentException("element size must be finite and positive, got "
                    + elementWidth + "x" + elementHeight);
        }
        this.streamWidth = streamWidth;
        this.streamHeight = streamHeight;
        this.scale = Math.min(elementWidth / streamWidth, elementHeight / streamHeight);
        this.displayedWidth = streamWidth * scale;
        this.displayedHeight = streamHeight * scale;
        this.left = (elementWidth - displayedWidth) / 2;
        this.top = (elementHeight - displayedHeight) / 2;
    }

    /**
     * Maps one point; shorthand for {@code new LetterboxMapper(W, H, ew, eh).map(x, y)}.
     *
     * @param streamWidth   W
     * @param streamHeight  H
     * @param elementWidth  ew
     * @param elementHeight eh
     * @param x             event x in element CSS pixels
     * @param y             event y in element CSS pixels
     * @return the stream pixel, or empty on a bar
     */
    public static Optional<StreamPoint> map(int streamWidth, int streamHeight, double elementWidth,
                                            double elementHeight, double x, double y) {
        return new LetterboxMapper(streamWidth, streamHeight, elementWidth, elementHeight).map(x, y);
    }

    /**
     * @param x event x in element CSS pixels ({@code offsetX})
     * @param y event y in element CSS pixels ({@code offsetY})
     * @return the stream pixel under the point, or empty if the point is on a letterbox/pillarbox bar
     *         or outside the element
     * @throws IllegalArgumentException if a coordinate is not finite
     */
    public Optional<StreamPoint> map(double x, double y) {
        if (!Double.isFinite(x) || !Double.isFinite(y)) {
            throw new IllegalArgumentException("event position must be finite, got (" + x + ", " + y + ")");
        }
        double u = x - left;
        double v = y - top;
        if (u < -EDGE_TOLERANCE || v < -EDGE_TOLERANCE
                || u > displayedWidth + EDGE_TOLERANCE || v > displayedHeight + EDGE_TOLERANCE) {
            return Optional.empty();
        }
        int px = clamp((int) Math.floor(u / scale), streamWidth - 1);
        int py = clamp((int) Math.floor(v / scale), streamHeight - 1);
        return Optional.of(new StreamPoint(px, py));
    }

    /** @return CSS pixels per stream pixel */
    public double scale() {
        return scale;
    }

    /** @return x of the displayed rectangle's left edge in the element */
    public double left() {
        return left;
    }

    /** @return y of the displayed rectangle's top edge in the element */
    public double top() {
        return top;
    }

    /** @return width of the displayed rectangle */
    public double displayedWidth() {
        return displayedWidth;
    }

    /** @return height of the displayed rectangle */
    public double displayedHeight() {
        return displayedHeight;
    }

    private static int clamp(int v, int max) {
        return v < 0 ? 0 : Math.min(v, max);
    }
}
