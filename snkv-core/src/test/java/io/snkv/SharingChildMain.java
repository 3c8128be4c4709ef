package io.snkv;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The child processes of the multi-process sharing tests ({@link BankTransferInvariantTest},
 * {@link MultiProcessKillTest}, {@link BusyTimeoutTest}, {@link CrossProcessVisibilityTest}). The first
 * argument names the role, the rest are {@code key=value} pairs ({@code db}, {@code mode}, ...).
 *
 * <p>Output protocol (stdout, one line each, flushed): a role prints its progress and final counts as
 * {@code WORD value} lines; {@code BAD <reason>} and exit status 2 when it saw a broken invariant (a wrong
 * total, a torn snapshot); {@code ERROR <exception>} and status 1 (stack trace on stderr) on any exception
 * other than {@link BusyException}, which every role retries; status 3 when its watchdog fired (it ran far
 * past its time: a hang, with every thread's stack on stderr). Status 0 means it finished cleanly.
 */
public final class SharingChildMain {
    /** Seconds a role may run past its own time limit before the watchdog ends it. */
    private static final int WATCHDOG_GRACE_SECONDS = 45;

    /** Every loop also stops after this many rounds, whatever its time limit says. */
    private static final int MAX_LOOPS = 1_000_000;

    static final String ACCOUNT_PREFIX = "account-";

    private static final PrintStream OUT = System.out;

    private SharingChildMain() {
    }

    public static void main(String[] args) {
        String role = args[0];
        Map<String, String> a = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            a.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        startWatchdog(Integer.parseInt(a.getOrDefault("seconds", "60")) + WATCHDOG_GRACE_SECONDS);
        try {
            switch (role) {
                case "bank-writer" -> bankWriter(a);
                case "bank-reader" -> bankReader(a);
                case "bank-checkpointer" -> bankCheckpointer(a);
                case "kill-writer" -> killWriter(a);
                case "kill-reader" -> killReader(a);
                case "hold-write" -> holdWrite(a);
                case "put" -> put(a);
                case "bulk" -> bulk(a);
                case "counter-writer" -> counterWriter(a);
                default -> throw new IllegalArgumentException("unknown role " + role);
            }
        } catch (Throwable t) {
            OUT.println("ERROR " + String.valueOf(t).replace('\n', ' '));
            OUT.flush();
            t.printStackTrace();
            System.err.flush();
            Runtime.getRuntime().halt(1);
        }
        OUT.flush();
        Runtime.getRuntime().halt(0);
    }

    // ---- bank: transfers between accounts, readers checking the total ----

    /** Account {@code i}'s key: long enough (160 bytes) that the accounts spread over several leaf pages. */
    static byte[] accountKey(int i) {
        StringBuilder b = new StringBuilder(ACCOUNT_PREFIX).append(String.format("%03d-", i));
        while (b.length() < 160) {
            b.append((char) ('a' + (b.length() + i) % 26));
        }
        return b.toString().getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] longBytes(long v) {
        return ByteBuffer.allocate(8).putLong(v).array();
    }

    static long longOf(byte[] b, String what) {
        if (b.length != 8) {
            throw new IllegalStateException(what + " holds " + b.length + " bytes, expected 8");
        }
        return ByteBuffer.wrap(b).getLong();
    }

    /**
     * Moves random amounts between random accounts, one explicit write transaction each; one in eight also
     * writes or deletes a "noise" entry of up to 6 KB (page splits, overflow chains, freed pages).
     */
    private static void bankWriter(Map<String, String> a) {
        long deadline = deadline(a);
        long max = Long.parseLong(a.get("max"));
        int accounts = Integer.parseInt(a.get("accounts"));
        SplittableRandom rnd = new SplittableRandom(Long.parseLong(a.get("seed")));
        long transfers = 0;
        long busy = 0;
        try (KVStore store = open(a)) {
            while (transfers < max && System.nanoTime() < deadline) {
                int from = rnd.nextInt(accounts);
                int to = rnd.nextInt(accounts - 1);
                if (to >= from) {
                    to++;
                }
                try {
                    store.begin(true);
                    long fromBalance = balance(store, from);
                    long toBalance = balance(store, to);
                    long amount = fromBalance == 0 ? 0 : 1 + rnd.nextLong(fromBalance);
                    store.put(accountKey(from), longBytes(fromBalance - amount));
                    store.put(accountKey(to), longBytes(toBalance + amount));
                    int noise = rnd.nextInt(16);
                    if (noise < 2) {
                        byte[] v = new byte[rnd.nextInt(6000)];
                        rnd.nextBytes(v);
                        store.put(("noise-" + rnd.nextInt(200)).getBytes(StandardCharsets.US_ASCII), v);
                    } else if (noise == 2) {
                        store.delete(("noise-" + rnd.nextInt(200)).getBytes(StandardCharsets.US_ASCII));
                    }
                    store.commit();
                    transfers++;
                } catch (BusyException e) {
                    busy++;
                    if (store.inTransaction()) {
                        store.rollback();
                    }
                }
            }
        }
        OUT.println("TRANSFERS " + transfers + " BUSY " + busy);
    }

    private static long balance(KVStore store, int account) {
        Optional<byte[]> v = store.get(accountKey(account));
        if (v.isEmpty()) {
            bad("account " + account + " is missing");
        }
        return longOf(v.get(), "account " + account);
    }

    /**
     * Opens read transactions and checks inside each that the accounts sum to the total: by point reads
     * (in a random order, sometimes pausing midway so writers commit during the snapshot) or by a scan of
     * the whole store.
     */
    private static void bankReader(Map<String, String> a) throws InterruptedException {
        long deadline = deadline(a);
        long max = Long.parseLong(a.get("max"));
        int accounts = Integer.parseInt(a.get("accounts"));
        long total = Long.parseLong(a.get("total"));
        SplittableRandom rnd = new SplittableRandom(Long.parseLong(a.get("seed")));
        long snapshots = 0;
        long scans = 0;
        long busy = 0;
        long changes = 0; // snapshots whose balances differ from the previous one's: other processes' commits seen
        long lastFingerprint = 0;
        try (KVStore store = open(a)) {
            while (snapshots < max && System.nanoTime() < deadline) {
                try {
                    store.begin(false);
                    long sum;
                    if (rnd.nextInt(4) == 0) {
                        sum = scanSum(store, accounts, snapshots);
                        scans++;
                    } else {
                        int pauseAt = rnd.nextInt(3) == 0 ? rnd.nextInt(accounts) : -1;
                        int start = rnd.nextInt(accounts);
                        sum = 0;
                        for (int i = 0; i < accounts; i++) {
                            if (i == pauseAt) {
                                Thread.sleep(rnd.nextInt(1, 15));
                            }
                            int acct = (start + i) % accounts;
                            long b = balance(store, acct);
                            if (b < 0) {
                                bad("snapshot " + snapshots + ": account " + acct + " has balance " + b);
                            }
                            sum += b;
                        }
                    }
                    if (sum != total) {
                        bad("snapshot " + snapshots + ": accounts sum to " + sum + ", expected " + total);
                    }
                    long fingerprint = fingerprint(store, accounts);
                    store.commit();
                    if (snapshots > 0 && fingerprint != lastFingerprint) {
                        changes++;
                    }
                    lastFingerprint = fingerprint;
                    snapshots++;
                } catch (BusyException e) {
                    busy++;
                    if (store.inTransaction()) {
                        store.rollback();
                    }
                }
            }
        }
        OUT.println("SNAPSHOTS " + snapshots + " CHANGES " + changes + " SCANS " + scans + " BUSY " + busy);
    }

    /** A hash of every balance, in this snapshot. */
    private static long fingerprint(KVStore store, int accounts) {
        long h = 1;
        for (int i = 0; i < accounts; i++) {
            h = h * 1_000_003L + balance(store, i);
        }
        return h;
    }

    private static long scanSum(KVStore store, int accounts, long snapshot) {
        byte[] prefix = ACCOUNT_PREFIX.getBytes(StandardCharsets.US_ASCII);
        long sum = 0;
        int seen = 0;
        try (KVIterator it = store.iterator()) {
            for (boolean ok = it.first(); ok; ok = it.next()) {
                byte[] k = it.key();
                if (k.length >= prefix.length && Arrays.equals(k, 0, prefix.length, prefix, 0, prefix.length)) {
                    if (!Arrays.equals(k, accountKey(seen))) {
                        bad("snapshot " + snapshot + " (scan): account key #" + seen + " is "
                                + StoreContents.describe(k));
                    }
                    long b = longOf(it.value(), "account " + seen);
                    if (b < 0) {
                        bad("snapshot " + snapshot + " (scan): account " + seen + " has balance " + b);
                    }
                    sum += b;
                    seen++;
                }
            }
        }
        if (seen != accounts) {
            bad("snapshot " + snapshot + " (scan): found " + seen + " accounts, expected " + accounts);
        }
        return sum;
    }

    /** PASSIVE checkpoints every few milliseconds; about one in five is FULL, RESTART or TRUNCATE. */
    private static void bankCheckpointer(Map<String, String> a) throws InterruptedException {
        long deadline = deadline(a);
        long max = Long.parseLong(a.get("max"));
        SplittableRandom rnd = new SplittableRandom(Long.parseLong(a.get("seed")));
        long done = 0;
        long busy = 0;
        long frames = 0;
        try (KVStore store = open(a)) {
            while (done < max && System.nanoTime() < deadline) {
                int r = rnd.nextInt(20);
                CheckpointMode mode = r < 16 ? CheckpointMode.PASSIVE
                        : r < 18 ? CheckpointMode.FULL : r < 19 ? CheckpointMode.RESTART : CheckpointMode.TRUNCATE;
                try {
                    CheckpointResult res = store.checkpoint(mode);
                    if (res.framesCheckpointed() > res.framesInLog()) {
                        bad(mode + " checkpoint reports " + res.framesCheckpointed() + " frames checkpointed of "
                                + res.framesInLog() + " in the log");
                    }
                    frames += Math.max(0, res.framesCheckpointed());
                    done++;
                } catch (BusyException e) {
                    busy++;
                }
                Thread.sleep(rnd.nextInt(5, 60));
            }
        }
        OUT.println("CHECKPOINTS " + done + " BUSY " + busy + " FRAMES " + frames);
    }

    // ---- kill: a writer killed mid-transaction, readers checking every snapshot ----

    /** Prints {@code RECOVERED <k>}, then commits {@link CrashWorkload} transactions k+1, ... until killed. */
    private static void killWriter(Map<String, String> a) {
        long deadline = deadline(a);
        CheckpointMode[] modes = CheckpointMode.values();
        KVStore store = open(a);
        long k = CrashWorkload.counterOf(store);
        OUT.println("RECOVERED " + k);
        OUT.flush();
        long busy = 0;
        for (long n = k + 1; n <= k + MAX_LOOPS && System.nanoTime() < deadline; n++) {
            for (int attempt = 1; ; attempt++) {
                try {
                    CrashWorkload.commit(store, n);
                    break;
                } catch (BusyException e) {
                    busy++;
                    if (attempt >= MAX_LOOPS || System.nanoTime() > deadline) {
                        throw e;
                    }
                }
            }
            OUT.println("COMMITTED " + n);
            OUT.flush();
            if (n % 40 == 0) {
                try {
                    store.checkpoint(modes[(int) (n / 40 % modes.length)]);
                } catch (BusyException e) {
                    busy++;
                }
            }
        }
        // Not reached in a normal run: the parent kills this process long before.
        OUT.println("TIMEOUT BUSY " + busy);
        store.close();
    }

    /**
     * Read transactions until the stop file appears: each reads the counter {@code n} and checks that every
     * change of transaction {@code n} is there, that {@code log-(n-4)..log-n} exist and {@code log-(n-5)}
     * does not (so the snapshot is one committed state, not a mix), and that {@code n} never goes back.
     */
    private static void killReader(Map<String, String> a) throws InterruptedException {
        long deadline = deadline(a);
        Path stop = Path.of(a.get("stop"));
        SplittableRandom rnd = new SplittableRandom(Long.parseLong(a.get("seed")));
        long snapshots = 0;
        long busy = 0;
        long last = 0;
        try (KVStore store = open(a)) {
            while (snapshots < MAX_LOOPS && !Files.exists(stop) && System.nanoTime() < deadline) {
                try {
                    store.begin(false);
                    long n = CrashWorkload.counterOf(store);
                    if (n < last) {
                        bad("snapshot " + snapshots + ": counter went back from " + last + " to " + n);
                    }
                    if (rnd.nextInt(4) == 0) {
                        Thread.sleep(rnd.nextInt(1, 10));
                    }
                    String problem = checkTransaction(store, n);
                    if (problem != null) {
                        bad("snapshot " + snapshots + " at counter " + n + ": " + problem);
                    }
                    store.commit();
                    if (n > last) {
                        OUT.println("SEEN " + n);
                        OUT.flush();
                    }
                    last = n;
                    snapshots++;
                } catch (BusyException e) {
                    busy++;
                    if (busy <= 20 || busy % 100 == 0) {
                        OUT.println("BUSY " + busy + " " + e.getMessage());
                    }
                    if (store.inTransaction()) {
                        store.rollback();
                    }
                }
                if (rnd.nextInt(3) == 0) {
                    Thread.sleep(rnd.nextInt(1, 8));
                }
            }
        }
        OUT.println("SNAPSHOTS " + snapshots + " BUSY " + busy + " LAST " + last);
    }

    /** Null when the store (inside a read transaction) shows transaction {@code n} complete; else what's wrong. */
    static String checkTransaction(KVStore store, long n) {
        if (n == 0) {
            return null;
        }
        Map<ByteBuffer, CrashWorkload.Value> finalValues = new LinkedHashMap<>();
        for (CrashWorkload.Change ch : CrashWorkload.changes(n)) {
            finalValues.put(ByteBuffer.wrap(ch.key()), ch.value());
        }
        for (Map.Entry<ByteBuffer, CrashWorkload.Value> e : finalValues.entrySet()) {
            byte[] key = e.getKey().array();
            Optional<byte[]> got = store.get(key);
            if (e.getValue() == null) {
                if (got.isPresent()) {
                    return "key " + StoreContents.describe(key) + " deleted by transaction " + n + " is present";
                }
            } else {
                if (got.isEmpty()) {
                    return "key " + StoreContents.describe(key) + " written by transaction " + n + " is missing";
                }
                if (!Arrays.equals(got.get(), e.getValue().bytes())) {
                    return "key " + StoreContents.describe(key) + " does not hold transaction " + n + "'s value: "
                            + StoreContents.describe(got.get());
                }
            }
        }
        for (long m = Math.max(1, n - 4); m <= n; m++) {
            byte[] key = ("log-" + m).getBytes(StandardCharsets.US_ASCII);
            Optional<byte[]> got = store.get(key);
            if (got.isEmpty() || !Arrays.equals(got.get(), new CrashWorkload.Value(m, 3, 16).bytes())) {
                return "log-" + m + " is " + got.map(StoreContents::describe).orElse("missing");
            }
        }
        if (n > 5 && store.exists(("log-" + (n - 5)).getBytes(StandardCharsets.US_ASCII))) {
            return "log-" + (n - 5) + " is still present";
        }
        return null;
    }

    // ---- small roles driven line by line ----

    /**
     * Opens a write transaction with one put, prints {@code HOLDING}, commits when a line arrives on stdin
     * and prints {@code COMMITTED}; closes after the next line (or end of input) and prints {@code CLOSED}.
     */
    private static void holdWrite(Map<String, String> a) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try (KVStore store = open(a)) {
            store.begin(true);
            store.put(a.get("key"), a.get("value"));
            OUT.println("HOLDING");
            OUT.flush();
            in.readLine();
            store.commit();
            OUT.println("COMMITTED");
            OUT.flush();
            in.readLine();
        }
        OUT.println("CLOSED");
    }

    /** Puts {@code key=value}, prints {@code PUT}; with {@code hold=true} waits for a stdin line before closing. */
    private static void put(Map<String, String> a) throws IOException {
        try (KVStore store = open(a)) {
            store.put(a.get("key"), a.get("value"));
            OUT.println("PUT");
            OUT.flush();
            if (Boolean.parseBoolean(a.getOrDefault("hold", "false"))) {
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            }
        }
        OUT.println("CLOSED");
    }

    /**
     * Overwrites {@code count} keys {@code <prefix>-<i>} with {@code size}-byte values tagged {@code tag},
     * {@code per} puts to a transaction, then runs a checkpoint of mode {@code checkpoint} (unless NONE),
     * printing {@code CHECKPOINT <framesInLog> <framesCheckpointed>} or {@code CHECKPOINT BUSY}; prints
     * {@code DONE}, then waits for a stdin line (or end of input) before closing.
     */
    private static void bulk(Map<String, String> a) throws IOException {
        int count = Integer.parseInt(a.get("count"));
        int size = Integer.parseInt(a.get("size"));
        int per = Integer.parseInt(a.get("per"));
        String prefix = a.get("prefix");
        String tag = a.get("tag");
        try (KVStore store = open(a)) {
            for (int i = 0; i < count; i += per) {
                store.begin(true);
                for (int j = i; j < Math.min(count, i + per); j++) {
                    store.put((prefix + "-" + j).getBytes(StandardCharsets.US_ASCII), bulkValue(tag, j, size));
                }
                store.commit();
            }
            String mode = a.getOrDefault("checkpoint", "NONE");
            if (!mode.equals("NONE")) {
                try {
                    CheckpointResult r = store.checkpoint(CheckpointMode.valueOf(mode));
                    OUT.println("CHECKPOINT " + r.framesInLog() + " " + r.framesCheckpointed());
                } catch (BusyException e) {
                    OUT.println("CHECKPOINT BUSY");
                }
            }
            OUT.println("DONE");
            OUT.flush();
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        }
        OUT.println("CLOSED");
    }

    /** The value {@link #bulk} writes for key {@code i}: the tag, the index, then filler. */
    static byte[] bulkValue(String tag, int i, int size) {
        byte[] head = (tag + ":" + i + ":").getBytes(StandardCharsets.US_ASCII);
        byte[] v = new byte[Math.max(size, head.length)];
        System.arraycopy(head, 0, v, 0, head.length);
        for (int j = head.length; j < v.length; j++) {
            v[j] = (byte) (tag.hashCode() + i * 31 + j);
        }
        return v;
    }

    /**
     * Commits transactions {@code n = 1, 2, ...} until the stop file appears, each setting {@code ctr-a} and
     * {@code ctr-b} to {@code n} and rewriting one of 40 1 KB {@code fill-} entries; prints
     * {@code COMMITTED <n>} after each.
     */
    private static void counterWriter(Map<String, String> a) throws InterruptedException {
        long deadline = deadline(a);
        Path stop = Path.of(a.get("stop"));
        long n = 0;
        long busy = 0;
        try (KVStore store = open(a)) {
            while (n < MAX_LOOPS && !Files.exists(stop) && System.nanoTime() < deadline) {
                long next = n + 1;
                try {
                    store.begin(true);
                    store.put("ctr-a".getBytes(StandardCharsets.US_ASCII), longBytes(next));
                    store.put(("fill-" + next % 40).getBytes(StandardCharsets.US_ASCII), new byte[1000 + (int) (next % 7)]);
                    store.put("ctr-b".getBytes(StandardCharsets.US_ASCII), longBytes(next));
                    store.commit();
                    n = next;
                    OUT.println("COMMITTED " + n);
                    OUT.flush();
                } catch (BusyException e) {
                    busy++;
                    if (store.inTransaction()) {
                        store.rollback();
                    }
                }
                Thread.sleep(3);
            }
        }
        OUT.println("CLOSED " + n + " BUSY " + busy);
    }

    // ---- plumbing ----

    /**
     * Opens the store, retrying while it is busy (opening reads the header, which another connection may be
     * committing or, in rollback mode, playing back a dead writer's journal) for up to the role's time.
     */
    private static KVStore open(Map<String, String> a) {
        long deadline = deadline(a);
        for (int attempt = 1; ; attempt++) {
            try {
                return KVStore.open(Path.of(a.get("db")), config(a));
            } catch (BusyException e) {
                if (attempt >= MAX_LOOPS || System.nanoTime() > deadline) {
                    throw e;
                }
                OUT.println("OPEN-BUSY " + e.getMessage());
            }
        }
    }

    private static KVStoreConfig config(Map<String, String> a) {
        return KVStoreConfig.builder()
                .journalMode(JournalMode.valueOf(a.get("mode")))
                .busyTimeout(Duration.ofMillis(Long.parseLong(a.getOrDefault("busyMs", "5000"))))
                .walSizeLimit(Integer.parseInt(a.getOrDefault("walSizeLimit", "0")))
                .cacheSize(Integer.parseInt(a.getOrDefault("cacheSize", "200")))
                .build();
    }

    private static long deadline(Map<String, String> a) {
        return System.nanoTime() + Long.parseLong(a.getOrDefault("seconds", "60")) * 1_000_000_000L;
    }

    private static void bad(String reason) {
        OUT.println("BAD " + reason.replace('\n', ' '));
        OUT.flush();
        Runtime.getRuntime().halt(2);
    }

    /** Ends this JVM with status 3 (after printing every thread's stack to stderr) if it is still running. */
    private static void startWatchdog(int seconds) {
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(seconds * 1000L);
            } catch (InterruptedException e) {
                return;
            }
            System.err.println("WATCHDOG: still running after " + seconds + " s; thread stacks:");
            for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
                System.err.println("\"" + e.getKey().getName() + "\" " + e.getKey().getState());
                for (StackTraceElement s : e.getValue()) {
                    System.err.println("    at " + s);
                }
            }
            System.err.flush();
            OUT.println("WATCHDOG");
            OUT.flush();
            Runtime.getRuntime().halt(3);
        }, "watchdog");
        t.setDaemon(true);
        t.start();
    }
}
