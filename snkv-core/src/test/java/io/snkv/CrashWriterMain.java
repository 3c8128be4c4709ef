package io.snkv;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * The child process of {@link CrashRecoveryTest}: opens a store, optionally verifies what it recovered, then
 * commits {@link CrashWorkload} transactions forever (until killed), printing {@code COMMITTED <n>} after each
 * commit returns. Checkpoints every 50 transactions, cycling through the modes, so kills also land inside
 * checkpoints.
 *
 * <p>Arguments: {@code <db> <WAL|DELETE> <OFF|NORMAL|FULL> <pageSize> <verifyFrom> <verifyTo> <maxSeconds>}.
 * When {@code verifyFrom >= 0} the recovered counter must lie in {@code [verifyFrom, verifyTo]} and the content
 * must be exactly the content after that many transactions, with a clean integrity check; otherwise the child
 * prints {@code VERIFY-FAILED <reason>} and exits with status 2. Prints {@code RECOVERED <counter>} before
 * the first commit. Exits with status 3 after {@code maxSeconds} (a guard against orphans; the parent kills it
 * long before).
 */
public final class CrashWriterMain {
    private CrashWriterMain() {
    }

    public static void main(String[] args) {
        Path db = Path.of(args[0]);
        JournalMode mode = JournalMode.valueOf(args[1]);
        SyncLevel sync = SyncLevel.valueOf(args[2]);
        int pageSize = Integer.parseInt(args[3]);
        long verifyFrom = Long.parseLong(args[4]);
        long verifyTo = Long.parseLong(args[5]);
        long deadline = System.nanoTime() + Long.parseLong(args[6]) * 1_000_000_000L;
        PrintStream out = System.out;

        KVStore store = KVStore.open(db, config(mode, sync, pageSize));
        long counter = CrashWorkload.counterOf(store);
        if (verifyFrom >= 0) {
            String problem = verify(store, counter, verifyFrom, verifyTo);
            if (problem != null) {
                out.println("VERIFY-FAILED " + problem.replace('\n', ' '));
                out.flush();
                System.exit(2);
            }
        }
        out.println("RECOVERED " + counter);
        out.flush();
        CheckpointMode[] modes = CheckpointMode.values();
        for (long n = counter + 1; System.nanoTime() < deadline; n++) {
            CrashWorkload.commit(store, n);
            out.println("COMMITTED " + n);
            out.flush();
            if (n % 50 == 0) {
                store.checkpoint(modes[(int) (n / 50 % modes.length)]);
            }
        }
        System.exit(3);
    }

    /** The config both the child and the parent open the store with. */
    static KVStoreConfig config(JournalMode mode, SyncLevel sync, int pageSize) {
        return KVStoreConfig.builder().journalMode(mode).syncLevel(sync).pageSize(pageSize).cacheSize(50)
                .walSizeLimit(400).build();
    }

    private static String verify(KVStore store, long counter, long from, long to) {
        if (counter < from || counter > to) {
            return "recovered counter " + counter + " outside the expected range [" + from + ", " + to + "]";
        }
        CrashWorkload.Model model = new CrashWorkload.Model();
        model.advanceTo(counter);
        String diff = StoreContents.difference(model.materialize(), StoreContents.read(store));
        if (diff != null) {
            return "content after recovery is not the content after transaction " + counter + ": " + diff;
        }
        List<String> problems = store.integrityCheck();
        if (!problems.isEmpty()) {
            return "integrityCheck() after recovery: " + problems;
        }
        return null;
    }
}
