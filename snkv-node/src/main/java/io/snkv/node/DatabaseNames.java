package io.snkv.node;

/** The rule for database names (REPLICATION.md 1): 1..255 bytes of [A-Za-z0-9._-], no leading '.', no reserved suffix. */
final class DatabaseNames {
    private DatabaseNames() {
    }

    static boolean isValid(String name) {
        if (name == null || name.isEmpty() || name.length() > 255 || name.startsWith(".")) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-')) {
                return false;
            }
        }
        for (String suffix : new String[] {"-wal", "-shm", "-journal", "-pos", ".tmp"}) {
            if (name.endsWith(suffix)) {
                return false;
            }
        }
        return true;
    }
}
