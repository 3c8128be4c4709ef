package io.snkv.node;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Accounts whose values are an 8-byte balance followed by 12 KiB of padding derived from it, so one account
 * spans several pages and a transaction applied in part shows as a padding that disagrees with its balance or a
 * sum that is off.
 */
final class BankWorkload {
    static final int PADDING = 12 * 1024;

    private BankWorkload() {
    }

    static byte[] key(int account) {
        return ("acct-" + account).getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] value(long balance) {
        ByteBuffer b = ByteBuffer.allocate(8 + PADDING).putLong(balance);
        for (int i = 0; i < PADDING; i++) {
            b.put((byte) (balance * 31 + i));
        }
        return b.array();
    }

    static long balance(byte[] v) {
        return ByteBuffer.wrap(v).getLong();
    }

    static boolean consistent(byte[] v) {
        if (v.length != 8 + PADDING) {
            return false;
        }
        long balance = balance(v);
        for (int i = 0; i < PADDING; i++) {
            if (v[8 + i] != (byte) (balance * 31 + i)) {
                return false;
            }
        }
        return true;
    }
}
