/**
 * The bitstream plugin: pre-encoded H.264, H.265 (Annex B) and AV1 (low-overhead OBUs) access units
 * passed through to the transport without re-encoding.
 *
 * <p>This package holds the parsing layer: {@link io.framewire.plugin.bitstream.AnnexB} (start codes,
 * NAL units, emulation-prevention removal), {@link io.framewire.plugin.bitstream.Obus} (OBU headers,
 * leb128 sizes), the sequence parsers {@link io.framewire.plugin.bitstream.H264Sps},
 * {@link io.framewire.plugin.bitstream.H265Sps} and {@link io.framewire.plugin.bitstream.Av1SequenceHeader}
 * over a {@link io.framewire.plugin.bitstream.BitReader}, the per-access-unit analysis
 * {@link io.framewire.plugin.bitstream.AccessUnit} and the late-joiner store
 * {@link io.framewire.plugin.bitstream.ParameterSetCache}. Every refusal is an
 * {@link io.framewire.api.InvalidFrameException} naming the field and the value.
 *
 * <p>This package is private to the bundle (not exported).
 */
package io.framewire.plugin.bitstream;
