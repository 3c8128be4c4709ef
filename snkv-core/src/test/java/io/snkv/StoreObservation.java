package io.snkv;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Everything one session with a store returned: open, an optional change, {@code get} and {@code exists} of
 * every probed key, a full forward iteration, {@code count()}, {@code integrityCheck()}, close.
 *
 * <p>Each operation runs on its own: a {@link KVException} with code {@link ErrorCode#CORRUPT} is recorded
 * as reported damage and the session goes on with the next operation (after a failed open, nothing else
 * runs). Any other throwable (another exception type, another error code, an {@link Error} such as
 * {@link OutOfMemoryError} or {@link StackOverflowError}) ends the session at once with an
 * {@link AssertionError} naming the operation; the original is its cause.
 */
final class StoreObservation {
    /** A change applied to the store after open, before the reads. */
    @FunctionalInterface
    interface Change {
        void apply(KVStore store);
    }

    private final List<String> reportedDamage = new ArrayList<>();
    private final NavigableMap<byte[], Optional<byte[]>> gets = new TreeMap<>(Arrays::compareUnsigned);
    private final NavigableMap<byte[], Boolean> exists = new TreeMap<>(Arrays::compareUnsigned);
    private final List<Map.Entry<byte[], byte[]>> iterated = new ArrayList<>();
    private String iterationProblem;
    private boolean iterationRaised;
    private Long count;
    private List<String> integrityProblems;
    private final String context;

    private StoreObservation(String context) {
        this.context = context;
    }

    /**
     * Runs one session.
     *
     * @param probeKeys      keys to {@code get} and test with {@code exists}
     * @param iterationLimit stop iterating (and record a problem) after this many entries: a cycle must not hang
     * @param change         applied right after open; null for none
     */
    static StoreObservation observe(String context, Path db, KVStoreConfig config, Collection<byte[]> probeKeys,
                                    int iterationLimit, Change change) {
        StoreObservation o = new StoreObservation(context);
        KVStore store = o.run("open", () -> KVStore.open(db, config));
        if (store == null) {
            return o;
        }
        try {
            if (change != null) {
                o.run("change", () -> {
                    change.apply(store);
                    return Boolean.TRUE;
                });
            }
            for (byte[] key : probeKeys) {
                Optional<byte[]> value = o.run("get(" + shortHex(key) + ")", () -> store.get(key));
                if (value != null) {
                    o.gets.put(key, value);
                }
                Boolean found = o.run("exists(" + shortHex(key) + ")", () -> store.exists(key));
                if (found != null) {
                    o.exists.put(key, found);
                }
            }
            o.run("iterate", () -> {
                o.iterate(store, iterationLimit);
                return Boolean.TRUE;
            });
            o.count = o.run("count", store::count);
            o.integrityProblems = o.run("integrityCheck", store::integrityCheck);
        } catch (AssertionError e) {
            closeQuietly(store, e);
            throw e;
        }
        o.run("close", () -> {
            store.close();
            return Boolean.TRUE;
        });
        return o;
    }

    private static void closeQuietly(KVStore store, AssertionError pending) {
        try {
            store.close();
        } catch (Throwable t) {
            pending.addSuppressed(t);
        }
    }

    /** Keys to probe for these expectations: every live and every absent key of each, without repeats. */
    static Collection<byte[]> probeKeys(Collection<ExpectedContent> expectations) {
        TreeSet<byte[]> keys = new TreeSet<>(Arrays::compareUnsigned);
        for (ExpectedContent e : expectations) {
            keys.addAll(e.entries().keySet());
            keys.addAll(e.absentKeys());
        }
        return keys;
    }

    private void iterate(KVStore store, int limit) {
        iterationRaised = true; // cleared when the loop ends normally
        try (KVIterator it = store.iterator()) {
            for (boolean on = it.first(); on; on = it.next()) {
                if (!it.valid()) {
                    iterationProblem = "valid() is false on entry " + iterated.size();
                    break;
                }
                if (iterated.size() >= limit) {
                    iterationProblem = "iterator yielded more than " + limit + " entries";
                    break;
                }
                iterated.add(Map.entry(it.key(), it.value()));
            }
            if (iterationProblem == null && it.valid()) {
                iterationProblem = "valid() is still true after the iterator ended";
            }
        }
        iterationRaised = false;
    }

    private <T> T run(String op, Supplier<T> action) {
        try {
            return action.get();
        } catch (KVException e) {
            if (e.code() == ErrorCode.CORRUPT) {
                reportedDamage.add(op + ": " + e.getMessage());
                return null;
            }
            throw new AssertionError(context + ": " + op + " raised KVException with code " + e.code()
                    + " (only CORRUPT is acceptable for a damaged file): " + e, e);
        } catch (Throwable t) {
            throw new AssertionError(context + ": " + op + " raised " + t.getClass().getName()
                    + " (only a CORRUPT KVException is acceptable): " + t, t);
        }
    }

    /** CORRUPT exceptions raised, each prefixed by its operation. */
    List<String> reportedDamage() {
        return List.copyOf(reportedDamage);
    }

    /** integrityCheck()'s answer, or null when it raised or never ran. */
    List<String> integrityProblems() {
        return integrityProblems;
    }

    /** True when an operation raised CORRUPT or integrityCheck() listed a problem. */
    boolean damageReported() {
        return !reportedDamage.isEmpty() || (integrityProblems != null && !integrityProblems.isEmpty());
    }

    /**
     * How what the store returned differs from {@code expected}; empty when it matches. Operations that
     * raised are not compared (their exception is already in {@link #reportedDamage()}).
     */
    List<String> differencesFrom(ExpectedContent expected) {
        List<String> diffs = new ArrayList<>();
        for (Map.Entry<byte[], byte[]> e : expected.entries().entrySet()) {
            Optional<byte[]> got = gets.get(e.getKey());
            if (got != null) {
                if (got.isEmpty()) {
                    diffs.add("get(" + shortHex(e.getKey()) + ") found nothing");
                } else if (!Arrays.equals(got.get(), e.getValue())) {
                    diffs.add("get(" + shortHex(e.getKey()) + ") " + describeMismatch(got.get(), e.getValue()));
                }
            }
            if (Boolean.FALSE.equals(exists.get(e.getKey()))) {
                diffs.add("exists(" + shortHex(e.getKey()) + ") is false");
            }
        }
        for (byte[] k : expected.absentKeys()) {
            Optional<byte[]> got = gets.get(k);
            if (got != null && got.isPresent()) {
                diffs.add("get(" + shortHex(k) + ") found a value for an absent key");
            }
            if (Boolean.TRUE.equals(exists.get(k))) {
                diffs.add("exists(" + shortHex(k) + ") is true for an absent key");
            }
        }
        List<Map.Entry<byte[], byte[]>> want = expected.entryList();
        int n = Math.min(iterated.size(), want.size());
        for (int i = 0; i < n; i++) {
            Map.Entry<byte[], byte[]> g = iterated.get(i);
            Map.Entry<byte[], byte[]> w = want.get(i);
            if (!Arrays.equals(g.getKey(), w.getKey())) {
                diffs.add("iteration entry " + i + " has key " + shortHex(g.getKey()) + ", expected "
                        + shortHex(w.getKey()));
                break;
            }
            if (!Arrays.equals(g.getValue(), w.getValue())) {
                diffs.add("iteration entry " + i + " (" + shortHex(g.getKey()) + ") "
                        + describeMismatch(g.getValue(), w.getValue()));
                break;
            }
        }
        if (!iterationRaised && iterated.size() != want.size()) {
            diffs.add("iteration yielded " + iterated.size() + " entries, expected " + want.size());
        }
        if (iterationProblem != null) {
            diffs.add(iterationProblem);
        }
        if (count != null && count != want.size()) {
            diffs.add("count() is " + count + ", expected " + want.size());
        }
        return diffs;
    }

    /** The store held exactly {@code expected}, nothing raised and integrityCheck() was empty. */
    void assertExactly(ExpectedContent expected) {
        List<String> diffs = differencesFrom(expected);
        if (!reportedDamage.isEmpty() || !diffs.isEmpty() || integrityProblems == null
                || !integrityProblems.isEmpty()) {
            throw new AssertionError(context + ": expected exactly " + expected.size() + " entries, no error and a"
                    + " clean integrityCheck" + summary(diffs));
        }
    }

    /**
     * Each value returned was right for one of {@code acceptable} (the same one throughout), or the damage
     * was reported (a CORRUPT exception or an integrityCheck() problem). A wrong answer with no report
     * is a silent wrong answer: the failure this assertion exists for.
     */
    void assertCorrectOrDamageReported(List<ExpectedContent> acceptable) {
        if (damageReported()) {
            return;
        }
        List<String> closest = null;
        for (ExpectedContent e : acceptable) {
            List<String> diffs = differencesFrom(e);
            if (diffs.isEmpty()) {
                return;
            }
            if (closest == null) {
                closest = diffs;
            }
        }
        throw new AssertionError(context + ": silent wrong answer: the store returned content that matches no"
                + " acceptable state, raised no CORRUPT error and integrityCheck() found nothing" + summary(closest));
    }

    private String summary(List<String> diffs) {
        StringBuilder sb = new StringBuilder();
        if (diffs != null && !diffs.isEmpty()) {
            sb.append("\n  differences (").append(diffs.size()).append("): ");
            diffs.stream().limit(8).forEach(d -> sb.append("\n    ").append(d));
        }
        if (!reportedDamage.isEmpty()) {
            sb.append("\n  raised (").append(reportedDamage.size()).append("): ");
            reportedDamage.stream().limit(5).forEach(d -> sb.append("\n    ").append(d));
        }
        if (integrityProblems == null) {
            sb.append("\n  integrityCheck did not complete");
        } else if (!integrityProblems.isEmpty()) {
            sb.append("\n  integrityCheck (").append(integrityProblems.size()).append("): ");
            integrityProblems.stream().limit(5).forEach(d -> sb.append("\n    ").append(d));
        }
        return sb.toString();
    }

    private static String describeMismatch(byte[] got, byte[] want) {
        if (got.length != want.length) {
            return "returned " + got.length + " bytes, expected " + want.length;
        }
        return "returned wrong bytes from offset " + Arrays.mismatch(got, want) + " of " + want.length;
    }

    static String shortHex(byte[] key) {
        String hex = GoldenManifest.toHex(key);
        return hex.length() <= 40 ? hex : hex.substring(0, 40) + "...(" + key.length + " bytes)";
    }
}
