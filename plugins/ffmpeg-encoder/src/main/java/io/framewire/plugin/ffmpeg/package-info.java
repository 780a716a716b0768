/**
 * FFmpeg encoders (libx264, libx265, libsvtav1, h264/hevc/av1_nvenc) through JavaCPP. The
 * org.bytedeco.ffmpeg packages come from org.bytedeco.javacpp with the framewire-ffmpeg-natives
 * fragment attached.
 */
package io.framewire.plugin.ffmpeg;
