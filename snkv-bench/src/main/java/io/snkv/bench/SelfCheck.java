package io.snkv.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The counts one pass observes, compared with the self-check table of WORKLOADS.md (valid for N = 1,000,000 and
 * seed 42 only). A difference means the engine did something semantically different, so its timings are not
 * comparable.
 */
final class SelfCheck {

    static final int CHECKED_N = 1_000_000;

    /** The first eight draws of nextInt(1_000_000) from SplittableRandom(42), as WORKLOADS.md lists them. */
    private static final int[] FIRST_DRAWS = {845031, 697556, 822481, 203172, 986781, 364071, 458856, 18519};

    long phase2Found;
    long phase2Bytes;
    long phase3Entries;
    long phase3Bytes;
    long phase6Exist;
    long phase7Gets;
    long phase7Hits;
    long phase7Puts;
    long phase7Deletes;
    long phase7Count;
    long phase7Bytes;
    long phase8Count;

    /** Fails fast if this JDK's generator is not the one the expected counts were made with. */
    static void verifyGenerator() {
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < FIRST_DRAWS.length; i++) {
            int draw = random.nextInt(CHECKED_N);
            if (draw != FIRST_DRAWS[i]) {
                throw new IllegalStateException("SplittableRandom(42) draw " + i + " is " + draw
                        + ", expected " + FIRST_DRAWS[i]);
            }
        }
    }

    private Map<String, long[]> observedAndExpected() {
        Map<String, long[]> m = new LinkedHashMap<>();
        m.put("phase2 gets found", new long[] {phase2Found, 50_000});
        m.put("phase2 value bytes", new long[] {phase2Bytes, 3_050_000});
        m.put("phase3 entries", new long[] {phase3Entries, 1_000_000});
        m.put("phase3 key+value bytes", new long[] {phase3Bytes, 73_000_000});
        m.put("phase6 exist", new long[] {phase6Exist, 49_766});
        m.put("phase7 gets", new long[] {phase7Gets, 14_083});
        m.put("phase7 gets found", new long[] {phase7Hits, 13_993});
        m.put("phase7 puts", new long[] {phase7Puts, 3_964});
        m.put("phase7 deletes", new long[] {phase7Deletes, 1_953});
        m.put("phase7 committed entries", new long[] {phase7Count, 993_103});
        m.put("phase7 committed key+value bytes", new long[] {phase7Bytes, 71_951_002});
        m.put("phase8 entries", new long[] {phase8Count, 1_000_000});
        return m;
    }

    /**
     * Prints every count to standard error, with the expected one when {@code n} is the checked size, and returns
     * the differences (empty when all match or when {@code n} is not checked).
     */
    List<String> report(String impl, int pass, int n) {
        boolean checked = n == CHECKED_N;
        List<String> differences = new ArrayList<>();
        for (Map.Entry<String, long[]> e : observedAndExpected().entrySet()) {
            long got = e.getValue()[0];
            long want = e.getValue()[1];
            String verdict = !checked ? "(not checked: N=" + n + ")" : got == want ? "PASS" : "FAIL expected " + want;
            System.err.printf("check impl=%s pass=%d %s: %d %s%n", impl, pass, e.getKey(), got, verdict);
            if (checked && got != want) {
                differences.add(e.getKey() + "=" + got + " (expected " + want + ")");
            }
        }
        return differences;
    }
}
