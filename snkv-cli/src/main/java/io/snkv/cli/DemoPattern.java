package io.snkv.cli;

/** The seed demo's data: chunk keys {@code chunk_<i>} holding bytes {@code 'A' + (offset % 26)}. */
final class DemoPattern {
    private DemoPattern() {
    }

    static byte[] key(int i) {
        return ("chunk_" + i).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    static byte[] chunk(int size) {
        byte[] data = new byte[size];
        for (int j = 0; j < size; j++) {
            data[j] = (byte) ('A' + (j % 26));
        }
        return data;
    }

    /** Offset of the first byte that breaks the pattern, or -1. */
    static int firstError(byte[] data) {
        for (int j = 0; j < data.length; j++) {
            if (data[j] != (byte) ('A' + (j % 26))) {
                return j;
            }
        }
        return -1;
    }
}
