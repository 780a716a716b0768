package io.framewire.runtime;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The server's Configuration Admin settings (PID {@value #PID}), with the defaults used when no
 * configuration exists. Size, input, address and port are fixed per session: changing them
 * restarts the session. The plugin names, fps and bitrate change live.
 */
@ObjectClassDefinition(name = "Framewire stream server", description = "One streaming session")
public @interface ServerSettings {
    /** The configuration PID. */
    String PID = "io.framewire.server";

    @AttributeDefinition(description = "Stream width in pixels (even, fixed per session)")
    int width() default 1920;

    @AttributeDefinition(description = "Stream height in pixels (even, fixed per session)")
    int height() default 1080;

    @AttributeDefinition(description = "Frames per second")
    int fps() default 30;

    @AttributeDefinition(description = "Input kind: BGRA, TENSOR, H264, H265 or AV1")
    String videoInput() default "BGRA";

    @AttributeDefinition(description = "Target bitrate in kbit/s (live)")
    int bitrateKbps() default 8000;

    @AttributeDefinition(description = "AUTO, HARDWARE or SOFTWARE")
    String encoderPreference() default "AUTO";

    @AttributeDefinition(description = "framewire.name of the frame source; 'none' when frames only come from streamVideo()")
    String source() default "test-pattern";

    @AttributeDefinition(description = "framewire.name of the encoder, or 'auto'")
    String encoder() default "auto";

    @AttributeDefinition(description = "framewire.name of the transport")
    String transport() default "webrtc";

    @AttributeDefinition(description = "Address the HTTP server binds")
    String bindAddress() default "0.0.0.0";

    @AttributeDefinition(description = "HTTP port the transport serves (web client, signaling, /health); 0 = any free port")
    int httpPort() default 8080;
}
