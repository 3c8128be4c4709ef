package io.snkv.internal.io;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The other process in the multi-process tests, started by {@link ChildJvm}. Prints one result line per
 * command, then (for holding commands) keeps its locks until its stdin closes or it is killed.
 *
 * <pre>
 *   hold PATH OFFSET LENGTH MODE     lock (waiting up to 5 s), print LOCKED or BUSY, hold until stdin ends
 *   try PATH OFFSET LENGTH MODE      one attempt, print LOCKED or BUSY, exit
 *   shm-set PATH OFFSET VALUE        map region 0 of the shm file, setIntVolatile, print DONE, hold
 *   shm-get PATH OFFSET              map region 0, print the int there, exit
 *   shm-add PATH OFFSET COUNT        print READY, wait until the int at OFFSET+4 is not 0, then COUNT
 *                                    times getAndAdd(1) at OFFSET, print DONE, exit
 * </pre>
 */
public final class LockChildMain {
    private LockChildMain() {
    }

    public static void main(String[] args) throws Exception {
        Object owner = new Object();
        Path path = Path.of(args[1]);
        long offset = Long.parseLong(args[2]);
        try (ByteRangeLocks locks = ByteRangeLocks.forFile(path, true)) {
            switch (args[0]) {
                case "hold" -> {
                    boolean ok = locks.lock(owner, offset, Long.parseLong(args[3]), LockMode.valueOf(args[4]), 5000);
                    say(ok ? "LOCKED" : "BUSY");
                    waitForStdinEnd();
                }
                case "try" -> say(locks.tryLock(owner, offset, Long.parseLong(args[3]), LockMode.valueOf(args[4]))
                        ? "LOCKED" : "BUSY");
                case "shm-set" -> {
                    try (SharedMemory shm = SharedMemory.open(locks)) {
                        shm.mapRegion(0, true);
                        shm.setIntVolatile(offset, Integer.parseInt(args[3]));
                        say("DONE");
                        waitForStdinEnd();
                    }
                }
                case "shm-get" -> {
                    try (SharedMemory shm = SharedMemory.open(locks)) {
                        shm.mapRegion(0, true);
                        say(Integer.toString(shm.getIntVolatile(offset)));
                    }
                }
                case "shm-add" -> {
                    try (SharedMemory shm = SharedMemory.open(locks)) {
                        shm.mapRegion(0, true);
                        int n = Integer.parseInt(args[3]);
                        say("READY");
                        while (shm.getIntVolatile(offset + 4) == 0) {
                            Thread.onSpinWait(); // start together with the parent
                        }
                        for (int i = 0; i < n; i++) {
                            shm.getAndAdd(offset, 1);
                        }
                        say("DONE");
                    }
                }
                default -> throw new IllegalArgumentException(args[0]);
            }
        }
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }

    private static void waitForStdinEnd() throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        while (in.readLine() != null) {
            // hold until the parent closes our stdin or kills us
        }
    }
}
