package io.snkv;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Several processes share one store: writer JVMs move money between accounts in write transactions, reader
 * JVMs check inside read transactions that the accounts always add up to the same total, a checkpointer JVM
 * keeps copying the WAL back into the database file (and restarting it), and the writers' {@code walSizeLimit}
 * adds automatic checkpoints. Any wrong total, any exception but {@link BusyException}, any non-zero exit
 * fails.
 *
 * <p>Two writers, two readers and a checkpointer ({@code -Dsnkv.bank.writers} changes the number of
 * writers). Bounded per journal mode by {@code -Dsnkv.bank.seconds} (default 20) and by a transaction count
 * per child. Every writer must commit and every reader must see other processes' transfers. The seed is printed; {@code -Dsnkv.seed=<seed>} repeats the children's random choices (their
 * interleaving still varies).
 */
@Tag("slow")
@Tag("multiprocess")
class BankTransferInvariantTest {
    private static final long BASE_SEED = TestSeed.resolve("BankTransferInvariantTest");
    private static final int SECONDS = Integer.getInteger("snkv.bank.seconds", 20);
    private static final int ACCOUNTS = 50;
    private static final long OPENING_BALANCE = 1_000;
    private static final long TOTAL = ACCOUNTS * OPENING_BALANCE;
    private static final int WRITERS = Integer.getInteger("snkv.bank.writers", 2);
    private static final int READERS = 2;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} journal")
    @EnumSource(value = JournalMode.class, names = {"WAL", "DELETE"})
    @Timeout(value = 180, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void accountsAlwaysSumToTheTotal(JournalMode mode) throws Exception {
        long seed = TestSeed.derive(BASE_SEED, mode.ordinal());
        String where = mode + " journal, seed " + seed + " (-Dsnkv.seed=" + BASE_SEED + ")";
        System.out.println("[BankTransferInvariantTest] " + where);
        Path db = dir.resolve("bank.db");
        KVStoreConfig config = KVStoreConfig.builder().journalMode(mode).busyTimeout(Duration.ofSeconds(5)).build();
        try (KVStore store = KVStore.open(db, config)) {
            store.begin(true);
            for (int i = 0; i < ACCOUNTS; i++) {
                store.put(SharingChildMain.accountKey(i), SharingChildMain.longBytes(OPENING_BALANCE));
            }
            store.commit();
        }

        List<SharingChild> writers = new ArrayList<>();
        List<SharingChild> readers = new ArrayList<>();
        SharingChild checkpointer;
        try (SharingChild.Group kids = new SharingChild.Group(dir)) {
            String[] common = {"db=" + db, "mode=" + mode, "seconds=" + SECONDS, "accounts=" + ACCOUNTS};
            for (int i = 0; i < WRITERS; i++) {
                writers.add(kids.start("writer-" + mode + "-" + i, "bank-writer",
                        concat(common, "max=1000000", "seed=" + TestSeed.derive(seed, 10 + i), "busyMs=5000",
                                "walSizeLimit=" + (20 + 17 * i), "cacheSize=" + (i == 0 ? 20 : 500))));
            }
            for (int i = 0; i < READERS; i++) {
                readers.add(kids.start("reader-" + mode + "-" + i, "bank-reader",
                        concat(common, "max=1000000", "total=" + TOTAL, "seed=" + TestSeed.derive(seed, 20 + i),
                                "busyMs=5000", "cacheSize=" + (i == 0 ? 20 : 500))));
            }
            checkpointer = kids.start("checkpointer-" + mode, "bank-checkpointer",
                    concat(common, "max=1000000", "seed=" + TestSeed.derive(seed, 30), "busyMs=2000"));

            List<SharingChild> all = new ArrayList<>(writers);
            all.addAll(readers);
            all.add(checkpointer);
            try {
                SharingChild.awaitAllSucceed(all, TimeUnit.SECONDS.toMillis(SECONDS + 60), where);
            } finally {
                System.out.println("[BankTransferInvariantTest] " + where + ": " + summary(all));
            }

            long transfers = 0;
            for (SharingChild w : writers) {
                long n = count(w, "TRANSFERS ");
                assertThat(n).as("%s: transfers committed by %s", where, w.describe()).isPositive();
                transfers += n;
            }
            long snapshots = 0;
            for (SharingChild r : readers) {
                long n = count(r, "SNAPSHOTS ");
                assertThat(n).as("%s: snapshots checked by %s", where, r.describe()).isPositive();
                String[] words = r.lastLine("SNAPSHOTS ").split(" ");
                long changes = Long.parseLong(words[3]);
                assertThat(changes).as("%s: snapshots of %s that saw other processes' transfers (a reader must see "
                        + "new commits without reopening)", where, r.describe()).isPositive();
                snapshots += n;
            }
            System.out.println("[BankTransferInvariantTest] " + where + ": " + transfers + " transfers, "
                    + snapshots + " snapshots checked");
        }

        try (KVStore store = KVStore.open(db, config)) {
            long sum = 0;
            for (int i = 0; i < ACCOUNTS; i++) {
                byte[] v = store.get(SharingChildMain.accountKey(i))
                        .orElseThrow(() -> new AssertionError("an account is missing at the end"));
                sum += SharingChildMain.longOf(v, "account");
            }
            assertThat(sum).as("%s: final total", where).isEqualTo(TOTAL);
            long accounts = 0;
            try (KVIterator it = store.iterator()) {
                for (boolean ok = it.first(); ok; ok = it.next()) {
                    if (new String(it.key(), StandardCharsets.US_ASCII).startsWith(SharingChildMain.ACCOUNT_PREFIX)) {
                        accounts++;
                    }
                }
            }
            assertThat(accounts).as("%s: accounts found by a scan", where).isEqualTo(ACCOUNTS);
            assertThat(store.integrityCheck()).as("%s: integrityCheck()", where).isEmpty();
        }
    }

    private static long count(SharingChild c, String word) throws Exception {
        String line = c.lastLine(word);
        assertThat(line).as("%s printed no %s line", c.describe(), word.trim()).isNotNull();
        return Long.parseLong(line.split(" ")[1]);
    }

    private static String summary(List<SharingChild> children) throws Exception {
        StringBuilder b = new StringBuilder();
        for (SharingChild c : children) {
            List<String> lines = c.lines();
            b.append(c.name()).append(": ").append(lines.isEmpty() ? "-" : lines.get(lines.size() - 1)).append("; ");
        }
        return b.toString();
    }

    private static String[] concat(String[] a, String... b) {
        String[] r = new String[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
