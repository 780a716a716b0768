package io.framewire.runtime;

import io.framewire.api.Defaults;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The server's Configuration Admin settings (PID {@value #PID}); the defaults are
 * {@link Defaults}'. Size and input are fixed per session: changing them restarts the session
 * ({@link io.framewire.api.ServerConfig#sameStream}). The plugin names, fps, bitrate and encoder
 * preference change live. The HTTP address and port belong to the transport's own configuration.
 */
@ObjectClassDefinition(name = "Framewire stream server", description = "One streaming session")
public @interface ServerSettings {
    /** The configuration PID. */
    String PID = "io.framewire.server";

    @AttributeDefinition(description = "Stream width in pixels (even, fixed per session)")
    int width() default Defaults.WIDTH;

    @AttributeDefinition(description = "Stream height in pixels (even, fixed per session)")
    int height() default Defaults.HEIGHT;

    @AttributeDefinition(description = "Frames per second (live)")
    int fps() default Defaults.FPS;

    @AttributeDefinition(description = "Input kind: BGRA, TENSOR, H264, H265 or AV1 (fixed per session)")
    String videoInput() default Defaults.VIDEO_INPUT;

    @AttributeDefinition(description = "Target bitrate in kbit/s (live)")
    int bitrateKbps() default Defaults.BITRATE_KBPS;

    @AttributeDefinition(description = "AUTO, HARDWARE or SOFTWARE (live)")
    String encoderPreference() default Defaults.ENCODER_PREFERENCE;

    @AttributeDefinition(description = "framewire.name of the frame source; 'none' when frames only come from streamVideo()")
    String source() default Defaults.SOURCE;

    @AttributeDefinition(description = "framewire.name of the encoder, or 'auto'")
    String encoder() default Defaults.ENCODER;

    @AttributeDefinition(description = "framewire.name of the transport")
    String transport() default Defaults.TRANSPORT;

    @AttributeDefinition(description = "Milliseconds without a new frame (or without a frame sent) after which /health "
            + "reports STALLED with 503 (live); 0 = never")
    int maxFrameAgeMillis() default Defaults.MAX_FRAME_AGE_MILLIS;
}
