package io.otlpgovernor.rules.sampling;

/**
 * XXH64 (Yann Collet's xxHash, 64-bit variant, as specified in {@code xxhash_spec.md}): a fast non-cryptographic
 * hash whose output bits all pass the avalanche tests, so any 56 of them serve as sampling randomness. Written out
 * here, about forty lines, rather than taken from a compression library the engine does not otherwise need.
 */
public final class Xxh64 {

    private static final long PRIME_1 = 0x9E3779B185EBCA87L;
    private static final long PRIME_2 = 0xC2B2AE3D27D4EB4FL;
    private static final long PRIME_3 = 0x165667B19E3779F9L;
    private static final long PRIME_4 = 0x85EBCA77C2B2AE63L;
    private static final long PRIME_5 = 0x27D4EB2F165667C5L;

    private Xxh64() {}

    /** XXH64 of {@code input} with {@code seed}. */
    public static long hash(byte[] input, long seed) {
        return hash(input, input.length, seed);
    }

    /** XXH64 of the first {@code length} bytes of {@code input} with {@code seed}. */
    public static long hash(byte[] input, int length, long seed) {
        int pos = 0;
        long h;
        if (length >= 32) {
            long v1 = seed + PRIME_1 + PRIME_2;
            long v2 = seed + PRIME_2;
            long v3 = seed;
            long v4 = seed - PRIME_1;
            for (int limit = length - 32; pos <= limit; pos += 32) {
                v1 = round(v1, readLong(input, pos));
                v2 = round(v2, readLong(input, pos + 8));
                v3 = round(v3, readLong(input, pos + 16));
                v4 = round(v4, readLong(input, pos + 24));
            }
            h = Long.rotateLeft(v1, 1) + Long.rotateLeft(v2, 7) + Long.rotateLeft(v3, 12) + Long.rotateLeft(v4, 18);
            h = mergeRound(h, v1);
            h = mergeRound(h, v2);
            h = mergeRound(h, v3);
            h = mergeRound(h, v4);
        } else {
            h = seed + PRIME_5;
        }
        h += length;
        for (; pos + 8 <= length; pos += 8) {
            h ^= round(0, readLong(input, pos));
            h = Long.rotateLeft(h, 27) * PRIME_1 + PRIME_4;
        }
        if (pos + 4 <= length) {
            h ^= (readInt(input, pos) & 0xFFFF_FFFFL) * PRIME_1;
            h = Long.rotateLeft(h, 23) * PRIME_2 + PRIME_3;
            pos += 4;
        }
        for (; pos < length; pos++) {
            h ^= (input[pos] & 0xFFL) * PRIME_5;
            h = Long.rotateLeft(h, 11) * PRIME_1;
        }
        h ^= h >>> 33;
        h *= PRIME_2;
        h ^= h >>> 29;
        h *= PRIME_3;
        h ^= h >>> 32;
        return h;
    }

    private static long round(long accumulator, long lane) {
        return Long.rotateLeft(accumulator + lane * PRIME_2, 31) * PRIME_1;
    }

    private static long mergeRound(long accumulator, long value) {
        return (accumulator ^ round(0, value)) * PRIME_1 + PRIME_4;
    }

    private static long readLong(byte[] b, int i) {
        return (b[i] & 0xFFL)
                | (b[i + 1] & 0xFFL) << 8
                | (b[i + 2] & 0xFFL) << 16
                | (b[i + 3] & 0xFFL) << 24
                | (b[i + 4] & 0xFFL) << 32
                | (b[i + 5] & 0xFFL) << 40
                | (b[i + 6] & 0xFFL) << 48
                | (b[i + 7] & 0xFFL) << 56;
    }

    private static int readInt(byte[] b, int i) {
        return (b[i] & 0xFF) | (b[i + 1] & 0xFF) << 8 | (b[i + 2] & 0xFF) << 16 | (b[i + 3] & 0xFF) << 24;
    }
}
