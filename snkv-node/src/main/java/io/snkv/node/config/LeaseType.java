package io.snkv.node.config;

import java.util.Arrays;
import java.util.Optional;

/** {@code lease.type}: who decides which node is primary (LEASES.md). */
public enum LeaseType {
    /** By configuration: {@code lease.candidate: true} is the primary, and stays so (litefs StaticLeaser). */
    STATIC("static"),
    /** A Consul session and key, exactly as LiteFS uses them. */
    CONSUL("consul"),
    /** An etcd lease and key (ours, LEASES.md section 5). */
    ETCD("etcd");

    private final String configName;

    LeaseType(String configName) {
        this.configName = configName;
    }

    /** The value written in node.yml. */
    public String configName() {
        return configName;
    }

    /** The type node.yml names {@code name} (lower case, as LiteFS compares it). */
    public static Optional<LeaseType> byConfigName(String name) {
        return Arrays.stream(values()).filter(t -> t.configName.equals(name)).findFirst();
    }
}
