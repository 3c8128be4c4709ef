package io.snkv;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Keys and values for {@link ModelBasedStoreTest}, drawn from size classes that matter to a SQLite-format
 * b-tree with the given page size: 1-byte and tiny keys over an alphabet rich in 0x00 and 0xFF, keys that
 * share long prefixes, payloads just under and over the local-payload limits of an index page (where a cell
 * starts to spill to overflow pages), payloads of several pages, keys up to the 64 KiB limit.
 */
final class RandomPayloads {
    /** Bytes that make comparison edge cases: both ends of the unsigned range and the signed boundary. */
    private static final byte[] EDGE_ALPHABET = {0x00, 0x01, 0x7F, (byte) 0x80, (byte) 0xFE, (byte) 0xFF, 'a', 'b'};
    private static final byte[] LONG_PREFIX = longPrefix();

    private final Random rnd;
    private final int pageSize;
    /** Largest payload an index b-tree cell keeps on its page (SQLite's maxLocal for index pages). */
    final int maxLocal;
    /** Payload kept locally at least when a cell spills (SQLite's minLocal). */
    final int minLocal;

    RandomPayloads(Random rnd, int pageSize) {
        this.rnd = rnd;
        this.pageSize = pageSize;
        int usable = pageSize; // SNKV reserves 0 bytes per page
        this.maxLocal = (usable - 12) * 64 / 255 - 23;
        this.minLocal = (usable - 12) * 32 / 255 - 23;
    }

    /** A key from a random size class, never longer than {@code maxKey}. */
    byte[] key(int maxKey) {
        int r = rnd.nextInt(100);
        byte[] k;
        if (r < 8) {
            k = new byte[] {pickEdge()};
        } else if (r < 40) {
            k = new byte[1 + rnd.nextInt(6)];
            for (int i = 0; i < k.length; i++) {
                k[i] = pickEdge();
            }
        } else if (r < 65) {
            String s = "user/" + (rnd.nextInt(400));
            k = s.getBytes(StandardCharsets.US_ASCII);
            int tail = rnd.nextInt(4);
            if (tail > 0) {
                byte[] t = new byte[k.length + tail];
                System.arraycopy(k, 0, t, 0, k.length);
                for (int i = k.length; i < t.length; i++) {
                    t[i] = rnd.nextBoolean() ? 0 : (byte) 0xFF;
                }
                k = t;
            }
        } else if (r < 75) {
            k = bytes(17 + rnd.nextInt(200));
        } else if (r < 85) {
            // Key alone near the spill threshold (with the 4-byte key-length prefix of the payload).
            k = sharedPrefixKey(Math.max(1, nearThreshold() - 4));
        } else if (r < 95) {
            k = sharedPrefixKey(pageSize + rnd.nextInt(4 * pageSize));
        } else {
            int n = switch (rnd.nextInt(4)) {
                case 0 -> 65536;
                case 1 -> 65535;
                default -> 4096 + rnd.nextInt(65536 - 4096);
            };
            k = sharedPrefixKey(n);
        }
        if (k.length > maxKey) {
            k = java.util.Arrays.copyOf(k, maxKey);
        }
        return k;
    }

    /**
     * A value from a random size class. {@code keyLength} steers the "near threshold" class so that the whole
     * cell payload ({@code 4 + key + value}) lands near a spill limit; {@code allowLarge} permits 64 KiB..1 MiB.
     */
    byte[] value(int keyLength, boolean allowLarge) {
        int r = rnd.nextInt(100);
        if (r < 8) {
            return new byte[0];
        } else if (r < 15) {
            return new byte[] {pickEdge()};
        } else if (r < 50) {
            return bytes(2 + rnd.nextInt(100));
        } else if (r < 75) {
            int target = nearThreshold() - 4 - keyLength;
            return bytes(Math.max(0, target));
        } else if (r < 95 || !allowLarge) {
            return bytes(pageSize + rnd.nextInt(5 * pageSize));
        } else {
            return bytes(64 * 1024 + rnd.nextInt(1024 * 1024 - 64 * 1024));
        }
    }

    /** A value of exactly {@code size} bytes: a repeating pattern with random bytes sprinkled in (cheap to make). */
    byte[] hugeValue(int size) {
        byte[] v = new byte[size];
        long x = rnd.nextLong();
        for (int i = 0; i + 8 <= size; i += 8) {
            x = x * 6364136223846793005L + 1442695040888963407L;
            long y = x ^ (x >>> 29);
            for (int j = 0; j < 8; j++) {
                v[i + j] = (byte) (y >>> (8 * j));
            }
        }
        for (int i = size & ~7; i < size; i++) {
            v[i] = (byte) rnd.nextInt(256);
        }
        return v;
    }

    /** A payload size close to one of the page's spill limits, or between page_size/4 and page_size/2. */
    private int nearThreshold() {
        return switch (rnd.nextInt(3)) {
            case 0 -> maxLocal - 3 + rnd.nextInt(7);
            case 1 -> minLocal - 3 + rnd.nextInt(7);
            default -> pageSize / 4 + rnd.nextInt(pageSize / 4 + 1);
        };
    }

    /** A key of {@code length} bytes starting with a long common prefix, so that comparisons run deep. */
    private byte[] sharedPrefixKey(int length) {
        byte[] k = new byte[length];
        int shared = Math.min(length, rnd.nextInt(Math.min(length, LONG_PREFIX.length) + 1));
        System.arraycopy(LONG_PREFIX, 0, k, 0, shared);
        for (int i = shared; i < length; i++) {
            k[i] = rnd.nextInt(4) == 0 ? pickEdge() : (byte) rnd.nextInt(256);
        }
        return k;
    }

    private byte pickEdge() {
        return EDGE_ALPHABET[rnd.nextInt(EDGE_ALPHABET.length)];
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        rnd.nextBytes(b);
        if (n > 0 && rnd.nextInt(4) == 0) {
            // Runs of 0x00 and 0xFF inside the data.
            int from = rnd.nextInt(n);
            java.util.Arrays.fill(b, from, Math.min(n, from + 1 + rnd.nextInt(64)), rnd.nextBoolean() ? 0 : (byte) 0xFF);
        }
        return b;
    }

    private static byte[] longPrefix() {
        byte[] p = new byte[70_000];
        for (int i = 0; i < p.length; i++) {
            p[i] = (byte) (i % 7 == 0 ? 0xFF : i % 5 == 0 ? 0x00 : 'p');
        }
        return p;
    }
}
