package dev.kadshare.simulation.scenario;

import java.time.Duration;

/**
 * A swarm of real nodes on loopback: one seeder and {@code downloaders} nodes fetching a random file of
 * {@code fileBytes}; each node's upload and download limits in bytes per second (its
 * {@code --max-upload-rate} and {@code --max-download-rate}); {@code eventLoops} threads shared by all;
 * {@code seed} fixes the file's bytes and who bootstraps from whom; {@code timeout} bounds each phase.
 */
public record LoopbackSwarmSettings(int downloaders, long fileBytes, long seederUpload, long upload, long download,
                                    int eventLoops, long seed, Duration timeout) {
    public LoopbackSwarmSettings {
        if (downloaders < 1 || fileBytes < 1 || seederUpload < 1 || upload < 1 || download < 1 || eventLoops < 1
                || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("swarm sizes, capacities, event loops and timeout must be positive");
        }
    }
}
