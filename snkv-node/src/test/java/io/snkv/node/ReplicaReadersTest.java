package io.snkv.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.snkv.KVStore;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Readers in other processes on a replica's database see only whole applied transactions while the replica
 * applies files: transfers on the primary keep the accounts' sum constant and each account's padding in step
 * with its balance, over several pages per transaction. Seed printed; rerun with {@code -Dsnkv.seed=<seed>}.
 */
class ReplicaReadersTest {
    private static final long SEED = Long.getLong("snkv.seed", System.nanoTime());
    private static final int ACCOUNTS = 12;
    private static final long START = 1_000;

    @TempDir
    Path dir;

    @Test
    void readersInOtherProcessesNeverSeeAPartlyAppliedTransaction() throws Exception {
        System.out.println("ReplicaReadersTest seed " + SEED);
        Random rnd = new Random(SEED);
        Path stop = dir.resolve("stop");
        try (Node p = Node.start(new NodeSettings(dir.resolve("mnt1"), dir.resolve("data1"), "127.0.0.1", 0, "host1",
                null, true, null, null, Duration.ofMinutes(10), Duration.ofMillis(100), List.of()));
             Node r = Node.start(new NodeSettings(dir.resolve("mnt2"), dir.resolve("data2"), "127.0.0.1", 0, "host2",
                     null, false, "host1", p.httpUrl(), Duration.ofMinutes(10), Duration.ofMillis(100), List.of()))) {
            try (KVStore bank = KVStore.open(dir.resolve("mnt1/bank.db"))) {
                bank.begin(true);
                for (int i = 0; i < ACCOUNTS; i++) {
                    bank.put(BankWorkload.key(i), BankWorkload.value(START));
                }
                bank.commit();
                List<Process> readers = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    readers.add(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                            "-Xmx64m", "-cp", classPath(), BankReaderChild.class.getName(),
                            dir.resolve("mnt2/bank.db").toString(), Integer.toString(ACCOUNTS),
                            Long.toString(ACCOUNTS * START), stop.toString())
                            .redirectErrorStream(true).redirectOutput(dir.resolve("reader" + i + ".out").toFile()).start());
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(6);
                int transfers = 0;
                while (System.nanoTime() < deadline) {
                    int from = rnd.nextInt(ACCOUNTS);
                    int to = (from + 1 + rnd.nextInt(ACCOUNTS - 1)) % ACCOUNTS;
                    bank.begin(true);
                    long a = BankWorkload.balance(bank.get(BankWorkload.key(from)).orElseThrow());
                    long b = BankWorkload.balance(bank.get(BankWorkload.key(to)).orElseThrow());
                    long amount = rnd.nextInt(50);
                    bank.put(BankWorkload.key(from), BankWorkload.value(a - amount));
                    bank.put(BankWorkload.key(to), BankWorkload.value(b + amount));
                    bank.commit();
                    transfers++;
                }
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (!r.position("bank.db").equals(p.position("bank.db")) && System.nanoTime() < end) {
                    Thread.sleep(5);
                }
                assertThat(r.position("bank.db")).isEqualTo(p.position("bank.db"));
                System.out.printf("ReplicaReadersTest: %d transfers, replica in step %d ms after the last%n", transfers,
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - end + TimeUnit.SECONDS.toNanos(30)));
                Files.createFile(stop);
                for (int i = 0; i < readers.size(); i++) {
                    Process rd = readers.get(i);
                    assertThat(rd.waitFor(30, TimeUnit.SECONDS)).isTrue();
                    String out = Files.readString(dir.resolve("reader" + i + ".out"));
                    assertThat(rd.exitValue()).as("reader %d after %d transfers (seed %d): %s", i, transfers, SEED, out).isZero();
                    assertThat(out).startsWith("checked ");
                    assertThat(Long.parseLong(out.trim().substring(8))).as("reader %d checked snapshots", i).isPositive();
                    System.out.printf("ReplicaReadersTest: reader %d %s%n", i, out.trim());
                }
            }
        }
    }

    private static String classPath() {
        String tests = Path.of("target", "test-classes").toAbsolutePath().toString();
        String main = Path.of("target", "classes").toAbsolutePath().toString();
        return tests + File.pathSeparator + main + File.pathSeparator + System.getProperty("java.class.path");
    }
}
