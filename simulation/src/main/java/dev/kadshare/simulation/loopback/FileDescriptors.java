package dev.kadshare.simulation.loopback;

import java.lang.management.ManagementFactory;
import java.util.OptionalLong;

/** The open-file limit of this process, where the platform reports it: every loopback socket has both ends here. */
public final class FileDescriptors {
    private FileDescriptors() {}

    public static OptionalLong limit() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean os
                ? OptionalLong.of(os.getMaxFileDescriptorCount()) : OptionalLong.empty();
    }
}
