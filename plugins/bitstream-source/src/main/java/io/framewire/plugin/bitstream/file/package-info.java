/**
 * The {@code bitstream-file} source: plays a pre-encoded H.264 / H.265 / AV1 file at the session's
 * fps (PID {@code io.framewire.bitstreamfile}). Private to the bundle.
 */
package io.framewire.plugin.bitstream.file;
