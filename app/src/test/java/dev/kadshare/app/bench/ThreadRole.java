package dev.kadshare.app.bench;

/** What a daemon's thread does, told by its name: the split of a round's CPU that the swarm benchmark prints. */
enum ThreadRole {
    /** Netty's event loops: sockets, the link cipher, file reads for serving, the protocol's state machines. */
    EVENT_LOOPS("event loops"),
    /** The hashing pool: SHA-256 of every received chunk and its write to disk. */
    HASHING("hashing"),
    /** HotSpot's C1 and C2 compiler threads. */
    JIT("JIT compilers"),
    /** The collector's threads and the VM thread that runs its pauses. */
    GC("GC and VM"),
    /** Everything else, threads that exited during the round included. */
    OTHER("other");

    private final String label;

    ThreadRole(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }

    /** The role of a thread named {@code name} as Linux shows it (its first 15 characters). */
    static ThreadRole of(String name) {
        if (name.startsWith("multiThreadIo") || name.contains("EventLoop") || name.startsWith("kadshare-lan")) {
            return EVENT_LOOPS;
        }
        if (name.startsWith("kadshare-hash")) {
            return HASHING;
        }
        if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
            return JIT;
        }
        if (name.startsWith("GC Thread") || name.startsWith("G1 ") || name.equals("VM Thread")) {
            return GC;
        }
        return OTHER;
    }
}
