package dev.kadshare.transfer;

import java.util.Objects;

/**
 * Upload limits of a {@link TransferServer}.
 *
 * @param nodeUpload shared by every upload of the node (the daemon's {@code --max-upload-rate})
 * @param perContentUploadBytesPerSecond cap for the uploads of any one content id; 0 = none
 */
public record TransferLimits(TokenBucket nodeUpload, long perContentUploadBytesPerSecond) {
    public TransferLimits {
        Objects.requireNonNull(nodeUpload, "nodeUpload");
        if (perContentUploadBytesPerSecond < 0) {
            throw new IllegalArgumentException("perContentUploadBytesPerSecond " + perContentUploadBytesPerSecond);
        }
    }

    public static TransferLimits none() {
        return new TransferLimits(TokenBucket.unlimited(), 0);
    }
}
