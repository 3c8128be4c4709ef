package io.snkv.node;

import io.snkv.KVStore;
import io.snkv.KVStoreConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A reader in its own JVM on a replica's database: in each read transaction the accounts must sum to the
 * total and every account's padding must carry its balance (a transfer rewrites both in one transaction, over
 * several pages). Runs until {@code <stop file>} exists; prints {@code checked <n>} and exits 0, or prints
 * what it saw and exits 1.
 * Arguments: database, accounts, total, stop file.
 */
public final class BankReaderChild {
    private BankReaderChild() {
    }

    public static void main(String[] args) throws Exception {
        Path db = Path.of(args[0]);
        int accounts = Integer.parseInt(args[1]);
        long total = Long.parseLong(args[2]);
        Path stop = Path.of(args[3]);
        while (!Files.exists(db)) {
            Thread.sleep(5);
        }
        long checked = 0;
        try (KVStore s = KVStore.open(db, KVStoreConfig.builder().readOnly(true).build())) {
            while (!Files.exists(stop)) {
                s.begin(false);
                try {
                    long sum = 0;
                    boolean seeded = true;
                    for (int i = 0; i < accounts && seeded; i++) {
                        Optional<byte[]> v = s.get(BankWorkload.key(i));
                        if (v.isEmpty()) {
                            seeded = false;
                            break;
                        }
                        long balance = BankWorkload.balance(v.get());
                        if (!BankWorkload.consistent(v.get())) {
                            System.out.println("TORN account " + i + " padding does not carry balance " + balance);
                            System.exit(1);
                        }
                        sum += balance;
                    }
                    if (seeded) {
                        if (sum != total) {
                            System.out.println("TORN sum " + sum + " != " + total + " after " + checked + " checks");
                            System.exit(1);
                        }
                        checked++;
                    }
                } finally {
                    s.rollback();
                }
            }
        }
        System.out.println("checked " + checked);
        System.exit(0);
    }
}
