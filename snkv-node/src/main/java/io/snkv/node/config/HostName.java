package io.snkv.node.config;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/** This machine's host name, read as Go's {@code os.Hostname} reads it on Linux. */
final class HostName {
    private HostName() {}

    /**
     * The kernel's host name ({@code /proc/sys/kernel/hostname}), else what the JDK reports; "" if
     * neither can be read. The JDK's answer may involve a name lookup, hence the kernel's first.
     */
    static String ofThisMachine() {
        try {
            String name = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
            if (!name.isEmpty()) {
                return name;
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or no /proc: fall through
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "";
        }
    }
}
