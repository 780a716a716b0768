// BGRA8 (pitched) -> NV12 (pitched Y plane + interleaved UV plane), BT.601 LIMITED range.
//
// The formula (integer, exact; the CPU reference in Nv12Reference.java is the same):
//   Y = 16  + (( 66*R + 129*G +  25*B + 128) >> 8)       for every pixel
//   U = 128 + ((-38*R -  74*G + 112*B + 128) >> 8)       from the 2x2 average
//   V = 128 + ((112*R -  94*G -  18*B + 128) >> 8)       from the 2x2 average
// where the 2x2 average of a channel is (c00 + c01 + c10 + c11 + 2) >> 2 (rounded), and >> is an
// arithmetic shift (floor division by 256; the sum may be negative for U and V). Results lie in
// Y 16..235, U/V 16..240 with no clamping needed. Alpha is ignored.
//
// One thread per 2x2 block: it reads two BGRA pixels (8 bytes) from each of two rows and writes two
// Y bytes to each of two Y rows and one U,V pair to the chroma row. Adjacent threads of a warp read
// adjacent 8-byte words, so each warp reads 256 contiguous bytes per row (fully coalesced); when the
// source base or pitch is not 8-byte aligned, the same kernel falls back to byte loads (a uniform
// branch: every thread takes the same path).
//
// width and height must be even (NV12). The UV plane starts at dst + dstPitch*height.

#include <stdint.h>

__device__ __forceinline__ int luma601(int r, int g, int b) {
    return 16 + ((66 * r + 129 * g + 25 * b + 128) >> 8);
}

__device__ __forceinline__ int cb601(int r, int g, int b) {
    return 128 + ((-38 * r - 74 * g + 112 * b + 128) >> 8);
}

__device__ __forceinline__ int cr601(int r, int g, int b) {
    return 128 + ((112 * r - 94 * g - 18 * b + 128) >> 8);
}

// Unpacks one BGRA pixel held little-endian in a 32-bit word: byte 0 = B, 1 = G, 2 = R, 3 = A.
#define PX_B(w) ((int)((w) & 0xFFu))
#define PX_G(w) ((int)(((w) >> 8) & 0xFFu))
#define PX_R(w) ((int)(((w) >> 16) & 0xFFu))

__device__ __forceinline__ uint32_t load_px_bytes(const uint8_t* p) {
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16);
}

extern "C" __global__ void __launch_bounds__(256)
bgra_to_nv12(const uint8_t* __restrict__ src, int srcPitch,
             uint8_t* __restrict__ dst, int dstPitch,
             int width, int height, int aligned8)
{
    const int bx = blockIdx.x * blockDim.x + threadIdx.x;   // 2x2 block column
    const int by = blockIdx.y * blockDim.y + threadIdx.y;   // 2x2 block row
    if (bx >= (width >> 1) || by >= (height >> 1)) {
        return;
    }
    const int x = bx << 1;
    const int y = by << 1;
    const uint8_t* row0 = src + (size_t)y * srcPitch + (size_t)x * 4;
    const uint8_t* row1 = row0 + srcPitch;

    uint32_t p00, p01, p10, p11;
    if (aligned8) {
        const uint2 a = __ldg(reinterpret_cast<const uint2*>(row0));
        const uint2 b = __ldg(reinterpret_cast<const uint2*>(row1));
        p00 = a.x; p01 = a.y; p10 = b.x; p11 = b.y;
    } else {
        p00 = load_px_bytes(row0);     p01 = load_px_bytes(row0 + 4);
        p10 = load_px_bytes(row1);     p11 = load_px_bytes(row1 + 4);
    }

    uint8_t* yRow0 = dst + (size_t)y * dstPitch + x;
    uint8_t* yRow1 = yRow0 + dstPitch;
    uchar2 y0, y1;
    y0.x = (uint8_t)luma601(PX_R(p00), PX_G(p00), PX_B(p00));
    y0.y = (uint8_t)luma601(PX_R(p01), PX_G(p01), PX_B(p01));
    y1.x = (uint8_t)luma601(PX_R(p10), PX_G(p10), PX_B(p10));
    y1.y = (uint8_t)luma601(PX_R(p11), PX_G(p11), PX_B(p11));
    *reinterpret_cast<uchar2*>(yRow0) = y0;    // x is even and dstPitch even: 2-byte aligned
    *reinterpret_cast<uchar2*>(yRow1) = y1;

    const int r = (PX_R(p00) + PX_R(p01) + PX_R(p10) + PX_R(p11) + 2) >> 2;
    const int g = (PX_G(p00) + PX_G(p01) + PX_G(p10) + PX_G(p11) + 2) >> 2;
    const int b = (PX_B(p00) + PX_B(p01) + PX_B(p10) + PX_B(p11) + 2) >> 2;
    uchar2 uv;
    uv.x = (uint8_t)cb601(r, g, b);
    uv.y = (uint8_t)cr601(r, g, b);
    uint8_t* uvRow = dst + (size_t)height * dstPitch + (size_t)by * dstPitch + x;
    *reinterpret_cast<uchar2*>(uvRow) = uv;
}

// Fills a pitched BGRA8 buffer with a deterministic pattern (used by the GPU tests and the
// benchmark to write frames on a producer stream): byte k of pixel (x, y) =
// (x * 7 + y * 13 + k * 61 + seed * 31 + ((x * y) >> 3)) & 0xFF.
extern "C" __global__ void fill_bgra_pattern(uint8_t* dst, int pitch, int width, int height, int seed)
{
    const int x = blockIdx.x * blockDim.x + threadIdx.x;
    const int y = blockIdx.y * blockDim.y + threadIdx.y;
    if (x >= width || y >= height) {
        return;
    }
    uchar4 px;
    const int base = x * 7 + y * 13 + seed * 31 + ((x * y) >> 3);
    px.x = (uint8_t)(base & 0xFF);
    px.y = (uint8_t)((base + 61) & 0xFF);
    px.z = (uint8_t)((base + 122) & 0xFF);
    px.w = (uint8_t)((base + 183) & 0xFF);
    *reinterpret_cast<uchar4*>(dst + (size_t)y * pitch + (size_t)x * 4) = px;
}

// Holds a stream busy for about `cycles` SM clocks (benchmark only: lets the host queue many launches
// before the GPU starts them, so cuEvent timing measures GPU time, not the host's launch rate).
extern "C" __global__ void spin_wait(long long cycles)
{
    const long long start = clock64();
    while (clock64() - start < cycles) {
    }
}
