package io.snkv.bench;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

/** What WORKLOADS.md asks a report to state about the process and machine, printed to standard error. */
final class RuntimeDescription {

    private RuntimeDescription() {
    }

    static void printJvm(String impl) {
        Runtime rt = Runtime.getRuntime();
        String gcs = ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(GarbageCollectorMXBean::getName).collect(Collectors.joining(","));
        System.err.printf("impl=%s jvm=%s %s (%s) flags=%s max_heap_mb=%d cpus=%d gc=%s os=%s %s%n", impl,
                System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"),
                System.getProperty("java.vm.vendor"), ManagementFactory.getRuntimeMXBean().getInputArguments(),
                rt.maxMemory() >> 20, rt.availableProcessors(), gcs,
                System.getProperty("os.name"), System.getProperty("os.version"));
    }

    static void printFileSystem(String impl, Path dir) {
        try {
            System.err.printf("impl=%s temp_dir=%s file_system=%s%n", impl, dir, Files.getFileStore(dir).type());
        } catch (IOException e) {
            System.err.println("file system of " + dir + " unknown: " + e);
        }
    }
}
