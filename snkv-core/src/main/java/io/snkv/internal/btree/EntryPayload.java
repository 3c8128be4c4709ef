package io.snkv.internal.btree;

/** An SNKV entry's payload {@code [4-byte BE key length][key][value]}, without concatenating it. */
final class EntryPayload implements OverflowChain.PayloadSource {
    final byte[] key;
    final byte[] value;
    final int size;

    EntryPayload(byte[] key, byte[] value) {
        this.key = key;
        this.value = value;
        this.size = 4 + key.length + value.length;
    }

    @Override
    public void copy(int from, byte[] dest, int destOff, int len) {
        int pos = from;
        int out = destOff;
        int end = from + len;
        while (pos < end && pos < 4) {
            dest[out++] = (byte) (key.length >>> (8 * (3 - pos)));
            pos++;
        }
        int keyEnd = 4 + key.length;
        if (pos < end && pos < keyEnd) {
            int n = Math.min(end, keyEnd) - pos;
            System.arraycopy(key, pos - 4, dest, out, n);
            out += n;
            pos += n;
        }
        if (pos < end) {
            System.arraycopy(value, pos - keyEnd, dest, out, end - pos);
        }
    }
}
