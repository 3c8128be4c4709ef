package io.snkv.node.config;

/**
 * The {@code backup:} section (LiteFS Cloud or a file backup). Accepted; no effect yet. Unset strings
 * are "".
 */
public record BackupConfig(String type, String path, String url, String cluster, String authToken) {
    /** Leaves the token out, so logging the config does not leak it. */
    @Override
    public String toString() {
        return "BackupConfig[type=" + type + ", path=" + path + ", url=" + url + ", cluster=" + cluster
                + ", authToken=" + (authToken.isEmpty() ? "" : "(set)") + "]";
    }
}
